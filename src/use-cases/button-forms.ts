import { decodeAction, encodeAction, type ButtonAction } from '../commands/button-actions.js';
import { refuse } from '../domain/change.js';
import { findGroup } from '../domain/comms.js';
import { findSignoff } from '../domain/signoffs.js';
import type { Project } from '../domain/types.js';
import type { Button, Form } from '../../messages/card.js';
import { signoffCard } from '../views/cards.js';
import { decideButtons, textsButton } from '../views/comms-cards.js';
import { reminderButtons } from '../views/reminder-cards.js';
import { staffQuestionCard } from '../views/staff-cards.js';
import { refusalText, type View } from '../views/texts.js';
import { commandOfButton } from './button-commands.js';

/** The buttons of the card a pressed button belongs to, as the project would show them now. */
function buttonsNow(v: View, project: Project, pressed: ButtonAction): Button[] {
  switch (pressed.action) {
    case 'signoff.remarks':
    case 'signoff.reject': {
      const s = findSignoff(project, pressed.signoff);
      return 'refused' in s ? [] : (signoffCard(v, project, s).buttons ?? []);
    }
    case 'decision.go':
    case 'decision.nogo':
    case 'decision.postpone':
      return decideButtons(v, project);
    case 'task.snooze': {
      const task = project.tasks.find((t) => t.id === pressed.task);
      return task ? reminderButtons(v, project, task) : [];
    }
    case 'staff.problem':
      return staffQuestionCard(v, project).buttons ?? [];
    case 'comms.texts': {
      const g = findGroup(project, pressed.group);
      return g ? [textsButton(v, project, g, pressed.kind)] : [];
    }
    default:
      return [];
  }
}

/**
 * The form a button opens, made when it is pressed, in the presser's language, from the project as it is now: a
 * platform that cannot carry a form in the button (Slack: 2,000 characters a value, 150 an overflow option) asks for
 * it, and a form that starts from texts (the announcement texts in force, up to 3,000 characters each) starts from
 * those of this moment. Undefined when the button opens no form any more (a sign-off closed, a group removed).
 */
export function buttonForm(v: View, project: Project, pressed: ButtonAction): Form | undefined {
  const { action, value } = encodeAction(pressed);
  return buttonsNow(v, project, pressed).find((b) => b.action === action && b.value === value)?.form;
}

/**
 * What is wrong with the dates typed into a button's form, by input id, as sentences for the reader (a date that
 * cannot be read, or one in the past where a later one is needed), so a platform shows each beside its input
 * before the form closes (Slack's `response_action: errors`). Undefined when the dates are fine; anything else the
 * command itself decides, once the form is sent.
 */
export function formErrors(
  v: View,
  action: string,
  value: string,
  fields: Record<string, string>,
  today: string,
): Record<string, string> | undefined {
  const pressed = decodeAction(action, value);
  if (!pressed) return undefined;
  const asked = commandOfButton(pressed, fields);
  if (!asked) return undefined;
  if ('error' in asked) {
    if (asked.error.code !== 'bad-date') return undefined;
    const token = (asked.error.token ?? '').trim();
    const input = Object.keys(fields).find((k) => token && fields[k]?.trim() === token) ?? ('date' in fields ? 'date' : undefined);
    return input ? { [input]: `${v.t.chat.notADate({ token: token.slice(0, 60) })} ${v.t.dateHint}` } : undefined;
  }
  const c = asked.command;
  if (c.name === 'decide') {
    const [input, date] = c.input.outcome === 'nogo' ? ['nextReview', c.input.nextReview] : ['date', c.input.date];
    if (date && date < today && input in fields) return { [input]: refusalText(v, refuse('decision.date-past', { date })) };
  }
  if (c.name === 'snooze' && 'date' in c.span && c.span.date <= today && 'date' in fields)
    return { date: refusalText(v, refuse('snooze.date-past', { date: c.span.date })) };
  return undefined;
}
