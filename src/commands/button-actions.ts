import { ANNOUNCEMENTS, type Announcement } from '../domain/types.js';
import { parseSnoozeDays } from './tokens.js';

// Every button the bot makes, as one typed union: the views build them with encodeAction, Bot.action reads them
// back with decodeAction. The wire format is the one buttons already posted in channels carry: the action id,
// and a value `p<hex>|<target>` (a snooze and a texts form add `|<extra>`; *Share* is the bare project id).
// A value names a project and a target but is never trusted alone: Bot.action acts only on the project of the
// conversation the press comes from (or, for a personal button in the person's direct chat, on a project they hold
// a role in), and the use-case checks who pressed it.

/** A snooze button's span: so many working days, or until the date typed into its form. */
export type SnoozeSpan = { workingDays: number } | 'until';

/** What a button asks for, and of which project: a closed union, so encoding and decoding both switch exhaustively. */
export type ButtonAction =
  | { action: 'status.share'; project: string }
  | { action: 'signoff.approve' | 'signoff.remarks' | 'signoff.reject'; project: string; signoff: string }
  | { action: 'task.done' | 'task.start'; project: string; task: string }
  | { action: 'task.snooze'; project: string; task: string; span: SnoozeSpan }
  | { action: 'decision.go' | 'decision.nogo' | 'decision.postpone'; project: string }
  | { action: 'staff.yes' | 'staff.problem'; project: string }
  | { action: 'comms.texts'; project: string; group: string; kind: Announcement }
  | { action: 'training.attend' | 'training.decline'; project: string; training: string }
  | { action: 'signoff.view'; project: string; signoff: string }
  | { action: 'view.page'; project: string; view: PagedView; page: number };

/**
 * A read view that can run over several pages, named as its page buttons carry it: `tasks`, `tasks-mine`,
 * `tasks-overdue`, `tasks-blocked`, `tasks-unassigned`, `tasks.<group>`, `notes.<task>`, `status`, `people`,
 * `signoffs`, `staff`, `training`, `risks`, `comms`, `comms-status` or `preview-<announcement>`.
 */
export type PagedView = string;

/** The highest page a page button may name: far beyond any card, small enough for the wire format. */
export const MAX_PAGE = 999;
const PAGED_VIEW =
  /^(?:tasks(?:-mine|-overdue|-blocked|-unassigned|\.[a-z0-9][a-z0-9.-]{0,60})?|notes\.[a-z0-9][a-z0-9.-]{0,60}|status|people|signoffs|staff|training|risks|comms|comms-status|preview-[a-z-]{2,16})$/;

/** The action ids buttons carry, for code that must name one (Share is left off a card already shared). */
export type ButtonActionId = ButtonAction['action'];

// The wire format's parts; their limits and characters are those of every button posted so far.
const PROJECT = 'p[0-9a-f]{4,32}';
const TARGET = '[a-z0-9][a-z0-9.-]{0,80}';
const EXTRA = '[a-z0-9-]{1,16}';
const BARE = new RegExp(`^${PROJECT}$`);
const WIRE = new RegExp(`^(${PROJECT})\\|(${TARGET})(?:\\|(${EXTRA}))?$`);
/** The fixed targets of buttons that act on the project as a whole. */
const DECIDE = 'decide';
const STAFF = 'staff';

const join = (...parts: string[]): string => parts.join('|');

/** A button's action id and value, so every view writes the one wire format Bot.action reads. */
export function encodeAction(a: ButtonAction): { action: ButtonActionId; value: string } {
  return { action: a.action, value: valueOf(a) };
}

function valueOf(a: ButtonAction): string {
  switch (a.action) {
    case 'status.share':
      return a.project;
    case 'signoff.approve':
    case 'signoff.remarks':
    case 'signoff.reject':
      return join(a.project, a.signoff);
    case 'task.done':
    case 'task.start':
      return join(a.project, a.task);
    case 'task.snooze':
      return join(a.project, a.task, a.span === 'until' ? 'until' : `${a.span.workingDays}wd`);
    case 'decision.go':
    case 'decision.nogo':
    case 'decision.postpone':
      return join(a.project, DECIDE);
    case 'staff.yes':
    case 'staff.problem':
      return join(a.project, STAFF);
    case 'comms.texts':
      return join(a.project, a.group, a.kind);
    case 'training.attend':
    case 'training.decline':
      return join(a.project, a.training);
    case 'signoff.view':
      return join(a.project, a.signoff);
    case 'view.page':
      return join(a.project, a.view, String(a.page));
  }
}

/**
 * Whether the bot sends this button to a person directly (a task reminder or escalation, a training invitation,
 * the staff question; a sign-off request may be answered there too), so a press in their direct chat with the bot
 * may name a project whose conversation is elsewhere. Every other button acts only where its project lives.
 */
export function isPersonal(a: ButtonAction): boolean {
  switch (a.action) {
    case 'task.done':
    case 'task.start':
    case 'task.snooze':
    case 'training.attend':
    case 'training.decline':
    case 'staff.yes':
    case 'staff.problem':
    case 'signoff.approve':
    case 'signoff.remarks':
    case 'signoff.reject':
    case 'signoff.view': // the per-person view of a request: Teams asks for it in whichever copy the reader has
      return true;
    case 'view.page': // a list's next page acts where the list was asked for: the project's conversation
    case 'status.share':
    case 'decision.go':
    case 'decision.nogo':
    case 'decision.postpone':
    case 'comms.texts':
      return false;
  }
}

/** A snooze button's third part: `1wd`…`60wd` (also `tp`, `ad`), or `until` a date its form asks for. */
function spanOf(extra: string | undefined): SnoozeSpan | undefined {
  if (extra === 'until') return 'until';
  const days = extra === undefined ? undefined : parseSnoozeDays(extra);
  return days === undefined ? undefined : { workingDays: days };
}

/** The button a press names, or undefined for anything the bot did not make (answered with `action.unknown`). */
export function decodeAction(action: string, value: string): ButtonAction | undefined {
  if (action === 'status.share') return BARE.test(value) ? { action, project: value } : undefined;
  const m = WIRE.exec(value);
  if (!m) return undefined;
  const [, project = '', target = '', extra] = m;
  switch (action) {
    case 'task.snooze': {
      const span = spanOf(extra);
      return span ? { action, project, task: target, span } : undefined;
    }
    case 'comms.texts': {
      const kind = ANNOUNCEMENTS.find((k) => k === extra);
      return kind ? { action, project, group: target, kind } : undefined;
    }
    case 'view.page': {
      const page = extra !== undefined && /^[1-9][0-9]{0,2}$/.test(extra) ? Number(extra) : undefined;
      return page !== undefined && page <= MAX_PAGE && PAGED_VIEW.test(target) ? { action, project, view: target, page } : undefined;
    }
  }
  // Only a snooze and a texts form carry a third part; anything else with one is not a button the bot made.
  if (extra !== undefined) return undefined;
  switch (action) {
    case 'signoff.approve':
    case 'signoff.remarks':
    case 'signoff.reject':
      return { action, project, signoff: target };
    case 'task.done':
    case 'task.start':
      return { action, project, task: target };
    case 'decision.go':
    case 'decision.nogo':
    case 'decision.postpone':
      return target === DECIDE ? { action, project } : undefined;
    case 'staff.yes':
    case 'staff.problem':
      return target === STAFF ? { action, project } : undefined;
    case 'training.attend':
    case 'training.decline':
      return { action, project, training: target };
    case 'signoff.view':
      return { action, project, signoff: target };
    default:
      return undefined;
  }
}
