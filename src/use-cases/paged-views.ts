import { ANNOUNCEMENTS } from '../domain/types.js';
import type { PagedView } from '../commands/button-actions.js';
import type { Command } from '../commands/command-types.js';
import type { Card, ReplyBody, Visibility } from '../../messages/card.js';
import { paginate } from '../views/paging.js';
import type { Ctx } from './context.js';

/** The read view a command shows, as its page buttons name it; undefined for a command whose answer is never paged. */
export function viewOf(command: Command): PagedView | undefined {
  switch (command.name) {
    case 'status':
    case 'people':
    case 'signoffs':
      return command.name;
    case 'tasks':
      return typeof command.filter === 'string'
        ? command.filter === 'all'
          ? 'tasks'
          : `tasks-${command.filter}`
        : `tasks.${command.filter.group.toLowerCase()}`;
    case 'training-list':
      return 'training';
    case 'risk-list':
      return 'risks';
    case 'note-list':
      return `notes.${command.task.toLowerCase()}`;
    case 'staff':
      return command.op.op === 'show' ? 'staff' : undefined;
    case 'comms':
      return command.op.op === 'show'
        ? 'comms'
        : command.op.op === 'status'
          ? 'comms-status'
          : command.op.op === 'preview'
            ? `preview-${command.op.kind}`
            : undefined;
    default:
      return undefined;
  }
}

/** The command that shows a view again, for a page button; undefined for a view no command shows. */
export function viewCommand(view: PagedView): Command | undefined {
  switch (view) {
    case 'status':
      return { name: 'status' };
    case 'people':
      return { name: 'people' };
    case 'signoffs':
      return { name: 'signoffs' };
    case 'tasks':
      return { name: 'tasks', filter: 'all' };
    case 'tasks-mine':
      return { name: 'tasks', filter: 'mine' };
    case 'tasks-overdue':
      return { name: 'tasks', filter: 'overdue' };
    case 'tasks-blocked':
      return { name: 'tasks', filter: 'blocked' };
    case 'tasks-unassigned':
      return { name: 'tasks', filter: 'unassigned' };
    case 'risks':
      return { name: 'risk-list' };
    case 'training':
      return { name: 'training-list' };
    case 'staff':
      return { name: 'staff', op: { op: 'show' } };
    case 'comms':
      return { name: 'comms', op: { op: 'show' } };
    case 'comms-status':
      return { name: 'comms', op: { op: 'status' } };
  }
  if (view.startsWith('tasks.')) return { name: 'tasks', filter: { group: view.slice('tasks.'.length) } };
  if (view.startsWith('notes.')) return { name: 'note-list', task: view.slice('notes.'.length) };
  const kind = ANNOUNCEMENTS.find((k) => view === `preview-${k}`);
  return kind ? { name: 'comms', op: { op: 'preview', kind } } : undefined;
}

/**
 * A read view's answer: the page asked for (a long list is paged inside one message), replacing the message
 * its page button was on. A view that fits one page is the card itself.
 */
export function viewReply(ctx: Ctx, projectId: string, command: Command, card: Card, visibility: Visibility | undefined): ReplyBody {
  const view = viewOf(command);
  const shown = view ? paginate(ctx, card, projectId, view, ctx.page) : card;
  return {
    visibility: visibility ?? 'private',
    cards: [shown],
    lang: ctx.lang,
    ...(ctx.page !== undefined ? { replaceOriginal: true } : {}),
  };
}
