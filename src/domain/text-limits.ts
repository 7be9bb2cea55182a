/**
 * The most characters each kind of free text may hold. A text is what a person wrote for people to read in
 * chat: long enough for that, short enough that one project's document stays small, since every change
 * reads, checks and rewrites the whole document. Slack modals and Teams inputs carry the same maxLength.
 */
export const TEXT_LIMITS = {
  projectName: 120,
  authority: 200,
  itemName: 200,
  trainingName: 120,
  groupName: 80,
  note: 2_000,
  reason: 2_000,
  answer: 2_000,
  acceptance: 2_000,
  risk: 1_000,
  fallback: 2_000,
  impact: 2_000,
  decisionReasons: 2_000,
  justification: 2_000,
  announcement: 3_000,
  problem: 2_000,
} as const;

/** Which free text a limit is for; each has a name in every language for the message that quotes it. */
export type TextKind = keyof typeof TEXT_LIMITS;

/** Notes a task keeps in the project: a new one beyond them drops the oldest, which stays in the audit trail. */
export const NOTES_PER_TASK = 20;

/**
 * The size a project's stored document (bytes of JSON) may reach through texts: past it, a change that adds
 * more than PROJECT_GROWTH_SLACK_BYTES (a note, a risk, a long reason) is refused, while statuses, dates,
 * owners and decisions still go through, so a full project can still be run. Nothing takes it past
 * PROJECT_HARD_MAX_BYTES.
 */
export const MAX_PROJECT_BYTES = 256 * 1024;

/** How much a change may add to a project already past MAX_PROJECT_BYTES. */
export const PROJECT_GROWTH_SLACK_BYTES = 1024;

/** The size no change may take a project's stored document past. */
export const PROJECT_HARD_MAX_BYTES = 320 * 1024;
