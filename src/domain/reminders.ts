import type { IsoDate, WorkingDayCalendar } from './calendar.js';
import { accept, draft, unchanged, type Change } from './change.js';
import { applicableTasks, effectiveStatus } from './checklist.js';
import { holders, requireRole } from './roles.js';
import { isSnoozed } from './snooze.js';
import { STAFF_TASK } from './staff.js';
import { FORM_TASK, isFormFollowUpDay } from './joining-form.js';
import { expected, trainingSlot } from './trainings.js';
import type { Project, ReminderSettings, Task } from './types.js';

/** The kinds of task reminder: to the owner before and after the due date, to the coordinators, to the channel. */
export const REMINDER_KINDS = ['due-soon', 'overdue', 'escalation', 'digest', 'staff-login', 'form-followup'] as const;
export type ReminderKind = (typeof REMINDER_KINDS)[number];

/**
 * One reminder due on one date. The fingerprint is the state the reminder was planned for: when the
 * task's due date, owner, status or snooze (or the settings) change, it changes, and a reminder planned
 * for the old state is dropped instead of sent.
 */
export interface PlannedReminder {
  kind: ReminderKind;
  /** The task it is about; none for the digest. */
  task?: string;
  date: IsoDate;
  /** Instant (ISO) it is sent at: the date's wall-clock time in Helsinki. */
  at: string;
  /** Person ids, or the project channel. */
  to: string[] | 'channel';
  fingerprint: string;
  /** For a level sent once per task (due-soon, escalation): what it is sent for, its task's due date and owner. */
  cycle?: string;
}

/** The levels each task gets once per due date and owner, whatever day their condition first holds on. */
export const ONCE_KINDS: ReadonlySet<ReminderKind> = new Set<ReminderKind>(['due-soon', 'escalation']);

/**
 * Which once-levels were already sent, as the planner and the worker read them from Redis: `<task>|<kind>` →
 * the cycle sent for. A level whose recorded cycle is the task's current one is not planned again.
 */
export type SentLevels = ReadonlyMap<string, string>;

/** The field a once-level is recorded under in SentLevels. */
export function sentField(task: string, kind: ReminderKind): string {
  return `${task}|${kind}`;
}

/** What a once-level is sent for: a new due date or a new owner starts the levels again. */
export function reminderCycle(task: Pick<Task, 'due' | 'owner'>): string {
  return `${task.due ?? ''}|${task.owner ?? ''}`;
}

/** The kinds of message about a training sent on a schedule (invitations and notices of a new time are sent at once). */
export const TRAINING_ALERTS = ['day-before', 'hour-before'] as const;
export type TrainingAlertKind = (typeof TRAINING_ALERTS)[number];

/** A training reminder: one working day before at the same time, and one hour before the start. */
export interface PlannedTrainingAlert {
  kind: TrainingAlertKind;
  training: string;
  /** Start of the training (ISO instant): part of the alert's identity, so a moved training gets new ones. */
  start: string;
  at: string;
  fingerprint: string;
}

const open = (project: Project, task: Task): boolean => {
  const s = effectiveStatus(project.tasks, task);
  return s !== 'done' && s !== 'na';
};

/** The ISO week's digest day: the configured weekday, or the next working day in the same week if it is a day off. */
export function digestDate(calendar: WorkingDayCalendar, date: IsoDate, weekday: number): IsoDate | undefined {
  const monday = calendar.addDays(date, 1 - calendar.weekday(date));
  const day = calendar.onOrAfter(calendar.addDays(monday, weekday - 1));
  return calendar.weekday(day) >= weekday && day <= calendar.addDays(monday, 6) ? day : undefined;
}

/**
 * Every task reminder a project has on one date. Pure: the planner adds these as delayed jobs, and the
 * worker computes them again when one fires, sending it only if it is still in this list unchanged.
 * Nothing is ever due on a weekend or a Finnish holiday. The due-soon and escalation levels are due on
 * every day their condition holds (due within `dueSoonDays` working days; overdue by at least
 * `escalateAfter`) until `sent` records them for the task's due date and owner, so a day missed (the bot
 * down, a task assigned late) is caught up on the next one, and a level is never sent twice.
 */
export function remindersFor(
  project: Project,
  date: IsoDate,
  calendar: WorkingDayCalendar,
  sent: SentLevels = new Map(),
): PlannedReminder[] {
  const s = project.reminders;
  if (!s.enabled || !calendar.isWorkingDay(date)) return [];
  const at = calendar.at(date, s.time).toISOString();
  const out: PlannedReminder[] = [];
  const coordinators = holders(project, 'coordinator').sort();
  for (const task of applicableTasks(project)) {
    if (!task.due || !open(project, task)) continue;
    const state = {
      due: task.due,
      owner: task.owner ?? null,
      status: effectiveStatus(project.tasks, task),
      snoozedUntil: task.snoozedUntil ?? null,
      at,
    };
    const cycle = reminderCycle(task);
    const unsent = (kind: ReminderKind) => sent.get(sentField(task.id, kind)) !== cycle;
    if (task.owner && !isSnoozed(task, date)) {
      const soon = s.dueSoonDays > 0 && date <= task.due && date >= calendar.addWorkingDays(task.due, -s.dueSoonDays);
      if (soon && unsent('due-soon')) {
        out.push({ kind: 'due-soon', task: task.id, date, at, to: [task.owner], fingerprint: JSON.stringify(state), cycle });
      }
      if (task.due < date) out.push({ kind: 'overdue', task: task.id, date, at, to: [task.owner], fingerprint: JSON.stringify(state) });
    }
    const late = task.due < date && calendar.workingDaysBetween(task.due, date) >= s.escalateAfter;
    if (coordinators.length > 0 && late && unsent('escalation')) {
      const { snoozedUntil: _ignored, ...unsnoozed } = state;
      out.push({
        kind: 'escalation',
        task: task.id,
        date,
        at,
        to: coordinators,
        fingerprint: JSON.stringify({ ...unsnoozed, coordinators }),
        cycle,
      });
    }
  }
  // Officials who have not answered whether they can log in are asked again on every working day after the question.
  const silent = Object.entries(project.staffLogin)
    .filter(([, x]) => !x.answer && calendar.today(new Date(x.askedAt)) < date)
    .map(([id]) => id)
    .sort();
  if (silent.length > 0)
    out.push({ kind: 'staff-login', task: STAFF_TASK, date, at, to: silent, fingerprint: JSON.stringify({ silent, at }) });
  if (coordinators.length > 0 && isFormFollowUpDay(project, date, calendar)) {
    out.push({
      kind: 'form-followup',
      task: FORM_TASK,
      date,
      at,
      to: coordinators,
      fingerprint: JSON.stringify({ form: project.joiningForm, coordinators, at }),
    });
  }
  if (digestDate(calendar, date, s.digestDay) === date) {
    const digestAt = calendar.at(date, s.digestTime).toISOString();
    out.push({
      kind: 'digest',
      date,
      at: digestAt,
      to: 'channel',
      fingerprint: JSON.stringify({ channel: project.channel, at: digestAt }),
    });
  }
  return out;
}

/** The scheduled reminders of every training still ahead (cancelled ones and ones without a date have none). */
export function trainingAlerts(project: Project, calendar: WorkingDayCalendar): PlannedTrainingAlert[] {
  const out: PlannedTrainingAlert[] = [];
  for (const t of project.trainings) {
    if (t.cancelled) continue;
    const slot = trainingSlot(project, t, calendar);
    if (!slot) continue;
    const start = slot.start.toISOString();
    const fingerprint = JSON.stringify({ start, minutes: t.minutes, name: t.name, audience: t.audience });
    const dayBefore = calendar.at(calendar.previousWorkingDay(slot.date), t.time).toISOString();
    const hourBefore = new Date(slot.start.getTime() - 3_600_000).toISOString();
    out.push({ kind: 'day-before', training: t.id, start, at: dayBefore, fingerprint });
    out.push({ kind: 'hour-before', training: t.id, start, at: hourBefore, fingerprint });
  }
  return out;
}

/** Who a training alert goes to now: invitees who have not declined. */
export function alertRecipients(project: Project, trainingId: string): string[] {
  const t = project.trainings.find((x) => x.id === trainingId);
  return t && !t.cancelled ? expected(project, t) : [];
}

/** Changes the reminder settings; coordinators only. */
export function setReminderSettings(project: Project, userId: string, patch: Partial<ReminderSettings>): Change {
  const denied = requireRole(project, userId, 'coordinator');
  if (denied) return denied;
  const merged = { ...project.reminders, ...patch };
  if (JSON.stringify(merged) === JSON.stringify(project.reminders)) return unchanged(project);
  const next = draft(project);
  next.reminders = merged;
  return accept(next, { action: 'project.reminders', before: project.reminders, after: patch });
}
