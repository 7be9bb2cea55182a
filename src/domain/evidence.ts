import { accept, draft, refuse, type Change } from './change.js';
import { requireRole } from './roles.js';
import type { Project } from './types.js';

/** Records a risk for the go-live risk assessment; critical ones need a fallback plan to count. */
export function addRisk(project: Project, userId: string, text: string, fallback: string | undefined, critical: boolean): Change {
  const denied = requireRole(project, userId, 'coordinator', 'decider');
  if (denied) return denied;
  const next = draft(project);
  next.seq += 1;
  const risk = { id: `r${next.seq}`, text, critical, ...(fallback ? { fallback } : {}) };
  next.risks.push(risk);
  return accept(next, { action: 'risk.add', target: risk.id, after: risk });
}

/** Records the impact on the organisation (staff, systems) or on customers. */
export function setImpact(project: Project, userId: string, on: 'organisation' | 'customers', text: string): Change {
  const denied = requireRole(project, userId, 'coordinator', 'decider');
  if (denied) return denied;
  const next = draft(project);
  const before = next.impact[on];
  next.impact[on] = text;
  return accept(next, { action: `impact.${on}`, before: { [on]: before }, after: { [on]: text } });
}

/** Removes a risk from the assessment (`risk remove <id>`), one added by mistake or without its fallback; the risk is kept in the audit event. */
export function removeRisk(project: Project, userId: string, ref: string): Change {
  const denied = requireRole(project, userId, 'coordinator', 'decider');
  if (denied) return denied;
  const risk = project.risks.find((r) => r.id === ref.toLowerCase());
  if (!risk) return refuse('risk.unknown', { risk: ref });
  const next = draft(project);
  next.risks = next.risks.filter((r) => r.id !== risk.id);
  return accept(next, { action: 'risk.remove', target: risk.id, before: risk });
}
