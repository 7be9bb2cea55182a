import { accept, draft, refuse, unchanged, type Change } from './change.js';
import { missingEvidence } from './readiness.js';
import { requireRole } from './roles.js';
import type { Decision, Outcome, Project } from './types.js';

/** What a decision maker gives with an outcome. */
export interface DecisionInput {
  outcome: Outcome;
  date?: string;
  reasons?: string;
  nextReview?: string;
  override?: string;
}

/** Records go / no-go / postpone; go needs the evidence or a written override, and nothing is ever edited. */
export function decide(project: Project, userId: string, input: DecisionInput, at: string, today: string): Change {
  const denied = requireRole(project, userId, 'decider');
  if (denied) return denied;
  const reasons = input.reasons?.trim();
  const override = input.override?.trim();
  let date = input.date;
  if (input.outcome === 'go') {
    date ??= project.goLive;
    if (!date) return refuse('decision.date-required', { outcome: 'go' });
    const missing = missingEvidence(project).filter((m) => m !== 'golive-date');
    if (missing.length > 0 && !override) return refuse('decision.evidence-missing', { missing });
  } else if (input.outcome === 'nogo') {
    if (!reasons) return refuse('decision.reasons-required', { outcome: 'nogo' });
    if (!input.nextReview) return refuse('decision.date-required', { outcome: 'nogo' });
  } else if (!date) {
    return refuse('decision.date-required', { outcome: 'postpone' });
  }
  const checked = input.outcome === 'nogo' ? input.nextReview : date;
  if (checked && checked < today) return refuse('decision.date-past', { date: checked });
  const last = project.decisions.at(-1);
  if (last && isRepeat(last, input, date, reasons, override)) return unchanged(project);
  const next = draft(project);
  next.seq += 1;
  const decision: Decision = {
    id: `d${next.seq}`,
    outcome: input.outcome,
    ...(date && input.outcome !== 'nogo' ? { date } : {}),
    ...(reasons ? { reasons } : {}),
    ...(input.nextReview && input.outcome === 'nogo' ? { nextReview: input.nextReview } : {}),
    ...(override && input.outcome === 'go' ? { override, overridden: missingEvidence(project) } : {}),
    by: userId,
    at,
  };
  next.decisions.push(decision);
  const before = { goLive: project.goLive, decision: project.decisions.at(-1)?.id };
  if (input.outcome !== 'nogo' && date) next.goLive = date;
  const task = next.tasks.find((t) => t.id === 'decision');
  if (task) task.status = input.outcome === 'go' ? 'done' : 'in_progress';
  return accept(next, { action: `decision.${input.outcome}`, target: decision.id, before, after: decision });
}

/** The decision in force: the latest one supersedes the earlier. */
export function currentDecision(project: Project): Decision | undefined {
  return project.decisions.at(-1);
}

/**
 * The decision asked for is the one in force, word for word (a double click, a resent form, a second decision
 * maker pressing the same button): it records nothing new, and the answer says what stands.
 */
function isRepeat(
  last: Decision,
  input: DecisionInput,
  date: string | undefined,
  reasons: string | undefined,
  override: string | undefined,
): boolean {
  if (last.outcome !== input.outcome) return false;
  const same = (a: string | undefined, b: string | undefined) => (a ?? '') === (b ?? '');
  if (input.outcome === 'nogo') return same(last.nextReview, input.nextReview) && same(last.reasons, reasons);
  if (input.outcome === 'go') return same(last.date, date) && same(last.override, override);
  return same(last.date, date);
}
