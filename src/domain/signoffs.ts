import { accept, draft, refuse, type Change, type Refusal } from './change.js';
import { isApplicable } from './checklist.js';
import { own } from './dict.js';
import { checkNamed, type Naming } from './people.js';
import { grant, hasRole, holders, requireRole, roleRefusal } from './roles.js';
import { SIGNOFF_KINDS, type Project, type ResponseKind, type Signoff, type SignoffKind } from './types.js';

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

/** The named approvers who have not answered a request yet: the people a reminder or a status line names. */
export function stillToAnswer(s: Signoff): string[] {
  return s.approvers.filter((a) => !s.responses.some((r) => r.by === a));
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
  naming: Naming,
): Change {
  const denied = requireRole(project, userId, 'coordinator');
  if (denied) return denied;
  if (!isApplicable(SIGNOFF_TASK[kind], project.connection))
    return refuse('task.not-applicable', { task: SIGNOFF_TASK[kind], connection: project.connection });
  const unique = [...new Set(approvers)];
  if (need !== 'all' && need > unique.length) return refuse('signoff.too-many-needed', { need, count: unique.length });
  const unnamed = checkNamed(project, unique, naming);
  if (unnamed) return unnamed;
  const replaced = latestSignoff(project, kind);
  // An approval stands for the decision: it is replaced only when the coordinator says so.
  if (replaced && signoffState(replaced) === 'approved' && !naming.confirmed)
    return refuse('signoff.replace-approved', { signoff: replaced.id, kind });
  const next = draft(project);
  next.seq += 1;
  const id = `s${next.seq}`;
  // Who this request makes an approver: those without the role, and those the request it replaces made one.
  const granted = unique.filter((a) => !hasRole(project, a, 'approver') || replaced?.granted?.includes(a));
  const signoff: Signoff = { id, kind, approvers: unique, need, responses: [], requestedBy: userId, requestedAt: at, granted };
  if (kind === 'acceptance') signoff.acceptance = { toFix: [] };
  next.signoffs.push(signoff);
  for (const a of unique) next.people = grant(next.people, a, 'approver');
  const revoked = replaced ? revokeReplaced(next, replaced, unique) : [];
  const task = next.tasks.find((t) => t.id === SIGNOFF_TASK[kind]);
  // The task follows its evidence: a new request reopens what an approval had closed.
  if (task && (task.status === 'todo' || task.status === 'done')) task.status = 'in_progress';
  return accept(next, {
    action: 'signoff.request',
    target: id,
    after: { kind, approvers: unique, need, ...(replaced ? { replaces: replaced.id } : {}), ...(revoked.length ? { revoked } : {}) },
  });
}

/**
 * A replaced request's approvers lose the approver role it gave them, unless the new request names them too or
 * another request in force does; they keep any other role. Returns who lost it.
 */
function revokeReplaced(next: Project, replaced: Signoff, kept: readonly string[]): string[] {
  const inForce = SIGNOFF_KINDS.flatMap((k) => latestSignoff(next, k)?.approvers ?? []);
  const revoked = (replaced.granted ?? []).filter((a) => !kept.includes(a) && !inForce.includes(a) && hasRole(next, a, 'approver'));
  for (const a of revoked) {
    const person = own(next.people, a);
    if (person) person.roles = person.roles.filter((r) => r !== 'approver');
  }
  return revoked;
}

/** Records one approver's answer; a rejection needs a reason, remarks their text, and a second answer is refused with the first. */
export function respond(project: Project, userId: string, ref: string, kind: ResponseKind, text: string | undefined, at: string): Change {
  const found = findSignoff(project, ref);
  if ('refused' in found) return found;
  if (!found.approvers.includes(userId))
    return refuse('signoff.not-approver', { signoff: found.id, kind: found.kind, who: found.approvers });
  const trimmed = text?.trim();
  const earlier = found.responses.find((r) => r.by === userId);
  // A second answer changes nothing, and says so: what was answered, when, and where the request stands.
  if (earlier) {
    const state = latestSignoff(project, found.kind)?.id === found.id ? signoffState(found) : 'superseded';
    return refuse('signoff.already-answered', { signoff: found.id, kind: found.kind, response: earlier.kind, at: earlier.at, state });
  }
  if (kind === 'reject' && !trimmed) return refuse('signoff.reason-required', { signoff: found.id, kind: found.kind });
  if (kind === 'remarks' && !trimmed) return refuse('signoff.remarks-required', { signoff: found.id, kind: found.kind });
  if (signoffState(found) !== 'open') return refuse('signoff.closed', { signoff: found.id, kind: found.kind, state: signoffState(found) });
  if (latestSignoff(project, found.kind)?.id !== found.id)
    return refuse('signoff.closed', { signoff: found.id, kind: found.kind, state: 'superseded' });
  const next = draft(project);
  const s = next.signoffs.find((x) => x.id === found.id) as Signoff;
  const effectiveKind: ResponseKind = kind;
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
    if (denied)
      return roleRefusal(
        ['approver', 'coordinator'],
        [...s.approvers.map((a) => [a, 'approver'] as const), ...holders(project, 'coordinator').map((c) => [c, 'coordinator'] as const)],
      );
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
