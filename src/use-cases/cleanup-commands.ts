import type { Command } from '../commands/command-types.js';
import { refuse, type Change } from '../domain/change.js';
import { removeRisk } from '../domain/evidence.js';
import { findTask, removeItem, removeNote } from '../domain/tasks.js';
import type { Project } from '../domain/types.js';
import type { ReplyBody, Visibility } from '../../messages/card.js';
import { notesCard, riskListCard } from '../views/list-cards.js';
import { refusalText, sentence } from '../views/texts.js';
import type { Ctx } from './context.js';
import { mutate } from './mutate.js';
import { viewReply } from './paged-views.js';

/** The lists and removals of what was recorded by mistake: risks, a task's notes, the project's own items. */
export type CleanupCommand = Extract<Command, { name: 'risk-list' | 'risk-remove' | 'note-list' | 'note-remove' | 'item-remove' }>;

const NAMES: ReadonlySet<string> = new Set<CleanupCommand['name']>(['risk-list', 'risk-remove', 'note-list', 'note-remove', 'item-remove']);

/** Whether a command is one of these. */
export function isCleanupCommand(c: Command): c is CleanupCommand {
  return NAMES.has(c.name);
}

const privateText = (text: string, p?: Project): ReplyBody => ({ visibility: 'private', cards: [sentence(text, p)] });

/** Runs a list (answered to the asker) or a removal (through the atomic store step, audited with what was removed). */
export async function runCleanupCommand(ctx: Ctx, projectId: string, command: CleanupCommand, visibility?: Visibility): Promise<ReplyBody> {
  const { actor } = ctx.inbound;
  if (command.name === 'risk-list' || command.name === 'note-list') {
    const loaded = await ctx.deps.store.load(actor.tenant, projectId);
    if (!loaded) return privateText(refusalText(ctx, refuse('action.unknown')));
    const p = loaded.project;
    if (command.name === 'risk-list') return viewReply(ctx, projectId, command, riskListCard(ctx, p), visibility);
    const task = findTask(p, command.task);
    if ('refused' in task) return privateText(refusalText(ctx, task), p);
    return viewReply(ctx, projectId, command, notesCard(ctx, p, task, ctx.lang), visibility);
  }
  const user = actor.userId;
  const apply = (p: Project): Change => {
    switch (command.name) {
      case 'risk-remove':
        return removeRisk(p, user, command.ref);
      case 'note-remove':
        return removeNote(p, user, command.task, command.number);
      case 'item-remove':
        return removeItem(p, user, command.task);
    }
  };
  const outcome = await mutate(ctx, projectId, apply);
  if (outcome.kind === 'missing') return privateText(refusalText(ctx, refuse('action.unknown')));
  if (outcome.kind === 'refused') return privateText(refusalText(ctx, outcome.refusal), outcome.project);
  if (outcome.kind === 'unchanged') return privateText(ctx.t.common.unchanged, outcome.project);
  const { rules } = ctx.t;
  const before = outcome.before;
  const task = command.name === 'risk-remove' ? undefined : findTask(before, command.task);
  const taskId = task && !('refused' in task) ? task.id : '';
  const text =
    command.name === 'risk-remove'
      ? rules.riskRemoved({ id: command.ref })
      : command.name === 'note-remove'
        ? rules.noteRemoved({ number: String(command.number), task: taskId })
        : rules.itemRemoved({ task: taskId });
  return { visibility: 'channel', cards: [sentence(text, outcome.project)] };
}
