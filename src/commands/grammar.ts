import { z } from 'zod';
import type { SnoozeFor } from '../domain/snooze.js';
import type { TrainingInput } from '../domain/trainings.js';
import {
  CONNECTIONS,
  LANGS,
  LOGINS,
  OUTCOMES,
  ROLES,
  SIGNOFF_KINDS,
  type Lang,
  type ReminderSettings,
  type ResponseKind,
} from '../domain/types.js';
import {
  commandOf,
  DECISION_FORMATS,
  EXPORT_FORMATS,
  EXPORT_KINDS,
  TASK_VERBS,
  TRAINING_ANSWERS,
  type Arg,
  type Command,
  type CommandName,
  type ParseError,
} from './command-types.js';
import { isTaskRef, parseDate, parseDuration, parseSnoozeDays, parseTime, parseWeekday, tokenizeAt } from './tokens.js';
import { commsOp } from './comms-grammar.js';
import { subWord } from './sub-words.js';
import { Fail, Words } from './words.js';

/** The command types live in command-types.ts; the command words are re-exported for callers of the parser. */
export { COMMAND_NAMES } from './command-types.js';

/** A parse result: a command, or what was wrong with the line. */
export type ParseResult = { ok: true; command: Command } | { ok: false; error: ParseError };

const parsers: Record<CommandName, (w: Words) => Command> = {
  comms: (w) => ({ name: 'comms', op: commsOp(w) }),
  form: (w) => {
    const sub = w.oneOf('setting', ['sent', 'confirmed'] as const, 'form');
    if (sub === 'confirmed') return (w.end(), { name: 'form', op: { op: 'confirmed' } });
    const date = w.date();
    w.end();
    return { name: 'form', op: { op: 'sent', date } };
  },
  staff: (w) => {
    if (!w.has()) return { name: 'staff', op: { op: 'show' } };
    const sub = w.oneOf('setting', ['show', 'add', 'yes', 'problem'] as const, 'staff');
    if (sub === 'show' || sub === 'yes') {
      w.end();
      return { name: 'staff', op: sub === 'show' ? { op: 'show' } : { op: 'answer', answer: 'yes' } };
    }
    if (sub === 'problem') return { name: 'staff', op: { op: 'answer', answer: 'problem', text: w.restRequired('text') } };
    // A whole channel's members: `here` (where it is typed) or a Slack channel mention `<#C123>`.
    const whole = w.peekIs('here', 'here') ? 'here' : /^<#([A-Z0-9]+)(?:\|[^>]*)?>$/.exec(w.peek() ?? '')?.[1];
    if (whole) {
      w.next('person');
      w.end();
      return { name: 'staff', op: whole === 'here' ? { op: 'add-members' } : { op: 'add-members', channel: whole } };
    }
    const people = [w.person()];
    while (w.has()) people.push(w.person());
    return { name: 'staff', op: { op: 'add', people } };
  },
  export: (w) => {
    const kind = w.oneOf('value', EXPORT_KINDS, 'exportKind');
    if (kind === 'decision') {
      const format = w.oneOf('value', DECISION_FORMATS);
      w.end();
      // Two branches, so each literal meets its own member of the Command union.
      return format === 'pdf' ? { name: 'export', kind, format } : { name: 'export', kind, format };
    }
    const format = w.oneOf('value', EXPORT_FORMATS);
    w.end();
    return { name: 'export', kind, format };
  },
  help: (w) => {
    if (!w.has()) return { name: 'help' };
    const topic = w.parsed('name', w.next('name'), commandOf);
    w.end();
    return { name: 'help', topic };
  },
  status: (w) => (w.end(), { name: 'status' }),
  readiness: (w) => (w.end(), { name: 'readiness' }),
  people: (w) => (w.end(), { name: 'people' }),
  signoffs: (w) => (w.end(), { name: 'signoffs' }),
  tasks: (w) => {
    const typed = w.peek();
    if (typed === undefined) return { name: 'tasks', filter: 'all' };
    w.next('filter');
    w.end();
    const filter = subWord('filter', typed);
    if (filter) return { name: 'tasks', filter };
    const f = typed.toLowerCase();
    if (!isTaskRef(f)) throw new Fail({ code: 'invalid', command: 'tasks', arg: 'filter', token: f });
    return { name: 'tasks', filter: { group: f } };
  },
  done: (w) => statusCommand(w, 'done'),
  start: (w) => statusCommand(w, 'start'),
  reopen: (w) => statusCommand(w, 'reopen'),
  block: (w) => statusCommand(w, 'block'),
  na: (w) => statusCommand(w, 'na'),
  assign: (w) => {
    const confirm = w.takeConfirm();
    const task = w.task();
    const person = w.person();
    const due = w.has() ? w.date() : undefined;
    w.end();
    return { name: 'assign', task, person, ...(due ? { due } : {}), ...naming(w, confirm) };
  },
  due: (w) => {
    const task = w.task();
    const date = w.date();
    w.end();
    return { name: 'due', task, date };
  },
  note: (w) => {
    if (w.peekIs('note', 'list')) {
      w.next('setting');
      const task = w.task();
      w.end();
      return { name: 'note-list', task };
    }
    if (w.peekIs('note', 'remove')) {
      w.next('setting');
      const task = w.task();
      const number = w.parsed('number', w.next('number'), (n) => (/^[1-9]\d{0,2}$/.test(n) ? Number(n) : undefined));
      w.end();
      return { name: 'note-remove', task, number };
    }
    return { name: 'note', task: w.task(), text: w.restRequired('text') };
  },
  golive: (w) => {
    const date = w.date();
    w.end();
    return { name: 'project-set', setting: { key: 'goLive', value: date } };
  },
  project: (w) => {
    if (!w.has()) return { name: 'project-show' };
    const sub = w.oneOf('setting', ['new', 'name', 'authority', 'connection', 'login', 'languages'] as const, 'project');
    if (sub === 'new') return { name: 'project-new', title: w.restRequired('name') };
    if (sub === 'name' || sub === 'authority') return { name: 'project-set', setting: { key: sub, value: w.restRequired('value') } };
    if (sub === 'connection') {
      const value = w.oneOf('value', CONNECTIONS, 'connection');
      w.end();
      return { name: 'project-set', setting: { key: 'connection', value } };
    }
    if (sub === 'login') {
      const value = w.oneOf('value', LOGINS);
      w.end();
      return { name: 'project-set', setting: { key: 'login', value } };
    }
    const langs: Lang[] = [w.oneOf('lang', LANGS, 'lang')];
    while (w.has()) langs.push(w.oneOf('lang', LANGS, 'lang'));
    return { name: 'project-set', setting: { key: 'languages', value: [...new Set(langs)] } };
  },
  item: (w) => {
    if (w.oneOf('setting', ['add', 'remove'] as const, 'item') === 'remove') {
      const task = w.task();
      w.end();
      return { name: 'item-remove', task };
    }
    const first = w.next('group');
    const parent = first === '-' ? undefined : first.toLowerCase();
    if (parent !== undefined && !isTaskRef(parent)) throw new Fail({ code: 'invalid', command: 'item', arg: 'group', token: first });
    return { name: 'item-add', ...(parent ? { parent } : {}), title: w.restRequired('name') };
  },
  role: (w) => roleCommand(w, true),
  unrole: (w) => roleCommand(w, false),
  signoff: (w) => {
    const confirm = w.takeConfirm();
    const kind = w.oneOf('kind', SIGNOFF_KINDS, 'signoffKind');
    const approvers: string[] = [];
    let need: number | 'all' = 'all';
    while (w.has()) {
      if (w.peekIs('need', 'need')) {
        w.next('number');
        const n = w.next('number');
        const parsed = z.coerce.number().int().min(1).max(50).safeParse(n);
        if (!/^\d+$/.test(n) || !parsed.success) throw new Fail({ code: 'invalid', command: 'signoff', arg: 'number', token: n });
        need = parsed.data;
        w.end();
        break;
      }
      approvers.push(w.person());
    }
    if (approvers.length === 0) throw new Fail({ code: 'missing', command: 'signoff', arg: 'person' });
    return { name: 'signoff', kind, approvers, need, ...naming(w, confirm) };
  },
  approve: (w) => respondCommand(w, 'approve'),
  remarks: (w) => respondCommand(w, 'remarks'),
  reject: (w) => respondCommand(w, 'reject'),
  acceptance: (w) => {
    const field = w.oneOf('field', ['complete', 'fix', 'effect'] as const, 'acceptanceField');
    return { name: 'acceptance', field, text: w.restRequired('text') };
  },
  risk: (w) => {
    if (!w.has()) return { name: 'risk-list' };
    const sub = w.oneOf('setting', ['add', 'list', 'remove'] as const, 'risk');
    if (sub === 'list') return (w.end(), { name: 'risk-list' });
    if (sub === 'remove') {
      const ref = w.parsed('value', w.next('value'), (r) => (/^r\d{1,6}$/i.test(r) ? r.toLowerCase() : undefined));
      w.end();
      return { name: 'risk-remove', ref };
    }
    const critical = w.peekIs('severity', 'critical');
    if (critical) w.next('text');
    const rest = w.restRequired('text');
    const [text, fallback] = rest.split(/\s+(?:fallback|varasuunnitelma|reservplan)[:\s]+/i, 2);
    return { name: 'risk', text: (text ?? rest).trim(), ...(fallback?.trim() ? { fallback: fallback.trim() } : {}), critical };
  },
  impact: (w) => {
    const on = w.oneOf('field', ['organisation', 'customers'] as const, 'impactOn');
    return { name: 'impact', on, text: w.restRequired('text') };
  },
  decide: (w) => {
    if (!w.has()) return { name: 'decide-card' };
    const outcome = w.oneOf('outcome', OUTCOMES, 'outcome');
    if (outcome === 'go') {
      const date = w.has() && !w.peekIs('override', 'override') ? w.date() : undefined;
      let override: string | undefined;
      if (w.has()) {
        w.oneOf('text', ['override'] as const, 'override');
        override = w.restRequired('text');
      }
      return { name: 'decide', input: { outcome, ...(date ? { date } : {}), ...(override ? { override } : {}) } };
    }
    const date = w.date();
    if (outcome === 'postpone') {
      w.end();
      return { name: 'decide', input: { outcome, date } };
    }
    return { name: 'decide', input: { outcome, nextReview: date, reasons: w.restRequired('reason') } };
  },
  lang: (w) => {
    const lang = w.oneOf('lang', LANGS, 'lang');
    w.end();
    return { name: 'lang', lang };
  },
  snooze: (w) => {
    const task = w.task();
    const span = w.parsed<SnoozeFor>('span', w.next('span'), (word) => {
      const days = parseSnoozeDays(word);
      if (days !== undefined) return { workingDays: days };
      const date = parseDate(word);
      return date ? { date } : undefined;
    });
    w.end();
    return { name: 'snooze', task, span };
  },
  training: (w) => {
    if (!w.has()) return { name: 'training-list' };
    const sub = w.oneOf('setting', ['list', 'add', 'move', 'cancel', 'attend', 'decline'] as const, 'training');
    if (sub === 'list') return (w.end(), { name: 'training-list' });
    if (sub === 'add') {
      const words = w.remaining();
      if (words.length < 5) {
        const arg: Arg = (['name', 'when', 'time', 'duration', 'audience'] as const)[words.length] ?? 'audience';
        throw new Fail({ code: 'missing', command: 'training', arg });
      }
      const [when, time, duration, audience] = words.slice(-4);
      return {
        name: 'training-add',
        input: {
          name: words.slice(0, -4).join(' '),
          when: w.when(when),
          time: w.parsed('time', time, parseTime),
          minutes: w.parsed('duration', duration, parseDuration),
          audience: w.parsed('audience', audience, (a): TrainingInput['audience'] | undefined => subWord('audience', a)),
        },
      };
    }
    const ref = w.next('training');
    if (sub === 'move') {
      const when = w.when();
      const time = w.has() ? w.parsed('time', w.next('time'), parseTime) : undefined;
      w.end();
      return { name: 'training-move', ref, when, ...(time ? { time } : {}) };
    }
    w.end();
    if (sub === 'cancel') return { name: 'training-cancel', ref };
    return { name: 'training-answer', ref, answer: TRAINING_ANSWERS[sub] };
  },
  reminders: (w) => {
    if (!w.has()) return { name: 'reminders-show' };
    const sub = w.oneOf('setting', ['on', 'off', 'duesoon', 'escalate', 'time', 'digest'] as const, 'reminders');
    const count = (min: number, max: number) =>
      w.parsed('number', w.next('number'), (n) => (/^\d{1,2}$/.test(n) && +n >= min && +n <= max ? +n : undefined));
    let patch: Partial<ReminderSettings>;
    if (sub === 'on' || sub === 'off') patch = { enabled: sub === 'on' };
    else if (sub === 'duesoon') patch = { dueSoonDays: count(0, 20) };
    else if (sub === 'escalate') patch = { escalateAfter: count(1, 60) };
    else if (sub === 'time') patch = { time: w.parsed('time', w.next('time'), parseTime) };
    else {
      const digestDay = w.parsed('weekday', w.next('weekday'), parseWeekday);
      patch = { digestDay, ...(w.has() ? { digestTime: w.parsed('time', w.next('time'), parseTime) } : {}) };
    }
    w.end();
    return { name: 'reminders-set', patch };
  },
};

function statusCommand(w: Words, verb: keyof typeof TASK_VERBS): Command {
  const task = w.task();
  const reason = w.rest();
  if ((verb === 'block' || verb === 'na') && !reason) throw new Fail({ code: 'missing', command: verb, arg: 'reason' });
  return { name: 'set-status', status: TASK_VERBS[verb], task, ...(reason ? { reason } : {}) };
}

function roleCommand(w: Words, on: boolean): Command {
  const person = w.person();
  const role = w.oneOf('role', ROLES, 'role');
  w.end();
  return { name: 'role', person, role, on };
}

function respondCommand(w: Words, response: ResponseKind): Command {
  const typed = w.next('signoff');
  const ref = subWord('signoffKind', typed) ?? typed.toLowerCase();
  if (!/^(s\d{1,6}|technical|functional|acceptance)$/.test(ref))
    throw new Fail({ code: 'invalid', command: response, arg: 'signoff', token: ref });
  const text = w.rest();
  if (response === 'reject' && !text) throw new Fail({ code: 'missing', command: 'reject', arg: 'reason' });
  if (response === 'remarks' && !text) throw new Fail({ code: 'missing', command: 'remarks', arg: 'text' });
  return { name: 'respond', response, ref, ...(text ? { text } : {}) };
}

/** The people a command named by mention, and whether it ended in `confirm`. */
function naming(w: Words, confirm: boolean): { confirm?: true; mentions?: string[] } {
  return { ...(confirm ? { confirm: true as const } : {}), ...(w.mentioned.length > 0 ? { mentions: [...new Set(w.mentioned)] } : {}) };
}

/** Parses one line of the command language; never throws, whatever the input. */
export function parseCommand(line: string): ParseResult {
  try {
    const text = line
      .normalize('NFC')
      .trim()
      .replace(/^\/?lv\b\s*/i, '');
    const { words, starts } = tokenizeAt(text);
    const head = words[0];
    if (head === undefined) return { ok: false, error: { code: 'empty' } };
    const name = commandOf(head);
    if (!name) return { ok: false, error: { code: 'unknown-command', token: head } };
    return { ok: true, command: parsers[name](new Words(words.slice(1), name, { line: text, starts: starts.slice(1) })) };
  } catch (e) {
    if (e instanceof Fail) return { ok: false, error: e.error };
    return { ok: false, error: { code: 'invalid', token: line.slice(0, 80) } };
  }
}
