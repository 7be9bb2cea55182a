import { commandWord } from '../commands/command-types.js';
import { wordFor } from '../commands/sub-words.js';
import { encodeAction } from '../commands/button-actions.js';
import type { IsoDate, WorkingDayCalendar } from '../domain/calendar.js';
import { applicableTasks, effectiveStatus, progress, taskName } from '../domain/checklist.js';
import type { PlannedReminder } from '../domain/reminders.js';
import { trainingSlot } from '../domain/trainings.js';
import type { Lang, Project, ReminderSettings, Task } from '../domain/types.js';
import type { Block, Button, Card } from '../../messages/card.js';
import { mention } from '../../messages/i18n.js';
import { isOverdue } from './cards.js';
import { peopleOf, type View } from './texts.js';

/** How far ahead the digest looks for due dates, in working days. */
export const DIGEST_LOOKAHEAD = 5;
/** How many tasks each list of the digest shows; the rest are counted, with the command that lists them. */
export const DIGEST_LIST_MAX = 12;
const WEEKDAY_KEYS = ['mon', 'tue', 'wed', 'thu', 'fri'] as const;

const label = (task: Task, lang: Lang): string => `${task.id} (${taskName(task, lang)})`;

/** The buttons on a reminder to a task's owner: Done and Start up front; Snooze for 1 or 3 working days or until a date behind "More". */
export function reminderButtons(v: View, project: Project, task: Task): Button[] {
  const on = { project: project.id, task: task.id };
  const r = v.t.reminder;
  const buttons: Button[] = [{ ...encodeAction({ action: 'task.done', ...on }), label: r.done, style: 'primary' }];
  if (task.status === 'todo') buttons.push({ ...encodeAction({ action: 'task.start', ...on }), label: r.start });
  buttons.push(
    { ...encodeAction({ action: 'task.snooze', ...on, span: { workingDays: 1 } }), label: r.snooze1, secondary: true },
    { ...encodeAction({ action: 'task.snooze', ...on, span: { workingDays: 3 } }), label: r.snooze3, secondary: true },
    {
      ...encodeAction({ action: 'task.snooze', ...on, span: 'until' }),
      label: r.snoozeUntil,
      secondary: true,
      form: {
        title: r.snoozeForm,
        submit: r.snoozeSubmit,
        inputs: [{ id: 'date', label: r.snoozeDate, placeholder: r.snoozePlaceholder, required: true, maxLength: 10 }],
      },
    },
  );
  return buttons;
}

/** "due in 2 working days", or, caught up on the due date itself (or the working day before a due date off work), just when it is due. */
function dueSoonText(v: View, params: { task: string; due: string }, days: number): string {
  return days > 0 ? v.t.reminder.dueSoon({ ...params, days: String(days) }) : v.t.task.due(params);
}

/** A due-soon, overdue or escalation reminder about one task, as its reader sees it. */
export function taskReminderCard(
  v: View,
  project: Project,
  task: Task,
  reminder: PlannedReminder,
  calendar: WorkingDayCalendar,
  lang: Lang,
): Card {
  const r = v.t.reminder;
  const due = task.due as IsoDate;
  const params = { task: label(task, lang), due: v.f.date(due), owner: task.owner ? mention(task.owner) : r.noOwner };
  const late = String(calendar.workingDaysBetween(due, reminder.date));
  const [title, text] =
    reminder.kind === 'due-soon'
      ? [r.dueSoonTitle({ task: taskName(task, lang) }), dueSoonText(v, params, calendar.workingDaysBetween(reminder.date, due))]
      : reminder.kind === 'overdue'
        ? [r.overdueTitle({ task: taskName(task, lang) }), r.overdue({ ...params, days: late })]
        : [r.escalationTitle({ task: taskName(task, lang) }), r.escalation({ ...params, days: late })];
  const blocks: Block[] = [
    { type: 'text', text },
    {
      type: 'fields',
      fields: [
        { label: r.project, value: project.name },
        { label: r.due, value: v.f.date(due) },
        { label: r.status, value: v.t.status[effectiveStatus(project.tasks, task)] },
        { label: r.owner, value: params.owner },
      ],
    },
    { type: 'context', text: r.footer },
  ];
  const buttons = reminder.kind === 'escalation' ? [] : reminderButtons(v, project, task);
  return {
    title,
    blocks,
    ...(buttons.length ? { buttons } : {}),
    people: peopleOf(project),
    summary: text,
    // The owner is the one to act (the escalation goes to the coordinator, and names the owner for them).
    ...(task.owner && reminder.kind !== 'escalation' ? { notify: [task.owner] } : {}),
  };
}

/** The weekly digest for the project channel: go-live, progress, what is overdue, due soon, and trainings ahead. */
export function digestCard(v: View, project: Project, calendar: WorkingDayCalendar, today: IsoDate, lang: Lang): Card {
  const tasks = applicableTasks(project);
  const total = progress(tasks);
  const overdue = tasks.filter((t) => isOverdue(project, t, today));
  const horizon = calendar.addWorkingDays(today, DIGEST_LOOKAHEAD);
  const soon = tasks.filter((t) => {
    const s = effectiveStatus(tasks, t);
    return t.due && t.due >= today && t.due <= horizon && s !== 'done' && s !== 'na';
  });
  const line = (t: Task) => ({
    mark: 'warn' as const,
    text: v.t.digest.line({ task: label(t, lang), due: v.f.date(t.due), owner: t.owner ? mention(t.owner) : '' }),
  });
  const blocks: Block[] = [
    {
      type: 'fields',
      fields: [
        { label: v.t.statusCard.goLive, value: project.goLive ? v.f.date(project.goLive) : v.t.statusCard.noGoLive },
        {
          label: v.t.statusCard.daysToGo,
          value: project.goLive ? v.f.number(calendar.workingDaysBetween(today, project.goLive)) : v.t.statusCard.noGoLive,
        },
        { label: v.t.statusCard.overdue, value: v.f.number(overdue.length) },
      ],
    },
    { type: 'progress', label: v.t.statusCard.progress, done: total.done, total: total.total },
  ];
  // A digest is sent on its own, so it has no pages: each list shows its first tasks and says how to see the rest.
  const more = (count: number, command: string): Block[] =>
    count > DIGEST_LIST_MAX ? [{ type: 'context', text: v.t.chat.andMore({ count: String(count - DIGEST_LIST_MAX), command }) }] : [];
  if (overdue.length > 0)
    blocks.push(
      { type: 'text', text: v.t.digest.overdue },
      { type: 'list', items: overdue.slice(0, DIGEST_LIST_MAX).map(line) },
      ...more(overdue.length, `${commandWord('tasks', v.f.lang)} ${wordFor('filter', 'overdue', v.f.lang)}`),
    );
  if (soon.length > 0)
    blocks.push(
      { type: 'text', text: v.t.digest.dueSoon({ days: String(DIGEST_LOOKAHEAD) }) },
      { type: 'list', items: soon.slice(0, DIGEST_LIST_MAX).map((t) => ({ ...line(t), mark: 'todo' as const })) },
      ...more(soon.length, commandWord('tasks', v.f.lang)),
    );
  if (overdue.length === 0 && soon.length === 0) blocks.push({ type: 'context', text: v.t.digest.quiet });
  const until = calendar.addWorkingDays(today, 2 * DIGEST_LOOKAHEAD);
  const trainings = project.trainings
    .filter((t) => !t.cancelled)
    .map((t) => ({ t, slot: trainingSlot(project, t, calendar) }))
    .filter(({ slot }) => slot && slot.date >= today && slot.date <= until)
    .sort((a, b) => a.slot!.start.getTime() - b.slot!.start.getTime());
  if (trainings.length > 0) {
    blocks.push(
      { type: 'text', text: v.t.digest.trainings },
      {
        type: 'list',
        items: trainings.map(({ t, slot }) => ({
          mark: 'info' as const,
          text: v.t.digest.trainingLine({ name: t.name, start: v.f.dateTime(slot!.start) }),
        })),
      },
    );
  }
  // The owners of overdue tasks are the ones the digest is for.
  const owners = [...new Set(overdue.slice(0, DIGEST_LIST_MAX).flatMap((t) => (t.owner ? [t.owner] : [])))];
  return {
    title: v.t.digest.title({ name: project.name }),
    blocks,
    people: peopleOf(project),
    ...(owners.length > 0 ? { notify: owners } : {}),
  };
}

/** `reminders`: when reminders, escalations and the digest come. */
export function remindersCard(v: View, settings: ReminderSettings): Card {
  const c = v.t.remindersCard;
  return {
    title: c.title,
    blocks: [
      {
        type: 'fields',
        fields: [
          { label: c.enabled, value: settings.enabled ? c.on : c.off },
          { label: c.time, value: v.f.time(settings.time) },
          { label: c.dueSoon, value: settings.dueSoonDays > 0 ? c.dueSoonValue({ days: String(settings.dueSoonDays) }) : c.off },
          { label: c.escalate, value: c.escalateValue({ days: String(settings.escalateAfter) }) },
          {
            label: c.digest,
            value: c.digestValue({ day: v.t.weekdays[WEEKDAY_KEYS[settings.digestDay - 1] ?? 'mon'], time: v.f.time(settings.digestTime) }),
          },
        ],
      },
      { type: 'context', text: c.hint },
    ],
  };
}
