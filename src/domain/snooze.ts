import type { IsoDate, WorkingDayCalendar } from './calendar.js';
import { accept, draft, refuse, unchanged, type Change } from './change.js';
import { findTask, mayWork } from './tasks.js';
import type { Project, Task } from './types.js';

/** How long to snooze: a number of working days from today, or until a given date. */
export type SnoozeFor = { workingDays: number } | { date: IsoDate };

/** The date a snooze ends on: reminders return that day, or on the next working day if it is a day off. */
export function snoozeEnd(calendar: WorkingDayCalendar, today: IsoDate, span: SnoozeFor): IsoDate {
  return 'workingDays' in span ? calendar.addWorkingDays(today, span.workingDays) : calendar.onOrAfter(span.date);
}

/** Whether the owner's reminders for a task are quiet on a date. */
export function isSnoozed(task: Pick<Task, 'snoozedUntil'>, date: IsoDate): boolean {
  return task.snoozedUntil !== undefined && date < task.snoozedUntil;
}

/**
 * Quiets a task's reminders to its owner until a later working day; the owner or a coordinator.
 * Escalation to the coordinators is not snoozed: it is the safety net when a task stays overdue.
 */
export function snooze(
  project: Project,
  userId: string,
  ref: string,
  span: SnoozeFor,
  today: IsoDate,
  calendar: WorkingDayCalendar,
): Change {
  const found = findTask(project, ref);
  if ('refused' in found) return found;
  const denied = mayWork(project, userId, found);
  if (denied) return denied;
  const until = snoozeEnd(calendar, today, span);
  if (until <= today) return refuse('snooze.date-past', { date: 'date' in span ? span.date : until });
  if (found.snoozedUntil === until) return unchanged(project);
  const next = draft(project);
  const task = next.tasks.find((t) => t.id === found.id) as Task;
  const before = { snoozedUntil: task.snoozedUntil };
  task.snoozedUntil = until;
  return accept(next, { action: 'task.snooze', target: task.id, before, after: { snoozedUntil: until } });
}
