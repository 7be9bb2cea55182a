import { accept, draft, refuse, unchanged, type Change, type Refusal } from './change.js';
import { isApplicable } from './checklist.js';
import { grant, requireRole } from './roles.js';
import type { Project, ResponseKind, Signoff, SignoffKind } from './types.js';

/** Where a sign-off request stands under its rule. */
export type SignoffState = 'open' | 'approved' | 'rejected';

/** The checklist item each sign-off kind evidences. */
export const SIGNOFF_TASK: Record<SignoffKind, string> = {
  technical: 'testing.technical',
  functional: 'testing.functional',
  acceptance: 'testing.acceptance',
};

/** How many approvals a request needs. */
export function needed(s: Signoff): number {
  return s.need === 'all' ? s.approvers.length : s.need;
}

/** Approved once enough approvers approve; rejected once that can no longer happen. */
export function signoffState(s: Signoff): SignoffState {
  const approvals = s.responses.filter((r) => r.kind !== 'reject').length;
  const pending = s.approvers.length - s.responses.length;
  if (approvals >= needed(s)) return 'approved';
  if (approvals + pending < needed(s)) return 'rejected';
  return 'open';
}

/** The sign-off kinds a project needs: technical only with integration or robotics. */
export function requiredKinds(project: Project): SignoffKind[] {
  return (['technical', 'functional', 'acceptance'] as const).filter((k) => isApplicable(SIGNOFF_TASK[k], project.connection));
}

/** The newest request of a kind: a new request supersedes an older one. */
export function latestSignoff(project: Project, kind: SignoffKind): Signoff | undefined {
  return project.signoffs.findLast((s) => s.kind === kind);
}

/** The request that replaced this one: the next request of the same kind, if any (only the newest is in force). */
export function replacedBy(project: Project, s: Signoff): Signoff | undefined {
  const i = project.signoffs.findIndex((x) => x.id === s.id);
  return project.signoffs.slice(i + 1).find((x) => x.kind === s.kind);
}

/** Finds a request by id (`s3`) or by kind (its latest request). */
export function findSignoff(project: Project, ref: string): Signoff | Refusal {
  const byId = project.signoffs.find((s) => s.id === ref);
  const found =
    byId ??
    ((['technical', 'functional', 'acceptance'] as string[]).includes(ref) ? latestSignoff(project, ref as SignoffKind) : undefined);
  return found ?? refuse('signoff.unknown', { signoff: ref });
}

/** Opens a sign-off request to named approvers (who become approvers); coordinators only. */
export function requestSignoff(
  project: Project,
  userId: string,
  kind: SignoffKind,
  approvers: string[],
  need: number | 'all',
  at: string,
): Change {
  const denied = requireRole(project, userId, 'coordinator');
  if (denied) return denied;
  if (!isApplicable(SIGNOFF_TASK[kind], project.connection))
    return refuse('task.not-applicable', { task: SIGNOFF_TASK[kind], connection: project.connection });
  const unique = [...new Set(approvers)];
  if (need !== 'all' && need > unique.length) return refuse('signoff.too-many-needed', { need, count: unique.length });
  const next = draft(project);
  next.seq += 1;
  const id = `s${next.seq}`;
  const signoff: Signoff = { id, kind, approvers: unique, need, responses: [], requestedBy: userId, requestedAt: at };
  if (kind === 'acceptance') signoff.acceptance = { toFix: [] };
  next.signoffs.push(signoff);
  for (const a of unique) next.people = grant(next.people, a, 'approver');
  const task = next.tasks.find((t) => t.id === SIGNOFF_TASK[kind]);
  if (task && task.status === 'todo') task.status = 'in_progress';
  return accept(next, { action: 'signoff.request', target: id, after: { kind, approvers: unique, need } });
}

/** Records one approver's answer; a rejection needs a reason, and a second answer changes nothing. */
export function respond(project: Project, userId: string, ref: string, kind: ResponseKind, text: string | undefined, at: string): Change {
  const found = findSignoff(project, ref);
  if ('refused' in found) return found;
  if (!found.approvers.includes(userId))
    return refuse('signoff.not-approver', { signoff: found.id, kind: found.kind, who: found.approvers });
  const trimmed = text?.trim();
  if (kind === 'reject' && !trimmed) return refuse('signoff.reason-required', { signoff: found.id, kind: found.kind });
  if (found.responses.some((r) => r.by === userId)) return unchanged(project);
  if (signoffState(found) !== 'open') return refuse('signoff.closed', { signoff: found.id, kind: found.kind, state: signoffState(found) });
  if (latestSignoff(project, found.kind)?.id !== found.id)
    return refuse('signoff.closed', { signoff: found.id, kind: found.kind, state: 'superseded' });
  const next = draft(project);
  const s = next.signoffs.find((x) => x.id === found.id) as Signoff;
  const effectiveKind: ResponseKind = kind === 'remarks' && !trimmed ? 'approve' : kind;
  s.responses.push({ by: userId, kind: effectiveKind, ...(trimmed ? { text: trimmed } : {}), at });
  const state = signoffState(s);
  const task = next.tasks.find((t) => t.id === SIGNOFF_TASK[s.kind]);
  if (task && state === 'approved') {
    task.status = 'done';
    delete task.reason;
  }
  return accept(next, {
    action: `signoff.${effectiveKind}`,
    target: s.id,
    before: { state: 'open' },
    after: { state, ...(trimmed ? { text: trimmed } : {}) },
  });
}

/** Which part of the acceptance record a line of text goes to. */
export type AcceptanceField = 'complete' | 'fix' | 'effect';

/** Records what acceptance found on the latest acceptance request; coordinators and its approvers. */
export function recordAcceptance(project: Project, userId: string, field: AcceptanceField, text: string): Change {
  const s = latestSignoff(project, 'acceptance');
  if (!s) return refuse('signoff.unknown', { signoff: 'acceptance' });
  if (!s.approvers.includes(userId)) {
    const denied = requireRole(project, userId, 'coordinator');
    if (denied) return refuse('role.required', { role: 'approver', who: [...s.approvers, ...((denied.params?.who as string[]) ?? [])] });
  }
  const next = draft(project);
  const target = next.signoffs.find((x) => x.id === s.id) as Signoff;
  const acc = target.acceptance ?? { toFix: [] };
  const before = structuredClone(acc);
  if (field === 'fix') acc.toFix.push(text);
  else acc[field] = text;
  target.acceptance = acc;
  return accept(next, { action: `acceptance.${field}`, target: s.id, before, after: acc });
}
