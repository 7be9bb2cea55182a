import { withOwnMaps, type Project } from './types.js';

/** Why the bot said no: a code the message catalogue translates, with the facts to quote. */
export interface Refusal {
  refused: true;
  code: RefusalCode;
  params?: Record<string, string | number | string[]>;
}

/** Every way a change can be refused; each has a sentence in every language. */
export type RefusalCode =
  | 'project.none'
  | 'project.exists'
  | 'task.unknown'
  | 'task.ambiguous'
  | 'task.is-group'
  | 'task.reason-required'
  | 'task.not-applicable'
  | 'role.required'
  | 'person.unknown'
  | 'signoff.unknown'
  | 'signoff.not-approver'
  | 'signoff.closed'
  | 'signoff.reason-required'
  | 'signoff.too-many-needed'
  | 'decision.evidence-missing'
  | 'decision.date-required'
  | 'decision.reasons-required'
  | 'decision.date-past'
  | 'action.unknown'
  | 'action.elsewhere'
  | 'snooze.date-past'
  | 'training.unknown'
  | 'training.golive-required'
  | 'training.not-working-day'
  | 'training.past'
  | 'training.cancelled'
  | 'comms.group-unknown'
  | 'staff.not-asked'
  | 'staff.text-required'
  | 'form.not-sent'
  | 'text.too-long'
  | 'project.too-large'
  | 'person.new'
  | 'signoff.remarks-required'
  | 'signoff.already-answered'
  | 'signoff.replace-approved'
  | 'date.past'
  | 'task.closed-by-signoff'
  | 'task.closed-by-decision'
  | 'role.last-coordinator'
  | 'training.ambiguous'
  | 'risk.unknown'
  | 'note.unknown'
  | 'item.not-own'
  | 'item.has-items'
  | 'comms.channel-unknown';

/** What an audit event says of a change: what, on which target, and the before/after that matter. */
export interface AuditDraft {
  action: string;
  target?: string;
  before?: unknown;
  after?: unknown;
}

/** A change the domain accepted: the new project and the audit event that records it. */
export interface Accepted {
  refused: false;
  unchanged?: false;
  project: Project;
  audit: AuditDraft;
}

/** A request that is already satisfied (a second identical click): nothing to write. */
export interface Unchanged {
  refused: false;
  unchanged: true;
  project: Project;
}

/** The outcome of applying a command to a project. */
export type Change = Accepted | Unchanged | Refusal;

/** Builds a refusal. */
export function refuse(code: RefusalCode, params?: Refusal['params']): Refusal {
  return { refused: true, code, ...(params ? { params } : {}) };
}

/** Builds an accepted change. */
export function accept(project: Project, audit: AuditDraft): Accepted {
  return { refused: false, project, audit };
}

/** Builds a no-op outcome. */
export function unchanged(project: Project): Unchanged {
  return { refused: false, unchanged: true, project };
}

/** True for refusals, narrowing the union. */
export function isRefusal(c: unknown): c is Refusal {
  return typeof c === 'object' && c !== null && (c as Refusal).refused === true;
}

/** A deep copy to change without touching the loaded state (its person-keyed maps null-prototype, as a parsed project's). */
export function draft(project: Project): Project {
  return withOwnMaps(structuredClone(project));
}
