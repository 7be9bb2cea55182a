import { z } from 'zod';
import { dictOf, dictSchema } from './dict.js';
import { NOTES_PER_TASK, TEXT_LIMITS, type TextKind } from './text-limits.js';

/** The three languages the authority works in; every sentence exists in each. */
export const LANGS = ['fi', 'sv', 'en'] as const;
export type Lang = (typeof LANGS)[number];

/** Roles a person holds in one adoption project (DOMAIN.md "Who uses it"). */
export const ROLES = ['coordinator', 'owner', 'approver', 'decider', 'staff'] as const;
export type Role = (typeof ROLES)[number];

/** How the authority's e-service connects to the national service; decides which items apply. */
export const CONNECTIONS = ['integration', 'light', 'robotics'] as const;
export type Connection = (typeof CONNECTIONS)[number];

/** How officials log in to the national service. */
export const LOGINS = ['suomifi', 'virtu'] as const;
export type Login = (typeof LOGINS)[number];

/** Where a change came from, recorded in every audit event. */
export const PLATFORMS = ['slack', 'teams', 'console'] as const;
export type Platform = (typeof PLATFORMS)[number];

/** A task's lifecycle; blocked and not applicable always carry a reason. */
export const TASK_STATUSES = ['todo', 'in_progress', 'blocked', 'done', 'na'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** The three test kinds that need a recorded sign-off. */
export const SIGNOFF_KINDS = ['technical', 'functional', 'acceptance'] as const;
export type SignoffKind = (typeof SIGNOFF_KINDS)[number];

/** An approver's answer; remarks and reject carry text, reject always. */
export const RESPONSE_KINDS = ['approve', 'remarks', 'reject'] as const;
export type ResponseKind = (typeof RESPONSE_KINDS)[number];

/** The outcomes a decision maker can record. */
export const OUTCOMES = ['go', 'nogo', 'postpone'] as const;
export type Outcome = (typeof OUTCOMES)[number];

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const instant = z.string();
const wallTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/);
/** How a too-long text's issue message starts; the rest is its TextKind. */
export const TEXT_LIMIT_ISSUE = 'text-limit:';

/** A free text of one kind: at most its limit, the kind named in the issue so a refusal can say which text is too long. */
const text = (kind: TextKind) => z.string().max(TEXT_LIMITS[kind], { error: `${TEXT_LIMIT_ISSUE}${kind}` });
const names = z.object({ fi: text('itemName'), sv: text('itemName'), en: text('itemName') });

/** A person's place in a project; ids are platform user ids (Slack U…, Teams aadObjectId). */
export const PersonSchema = z.object({
  id: z.string(),
  name: z.string().optional(),
  roles: z.array(z.enum(ROLES)),
});
export type Person = z.infer<typeof PersonSchema>;

/** A dated remark on a task, kept forever. */
export const NoteSchema = z.object({ at: instant, by: z.string(), text: text('note') });
export type Note = z.infer<typeof NoteSchema>;

/** One checklist item as the project holds it; template names live in the checklist module. */
export const TaskSchema = z.object({
  id: z.string(),
  parent: z.string().optional(),
  names: names.optional(),
  custom: z.boolean().default(false),
  status: z.enum(TASK_STATUSES),
  reason: text('reason').optional(),
  owner: z.string().optional(),
  due: isoDate.optional(),
  /** Reminders to the owner stay quiet before this date and return on it (or the next working day). */
  snoozedUntil: isoDate.optional(),
  /** The newest NOTES_PER_TASK notes; older ones are in the audit trail. */
  notes: z.array(NoteSchema).max(NOTES_PER_TASK).default([]),
});
export type Task = z.infer<typeof TaskSchema>;

/** An approver's recorded answer to a sign-off request. */
export const ResponseSchema = z.object({
  by: z.string(),
  kind: z.enum(RESPONSE_KINDS),
  text: text('answer').optional(),
  at: instant,
});
export type SignoffResponse = z.infer<typeof ResponseSchema>;

/** What acceptance found: what is complete, what still needs fixing, the effect on use. */
export const AcceptanceSchema = z.object({
  complete: text('acceptance').optional(),
  toFix: z.array(text('acceptance')).default([]),
  effect: text('acceptance').optional(),
});
export type Acceptance = z.infer<typeof AcceptanceSchema>;

/** A request for named approvers to sign off one test kind. */
export const SignoffSchema = z.object({
  id: z.string(),
  kind: z.enum(SIGNOFF_KINDS),
  approvers: z.array(z.string()).min(1),
  need: z.union([z.literal('all'), z.number().int().positive()]),
  responses: z.array(ResponseSchema).default([]),
  requestedBy: z.string(),
  requestedAt: instant,
  acceptance: AcceptanceSchema.optional(),
  /** The approvers this request made approvers (they held no approver role of their own): a request replacing it takes it back. */
  granted: z.array(z.string()).optional(),
});
export type Signoff = z.infer<typeof SignoffSchema>;

/** A risk in the go-live risk assessment, with its fallback plan. */
export const RiskSchema = z.object({
  id: z.string(),
  text: text('risk'),
  fallback: text('fallback').optional(),
  critical: z.boolean().default(false),
});
export type Risk = z.infer<typeof RiskSchema>;

/** A recorded decision; never edited, a later one supersedes it. */
export const DecisionSchema = z.object({
  id: z.string(),
  outcome: z.enum(OUTCOMES),
  date: isoDate.optional(),
  reasons: text('decisionReasons').optional(),
  nextReview: isoDate.optional(),
  override: text('justification').optional(),
  overridden: z.array(z.string()).optional(),
  by: z.string(),
  at: instant,
});
export type Decision = z.infer<typeof DecisionSchema>;

/** A conversation on one platform; the project channel is where its cards go. */
export const ChannelSchema = z.object({ platform: z.enum(PLATFORMS), id: z.string() });
export type ChannelRef = z.infer<typeof ChannelSchema>;

/** When and how the bot reminds on its own; defaults apply to projects stored before reminders existed. */
export const ReminderSettingsSchema = z.object({
  enabled: z.boolean().default(true),
  /** Wall-clock time (Helsinki) of due-soon, overdue and escalation reminders. */
  time: wallTime.default('09:00'),
  /** Working days before the due date that the due-soon reminder comes; 0 turns it off. */
  dueSoonDays: z.number().int().min(0).max(20).default(2),
  /** Working days overdue after which the coordinators are told. */
  escalateAfter: z.number().int().min(1).max(60).default(3),
  /** ISO weekday (1 = Monday .. 5 = Friday) of the weekly digest; a holiday moves it to the next working day. */
  digestDay: z.number().int().min(1).max(5).default(1),
  digestTime: wallTime.default('09:00'),
});
export type ReminderSettings = z.infer<typeof ReminderSettingsSchema>;

/** Who a training is for: the people holding one role, or everyone in the project. */
export const AUDIENCES = [...ROLES, 'all'] as const;
export type Audience = (typeof AUDIENCES)[number];

/** When a training is: working days relative to the go-live date (moves with it), or a fixed date. */
export const TrainingWhenSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('relative'), offset: z.number().int().min(-250).max(250) }),
  z.object({ kind: z.literal('fixed'), date: isoDate }),
]);
export type TrainingWhen = z.infer<typeof TrainingWhenSchema>;

/** A training session; a relative one has no stored date, so it can never drift from the go-live date. */
export const TrainingSchema = z.object({
  id: z.string(),
  name: text('trainingName'),
  when: TrainingWhenSchema,
  time: wallTime,
  minutes: z.number().int().min(5).max(600),
  audience: z.enum(AUDIENCES),
  /** Each invitee's answer: attending or not; no entry means no answer yet. */
  attendance: dictSchema(z.enum(['yes', 'no'])).prefault({}),
  cancelled: z.boolean().default(false),
  createdBy: z.string(),
  createdAt: instant,
});
export type Training = z.infer<typeof TrainingSchema>;

/** What an announcement is about: a decision's outcome, a moved go-live date, or the go-live day itself. */
export const ANNOUNCEMENTS = ['go', 'nogo', 'postpone', 'moved', 'golive-day'] as const;
export type Announcement = (typeof ANNOUNCEMENTS)[number];

/** The target groups every project starts with; a project may add its own. */
export const DEFAULT_GROUPS = ['customers', 'staff', 'others'] as const;

/** One target group of the communications plan: where it is told, in which languages, with which custom texts. */
export const CommsGroupSchema = z.object({
  id: z.string(),
  name: text('groupName').optional(),
  channels: z.array(ChannelSchema).default([]),
  languages: z.array(z.enum(LANGS)).min(1).default(['fi', 'sv']),
  /** Custom texts per announcement and language; a missing one falls back to the catalogue's default. */
  texts: z.partialRecord(z.enum(ANNOUNCEMENTS), z.partialRecord(z.enum(LANGS), text('announcement'))).default({}),
});
export type CommsGroup = z.infer<typeof CommsGroupSchema>;

/** The default communications plan: the three standard groups, no channels yet, Finnish and Swedish. */
export function defaultCommsGroups(): CommsGroup[] {
  return DEFAULT_GROUPS.map((id) => ({ id, channels: [], languages: ['fi', 'sv'], texts: {} }));
}

/** An official's answer to "can you log in and act as the authority?". */
export const StaffLoginSchema = z.object({
  askedAt: instant,
  answer: z.enum(['yes', 'problem']).optional(),
  text: text('problem').optional(),
  answeredAt: instant.optional(),
});
export type StaffLogin = z.infer<typeof StaffLoginSchema>;

/** One authority's adoption project: the aggregate every change is applied to as a whole. */
export const ProjectSchema = z.object({
  id: z.string(),
  tenant: z.string(),
  name: text('projectName'),
  authority: text('authority').optional(),
  connection: z.enum(CONNECTIONS),
  login: z.enum(LOGINS),
  goLive: isoDate.optional(),
  languages: z.array(z.enum(LANGS)).min(1),
  channel: ChannelSchema,
  /** Keyed by person id, which is whatever was typed (`constructor` too): a null-prototype map, every key kept. */
  people: dictSchema(PersonSchema),
  tasks: z.array(TaskSchema),
  signoffs: z.array(SignoffSchema).default([]),
  risks: z.array(RiskSchema).default([]),
  impact: z.object({ organisation: text('impact').optional(), customers: text('impact').optional() }).default({}),
  decisions: z.array(DecisionSchema).default([]),
  trainings: z.array(TrainingSchema).default([]),
  comms: z.array(CommsGroupSchema).default(defaultCommsGroups),
  /** Each official asked whether they can log in and act as the authority, with their answer once given. */
  staffLogin: dictSchema(StaffLoginSchema).prefault({}),
  /** The joining form: when it was sent, and when its receipt was confirmed. */
  joiningForm: z.object({ sentOn: isoDate.optional(), confirmedOn: isoDate.optional() }).default({}),
  reminders: ReminderSettingsSchema.prefault({}),
  seq: z.number().int().nonnegative().default(0),
  createdAt: instant,
  createdBy: z.string(),
});
export type Project = z.infer<typeof ProjectSchema>;

/**
 * The project with its person-keyed maps as null-prototype objects again, in place: JSON.parse and structuredClone
 * give plain ones, on which a person named `constructor` would find Object.prototype's.
 */
export function withOwnMaps(project: Project): Project {
  project.people = dictOf(project.people);
  project.staffLogin = dictOf(project.staffLogin);
  for (const t of project.trainings) t.attendance = dictOf(t.attendance);
  return project;
}

/** Who is acting, from where: the adapters fill it from the platform's authenticated payload. */
export interface Actor {
  tenant: string;
  userId: string;
  name?: string;
  platform: Platform;
  locale?: string;
}
