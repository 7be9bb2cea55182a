import type { ButtonAction } from '../commands/button-actions.js';
import { TASK_VERBS, TRAINING_ANSWERS, type Command, type ParseError } from '../commands/command-types.js';
import { parseDate } from '../commands/tokens.js';
import type { DecisionInput } from '../domain/decision.js';
import { LANGS, type Outcome, type ResponseKind } from '../domain/types.js';

/** What a pressed button asks for: the command to run (as typed text would), or the form field that is wrong. */
export type ButtonCommand = { command: Command; visibility?: 'channel' } | { error: ParseError };

const OUTCOME_OF = { 'decision.go': 'go', 'decision.nogo': 'nogo', 'decision.postpone': 'postpone' } as const satisfies Record<
  string,
  Outcome
>;

/** A decision button's form: dates typed as the user writes them, empty fields left out. */
function decisionFromForm(outcome: Outcome, fields: Record<string, string>): DecisionInput | { bad: string } {
  const text = (k: string) => fields[k]?.trim() || undefined;
  const dates: Record<string, string> = {};
  for (const k of ['date', 'nextReview']) {
    const raw = text(k);
    if (!raw) continue;
    const d = parseDate(raw);
    if (!d) return { bad: raw };
    dates[k] = d;
  }
  const reasons = text('reasons');
  const override = text('override');
  if (outcome === 'nogo')
    return { outcome, ...(dates.nextReview ? { nextReview: dates.nextReview } : {}), ...(reasons ? { reasons } : {}) };
  return { outcome, ...(dates.date ? { date: dates.date } : {}), ...(outcome === 'go' && override ? { override } : {}) };
}

const respond = (response: ResponseKind, ref: string, text: string | undefined): ButtonCommand => ({
  command: { name: 'respond', response, ref, ...(text ? { text } : {}) },
});

/** The command a button stands for with its form's fields, so a press does what typing would; undefined if nothing to do. */
export function commandOfButton(a: ButtonAction, fields: Record<string, string>): ButtonCommand | undefined {
  // A typed text as it was typed, when it is more than blanks.
  const typed = (k: string): string | undefined => (fields[k]?.trim() ? fields[k] : undefined);
  switch (a.action) {
    case 'status.share':
      return { command: { name: 'status' }, visibility: 'channel' };
    case 'signoff.approve':
      return respond('approve', a.signoff, undefined);
    case 'signoff.remarks':
      return respond('remarks', a.signoff, typed('text'));
    case 'signoff.reject':
      return respond('reject', a.signoff, typed('reason'));
    case 'task.done':
      return { command: { name: 'set-status', status: TASK_VERBS.done, task: a.task } };
    case 'task.start':
      return { command: { name: 'set-status', status: TASK_VERBS.start, task: a.task } };
    case 'task.snooze': {
      if (a.span !== 'until') return { command: { name: 'snooze', task: a.task, span: a.span } };
      const date = fields.date ? parseDate(fields.date) : undefined;
      if (!date) return { error: { code: 'bad-date', command: 'snooze', arg: 'date', token: fields.date ?? '' } };
      return { command: { name: 'snooze', task: a.task, span: { date } } };
    }
    case 'decision.go':
    case 'decision.nogo':
    case 'decision.postpone': {
      const decided = decisionFromForm(OUTCOME_OF[a.action], fields);
      if ('bad' in decided) return { error: { code: 'bad-date', command: 'decide', arg: 'date', token: decided.bad } };
      return { command: { name: 'decide', input: decided } };
    }
    case 'staff.yes':
    case 'staff.problem': {
      const text = typed('text');
      return {
        command: { name: 'staff', op: { op: 'answer', answer: a.action === 'staff.yes' ? 'yes' : 'problem', ...(text ? { text } : {}) } },
      };
    }
    case 'comms.texts': {
      const texts = Object.fromEntries(LANGS.flatMap((l) => (fields[l]?.trim() ? [[l, fields[l].trim()]] : [])));
      if (Object.keys(texts).length === 0) return undefined;
      return { command: { name: 'comms', op: { op: 'texts', group: a.group, kind: a.kind, texts } } };
    }
    case 'training.attend':
    case 'training.decline':
      return {
        command: {
          name: 'training-answer',
          ref: a.training,
          answer: a.action === 'training.attend' ? TRAINING_ANSWERS.attend : TRAINING_ANSWERS.decline,
        },
      };
    case 'signoff.view':
    case 'view.page':
      // Views, not commands: Bot.action shows them itself.
      return undefined;
    default:
      return unreachable(a);
  }
}

/** A compile-time check that every kind of button is handled above. */
function unreachable(a: never): undefined {
  void a;
  return undefined;
}
