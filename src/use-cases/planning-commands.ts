import type { Command } from '../commands/command-types.js';
import { refuse, type Change } from '../domain/change.js';
import { taskName } from '../domain/checklist.js';
import { setReminderSettings } from '../domain/reminders.js';
import { snooze } from '../domain/snooze.js';
import { findTask } from '../domain/tasks.js';
import { addTraining, answerTraining, cancelTraining, expected, findTraining, moveTraining, trainingSlot } from '../domain/trainings.js';
import type { Project, Training } from '../domain/types.js';
import type { Card, ReplyBody, Visibility } from '../../messages/card.js';
import { mention } from '../../messages/i18n.js';
import { remindersCard } from '../views/reminder-cards.js';
import { audienceText, durationText, trainingListCard } from '../views/training-cards.js';
import { refusalText, sentence } from '../views/texts.js';
import type { Ctx } from './context.js';
import { viewReply } from './paged-views.js';
import { mutate } from './mutate.js';
import { forChannel, routine } from './audience.js';

/** The commands about time: snoozing reminders, trainings and the reminder settings. */
export type PlanningCommand = Extract<
  Command,
  {
    name:
      | 'snooze'
      | 'training-list'
      | 'training-add'
      | 'training-move'
      | 'training-cancel'
      | 'training-answer'
      | 'reminders-show'
      | 'reminders-set';
  }
>;

/** The command names this module answers, for the dispatcher. */
export const PLANNING_COMMANDS: ReadonlySet<string> = new Set<PlanningCommand['name']>([
  'snooze',
  'training-list',
  'training-add',
  'training-move',
  'training-cancel',
  'training-answer',
  'reminders-show',
  'reminders-set',
]);

/** Whether a command is one of the planning commands. */
export function isPlanningCommand(c: Command): c is PlanningCommand {
  return PLANNING_COMMANDS.has(c.name);
}

/** Runs a planning command on one project: reads answer the asker, changes go through the atomic store step. */
export async function runPlanningCommand(
  ctx: Ctx,
  projectId: string,
  command: PlanningCommand,
  visibility?: Visibility,
): Promise<ReplyBody> {
  const { store, calendar } = ctx.deps;
  if (command.name === 'training-list' || command.name === 'reminders-show') {
    const loaded = await store.load(ctx.inbound.actor.tenant, projectId);
    if (!loaded) return { visibility: 'private', cards: [sentence(refusalText(ctx, refuse('action.unknown')))] };
    const card =
      command.name === 'training-list' ? trainingListCard(ctx, loaded.project, calendar) : remindersCard(ctx, loaded.project.reminders);
    return viewReply(ctx, projectId, command, card, visibility);
  }
  const today = calendar.today(ctx.now);
  const outcome = await mutate(ctx, projectId, (p) => apply(ctx, p, command, today));
  if (outcome.kind === 'missing') return { visibility: 'private', cards: [sentence(refusalText(ctx, refuse('action.unknown')))] };
  if (outcome.kind === 'refused') return { visibility: 'private', cards: [sentence(refusalText(ctx, outcome.refusal), outcome.project)] };
  if (outcome.kind === 'unchanged') return { visibility: 'private', cards: [sentence(ctx.t.common.unchanged, outcome.project)] };
  // An answer to an invitation concerns only the person answering: it replaces the clicked card, or answers privately.
  const personal = command.name === 'training-answer' || command.name === 'snooze';
  const p = outcome.project;
  if (personal && ctx.inbound.input.kind !== 'action') return { visibility: 'private', cards: [confirmation(ctx, p, command)] };
  return (command.name === 'reminders-set' ? routine : forChannel)(ctx, p, (v) => [confirmation(v, p, command)]);
}

function apply(ctx: Ctx, p: Project, c: Exclude<PlanningCommand, { name: 'training-list' | 'reminders-show' }>, today: string): Change {
  const user = ctx.inbound.actor.userId;
  const { calendar } = ctx.deps;
  switch (c.name) {
    case 'snooze':
      return snooze(p, user, c.task, c.span, today, calendar);
    case 'training-add':
      return addTraining(p, user, c.input, ctx.now, calendar);
    case 'training-move':
      return moveTraining(p, user, c.ref, c.when, c.time, ctx.now, calendar);
    case 'training-cancel':
      return cancelTraining(p, user, c.ref);
    case 'training-answer':
      return answerTraining(p, user, c.ref, c.answer);
    case 'reminders-set':
      return setReminderSettings(p, user, c.patch);
  }
}

/** How many invitees a training's confirmation names (and so notifies) in the channel; the rest are counted. */
const INVITEES_NAMED = 20;

/** A training's confirmation with a line naming its invitees, who are notified (each also gets a personal message). */
function withInvitees(ctx: Ctx, p: Project, tr: Training, card: Card): Card {
  const people = expected(p, tr);
  if (people.length === 0) return card;
  const named = people.slice(0, INVITEES_NAMED);
  const rest = people.length - named.length;
  const list = ctx.f.list([...named.map(mention), ...(rest > 0 ? [ctx.t.chat.othersToo({ count: String(rest) })] : [])]);
  return { ...card, blocks: [...card.blocks, { type: 'context', text: ctx.t.chat.invited({ people: list }) }], notify: named };
}

function confirmation(ctx: Ctx, p: Project, c: PlanningCommand): Card {
  const { t, f } = ctx;
  const { calendar } = ctx.deps;
  const training = (ref: string): Training | undefined => {
    const found = c.name === 'training-add' ? p.trainings.at(-1) : findTraining(p, ref);
    return found && !('refused' in found) ? found : undefined;
  };
  const start = (tr: Training) => {
    const slot = trainingSlot(p, tr, calendar);
    return slot ? f.dateTime(slot.start) : t.training.waiting;
  };
  switch (c.name) {
    case 'snooze': {
      const task = findTask(p, c.task);
      if ('refused' in task) return sentence(t.common.unchanged, p);
      return sentence(t.reminder.snoozed({ task: `${task.id} (${taskName(task, ctx.lang)})`, date: f.date(task.snoozedUntil) }), p);
    }
    case 'training-add': {
      const tr = training('');
      if (!tr) return sentence(t.common.unchanged, p);
      return withInvitees(
        ctx,
        p,
        tr,
        sentence(
          t.training.added({
            id: tr.id,
            name: tr.name,
            start: start(tr),
            duration: durationText(ctx, tr),
            audience: audienceText(ctx, tr),
          }),
          p,
        ),
      );
    }
    case 'training-move':
    case 'training-cancel':
    case 'training-answer': {
      const tr = training(c.ref);
      if (!tr) return sentence(t.common.unchanged, p);
      const params = { id: tr.id, name: tr.name, start: start(tr) };
      if (c.name === 'training-move') return withInvitees(ctx, p, tr, sentence(t.training.moved(params), p));
      if (c.name === 'training-cancel') return withInvitees(ctx, p, tr, sentence(t.training.cancelledDone(params), p));
      return sentence(c.answer === 'yes' ? t.training.attending(params) : t.training.declined(params), p);
    }
    case 'reminders-set':
    case 'reminders-show': {
      const card = remindersCard(ctx, p.reminders);
      return { ...card, blocks: [{ type: 'text', text: t.remindersCard.saved }, ...card.blocks] };
    }
    case 'training-list':
      return trainingListCard(ctx, p, calendar);
  }
}
