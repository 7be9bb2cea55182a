import { accept, draft, refuse, unchanged, type Change } from './change.js';
import { own, put } from './dict.js';
import { grant, requireRole } from './roles.js';
import type { Project } from './types.js';

/** The checklist task the officials' answers roll up into. */
export const STAFF_TASK = 'joining.staff-login';

/** How many officials were asked, and how many said they can log in. */
export function staffProgress(project: Project): { ready: number; total: number } {
  const all = Object.values(project.staffLogin);
  return { ready: all.filter((s) => s.answer === 'yes').length, total: all.length };
}

/** The task is done when every official asked said yes, in progress while anyone has not. */
function rollUp(next: Project): void {
  const task = next.tasks.find((t) => t.id === STAFF_TASK);
  const { ready, total } = staffProgress(next);
  if (task && total > 0) task.status = ready === total ? 'done' : 'in_progress';
}

/** Asks officials whether they can log in (`staff add <people…>`); coordinators only. Returns who is newly asked in the audit. */
export function addStaff(project: Project, userId: string, people: string[], at: string): Change {
  const denied = requireRole(project, userId, 'coordinator');
  if (denied) return denied;
  const fresh = [...new Set(people)].filter((p) => !own(project.staffLogin, p));
  if (fresh.length === 0) return unchanged(project);
  const next = draft(project);
  for (const person of fresh) {
    put(next.staffLogin, person, { askedAt: at });
    next.people = grant(next.people, person, 'staff');
  }
  rollUp(next);
  return accept(next, { action: 'staff.add', after: { people: fresh } });
}

/** An official's own answer: yes, or a problem described in a text. */
export function answerStaff(project: Project, userId: string, answer: 'yes' | 'problem', text: string | undefined, at: string): Change {
  const current = own(project.staffLogin, userId);
  if (!current) return refuse('staff.not-asked');
  const t = text?.trim();
  if (answer === 'problem' && !t) return refuse('staff.text-required');
  if (current.answer === answer && (current.text ?? '') === (answer === 'problem' ? t : '')) return unchanged(project);
  const next = draft(project);
  put(next.staffLogin, userId, { askedAt: current.askedAt, answer, ...(answer === 'problem' && t ? { text: t } : {}), answeredAt: at });
  rollUp(next);
  return accept(next, {
    action: `staff.${answer}`,
    target: userId,
    before: { answer: current.answer },
    after: { answer, ...(t && answer === 'problem' ? { text: t } : {}) },
  });
}
