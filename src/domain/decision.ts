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
  if (last && isRepeat(last, userId, input, date, reasons, override, at)) return unchanged(project);
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

/** How long an identical decision by the same person counts as the same click (a double click, a resent form). */
export const REPEAT_WINDOW_MS = 2 * 60_000;

/** The same person recorded the very same decision moments ago: a double click records nothing new. */
function isRepeat(
  last: Decision,
  userId: string,
  input: DecisionInput,
  date: string | undefined,
  reasons: string | undefined,
  override: string | undefined,
  at: string,
): boolean {
  const age = Date.parse(at) - Date.parse(last.at);
  if (last.by !== userId || last.outcome !== input.outcome || !(age >= 0 && age < REPEAT_WINDOW_MS)) return false;
  const same = (a: string | undefined, b: string | undefined) => (a ?? '') === (b ?? '');
  if (input.outcome === 'nogo') return same(last.nextReview, input.nextReview) && same(last.reasons, reasons);
  if (input.outcome === 'go') return same(last.date, date) && same(last.override, override);
  return same(last.date, date);
}
