import { encodeAction } from '../commands/button-actions.js';
import type { WorkingDayCalendar } from '../domain/calendar.js';
import { own } from '../domain/dict.js';
import type { TrainingAlertKind } from '../domain/reminders.js';
import { invitees, trainingSlot, type TrainingSlot } from '../domain/trainings.js';
import type { Project, Training } from '../domain/types.js';
import type { Block, Button, Card, Mark } from '../../messages/card.js';
import { peopleOf, type View } from './texts.js';

/** The kinds of message about a training that are sent at once: an invitation, a new time, a cancellation. */
export type TrainingNoticeKind = 'invite' | 'moved' | 'cancelled';

/** "90 min". */
export function durationText(v: View, training: Pick<Training, 'minutes'>): string {
  return v.t.training.minutes({ minutes: String(training.minutes) });
}

/** Who a training is for, in the reader's words. */
export function audienceText(v: View, training: Pick<Training, 'audience'>): string {
  return training.audience === 'all' ? v.t.training.everyone : v.t.roles[training.audience];
}

/** How a training is pinned: so many working days before or after go-live, on go-live day, or a fixed date. */
export function ruleText(v: View, training: Pick<Training, 'when'>): string {
  const w = training.when;
  if (w.kind === 'fixed') return v.t.training.fixed;
  if (w.offset === 0) return v.t.training.onGoLive;
  return w.offset < 0 ? v.t.training.before({ days: String(-w.offset) }) : v.t.training.after({ days: String(w.offset) });
}

/** The Attending / Can't attend buttons of an invitation. */
export function attendanceButtons(v: View, project: Project, training: Training): Button[] {
  const on = { project: project.id, training: training.id };
  return [
    { ...encodeAction({ action: 'training.attend', ...on }), label: v.t.training.attend, style: 'primary' },
    { ...encodeAction({ action: 'training.decline', ...on }), label: v.t.training.decline },
  ];
}

/** `training list`: every session with its time, rule, audience and who answered what. */
export function trainingListCard(v: View, project: Project, calendar: WorkingDayCalendar): Card {
  const tr = v.t.training;
  if (project.trainings.length === 0) return { title: tr.listTitle({ name: project.name }), blocks: [{ type: 'text', text: tr.none }] };
  const items = project.trainings.map((t) => {
    const slot = trainingSlot(project, t, calendar);
    const invited = invitees(project, t);
    const yes = invited.filter((p) => own(t.attendance, p) === 'yes').length;
    const no = invited.filter((p) => own(t.attendance, p) === 'no').length;
    const mark: Mark = t.cancelled ? 'na' : slot ? 'info' : 'missing';
    const start = t.cancelled ? tr.cancelled : slot ? v.f.dateTime(slot.start) : tr.waiting;
    return {
      mark,
      text: tr.line({ id: t.id, name: t.name }),
      detail: tr.detail({
        start,
        duration: durationText(v, t),
        rule: ruleText(v, t),
        audience: audienceText(v, t),
        yes: String(yes),
        no: String(no),
        open: String(invited.length - yes - no),
      }),
    };
  });
  const answers: Block[] = project.trainings
    .filter((t) => !t.cancelled && Object.keys(t.attendance).length > 0)
    .map((t) => ({
      type: 'context' as const,
      text: `${t.id}: ${Object.entries(t.attendance)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([p, a]) => `<@${p}> ${a === 'yes' ? tr.attend : tr.decline}`)
        .join(', ')}`,
    }));
  return { title: tr.listTitle({ name: project.name }), blocks: [{ type: 'list', items }, ...answers], people: peopleOf(project) };
}

/** An invitation, a notice of a new time, or a cancellation, to one person. */
export function trainingNoticeCard(v: View, project: Project, training: Training, slot: TrainingSlot, kind: TrainingNoticeKind): Card {
  const tr = v.t.training;
  const p = { name: training.name, start: v.f.dateTime(slot.start), duration: durationText(v, training), project: project.name };
  const [title, text] =
    kind === 'invite'
      ? [tr.inviteTitle(p), tr.invite(p)]
      : kind === 'moved'
        ? [tr.movedTitle(p), tr.movedText(p)]
        : [tr.cancelTitle(p), tr.cancelText(p)];
  const blocks: Block[] = [{ type: 'text', text }];
  if (kind !== 'cancelled') {
    blocks.push({
      type: 'fields',
      fields: [
        { label: tr.when, value: p.start },
        { label: tr.duration, value: p.duration },
        { label: v.t.reminder.project, value: project.name },
      ],
    });
  }
  const buttons = kind === 'cancelled' ? [] : attendanceButtons(v, project, training);
  return { title, blocks, ...(buttons.length ? { buttons } : {}), people: peopleOf(project), summary: text };
}

/** A reminder of a training, one working day or one hour before it. */
export function trainingAlertCard(v: View, project: Project, training: Training, slot: TrainingSlot, kind: TrainingAlertKind): Card {
  const tr = v.t.training;
  const p = { name: training.name, start: v.f.dateTime(slot.start), duration: durationText(v, training) };
  return {
    title: tr.reminderTitle(p),
    blocks: [{ type: 'text', text: kind === 'day-before' ? tr.dayBefore(p) : tr.hourBefore(p) }],
    // The day before there is still time to say one can't attend; an hour before, there is not.
    ...(kind === 'day-before' ? { buttons: attendanceButtons(v, project, training) } : {}),
    people: peopleOf(project),
  };
}
