import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { COMMAND_NAMES, type Command, type CommandName, type ParseError } from '../../src/commands/command-types.js';
import { parseCommand, type ParseResult } from '../../src/commands/grammar.js';
import type { Lang } from '../../src/domain/types.js';
import { parseErrorText, type View } from '../../src/views/texts.js';
import { catalog, Format } from '../../messages/i18n.js';

const LANGS: readonly Lang[] = ['fi', 'sv', 'en'];
const views: Record<Lang, View> = {
  fi: { t: catalog('fi'), f: new Format('fi') },
  sv: { t: catalog('sv'), f: new Format('sv') },
  en: { t: catalog('en'), f: new Format('en') },
};

/** The command of a line that must parse; fails the test with the parse error otherwise. */
function ok(line: string): Command {
  const r = parseCommand(line);
  if (!r.ok) throw new Error(`expected ${JSON.stringify(line)} to parse, got ${JSON.stringify(r.error)}`);
  return r.command;
}

/** The error of a line that must not parse. */
function fail(line: string): ParseError {
  const r = parseCommand(line);
  if (r.ok) throw new Error(`expected ${JSON.stringify(line)} to be refused, got ${JSON.stringify(r.command)}`);
  return r.error;
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Whether the sentence quotes the word with typographic or straight quotes (“x”, ”x”, "x"). */
function quotes(sentence: string, token: string): boolean {
  return new RegExp(`[“”"]${escapeRe(token.slice(0, 60))}[”“"]`).test(sentence);
}

/** Checks one rendered parse error in one language; returns the sentence. */
function checkSentence(lang: Lang, error: ParseError, line: string): string {
  const s = parseErrorText(views[lang], error);
  const where = `${lang} sentence for ${JSON.stringify(line)} (${JSON.stringify(error)}): ${JSON.stringify(s)}`;
  expect(typeof s, where).toBe('string');
  expect(s.trim().length, where).toBeGreaterThan(0);
  if (!line.includes('undefined')) expect(s, where).not.toContain('undefined');
  expect(s, where).not.toContain('[object Object]');
  if (error.command) expect(s, where).toContain(catalog(lang).usage[error.command]);
  return s;
}

describe('parseCommand: the command language', () => {
  const cases: Array<[string, Command]> = [
    ['help', { name: 'help' }],
    ['status', { name: 'status' }],
    ['tasks', { name: 'tasks', filter: 'all' }],
    ['tasks mine', { name: 'tasks', filter: 'mine' }],
    ['tasks overdue', { name: 'tasks', filter: 'overdue' }],
    ['tasks process', { name: 'tasks', filter: { group: 'process' } }],
    ['done process.review', { name: 'set-status', status: 'done', task: 'process.review' }],
    ['start review', { name: 'set-status', status: 'in_progress', task: 'review' }],
    ['block process.review waiting for IT', { name: 'set-status', status: 'blocked', task: 'process.review', reason: 'waiting for IT' }],
    ['na comms.capabilities not needed here', { name: 'set-status', status: 'na', task: 'comms.capabilities', reason: 'not needed here' }],
    ['assign process.review anna 2027-02-01', { name: 'assign', task: 'process.review', person: 'anna', due: '2027-02-01' }],
    [
      'assign process.review <@U123|anna> 1.2.2027',
      { name: 'assign', task: 'process.review', person: 'U123', due: '2027-02-01', mentions: ['U123'] },
    ],
    ['due testing.functional 15.3.2027', { name: 'due', task: 'testing.functional', date: '2027-03-15' }],
    ['golive 2027-05-03', { name: 'project-set', setting: { key: 'goLive', value: '2027-05-03' } }],
    ['project new Demo City permits', { name: 'project-new', title: 'Demo City permits' }],
    ['project connection light', { name: 'project-set', setting: { key: 'connection', value: 'light' } }],
    ['role anna approver', { name: 'role', person: 'anna', role: 'approver', on: true }],
    ['signoff functional anna ben need 1', { name: 'signoff', kind: 'functional', approvers: ['anna', 'ben'], need: 1 }],
    ['signoff acceptance anna', { name: 'signoff', kind: 'acceptance', approvers: ['anna'], need: 'all' }],
    // Free text is kept as typed, its quotes too (issue 14).
    ['reject s1 "login fails"', { name: 'respond', response: 'reject', ref: 's1', text: '"login fails"' }],
    ['approve functional', { name: 'respond', response: 'approve', ref: 'functional' }],
    ['readiness', { name: 'readiness' }],
    ['lang sv', { name: 'lang', lang: 'sv' }],
    ['decide nogo 2027-06-01 not ready', { name: 'decide', input: { outcome: 'nogo', nextReview: '2027-06-01', reasons: 'not ready' } }],
    // Issue 14: confirmations, lists and removals.
    [
      'signoff technical anna ben need 1 confirm',
      { name: 'signoff', kind: 'technical', approvers: ['anna', 'ben'], need: 1, confirm: true },
    ],
    ['assign process.review olli confirm', { name: 'assign', task: 'process.review', person: 'olli', confirm: true }],
    ['tasks blocked', { name: 'tasks', filter: 'blocked' }],
    ['tasks unassigned', { name: 'tasks', filter: 'unassigned' }],
    ['note list review', { name: 'note-list', task: 'review' }],
    ['note remove process.review 2', { name: 'note-remove', task: 'process.review', number: 2 }],
    ['note process.review list of calls made', { name: 'note', task: 'process.review', text: 'list of calls made' }],
    ['item remove process.local-step', { name: 'item-remove', task: 'process.local-step' }],
    ['risk', { name: 'risk-list' }],
    ['risk list', { name: 'risk-list' }],
    ['risk remove R5', { name: 'risk-remove', ref: 'r5' }],
    ['comms list', { name: 'comms', op: { op: 'show' } }],
    [
      'comms remove channel customers slack:C1',
      { name: 'comms', op: { op: 'channel-remove', group: 'customers', channel: 'C1', platform: 'slack' } },
    ],
    ['comms remove group others', { name: 'comms', op: { op: 'group-remove', group: 'others' } }],
    ['note process.review  two  spaces ', { name: 'note', task: 'process.review', text: 'two  spaces' }],
  ];

  it.each(cases)('parses %j', (line, expected) => {
    expect(parseCommand(line)).toEqual({ ok: true, command: expected });
  });

  it.each(cases)('ignores a leading /lv in "/lv %s"', (line, expected) => {
    expect(parseCommand(`/lv ${line}`)).toEqual({ ok: true, command: expected });
  });

  it('treats the command word case-insensitively and collapses extra spaces', () => {
    expect(ok('  STATUS  ')).toEqual({ name: 'status' });
    expect(ok('Done   Process.Review')).toEqual({ name: 'set-status', status: 'done', task: 'process.review' });
  });

  it('gives every command name a usage line in every language', () => {
    for (const lang of LANGS) {
      for (const name of COMMAND_NAMES) expect(catalog(lang).usage[name], `${lang}.usage.${name}`).toMatch(/\S/);
    }
  });
});

describe('parseCommand: dates', () => {
  const badDates = ['2027-02-30', '31.4.2027', '2027-13-01', '1.2.27', 'tomorrow'];
  const inCommands: Array<[CommandName, (d: string) => string]> = [
    ['due', (d) => `due testing.functional ${d}`],
    ['golive', (d) => `golive ${d}`],
    ['assign', (d) => `assign process.review anna ${d}`],
    ['decide', (d) => `decide nogo ${d} not ready`],
  ];

  for (const [command, line] of inCommands) {
    it.each(badDates)(`refuses %j in ${command} as a bad date, quoting it with the usage`, (bad) => {
      // Every word in a date position that is not a real date (date-shaped or not, like `tomorrow`) is a bad-date.
      const error = fail(line(bad));
      expect(error).toEqual({ code: 'bad-date', command, arg: 'date', token: bad });
      const s = parseErrorText(views.en, error);
      expect(quotes(s, bad), s).toBe(true);
      expect(s).toContain(catalog('en').usage[command]);
      for (const lang of LANGS) expect(quotes(checkSentence(lang, error, line(bad)), bad)).toBe(true);
    });
  }

  it('reads both date forms into ISO dates, with or without leading zeros', () => {
    expect(ok('due x 2027-2-1')).toEqual({ name: 'due', task: 'x', date: '2027-02-01' });
    expect(ok('due x 01.02.2027')).toEqual({ name: 'due', task: 'x', date: '2027-02-01' });
    expect(ok('due x 29.2.2028')).toEqual({ name: 'due', task: 'x', date: '2028-02-29' });
    expect(fail('due x 29.2.2027').code).toBe('bad-date');
  });
});

describe('parseCommand: errors in every language', () => {
  const errors: Array<[string, ParseError]> = [
    ['done', { code: 'missing', command: 'done', arg: 'task' }],
    ['block process.review', { code: 'missing', command: 'block', arg: 'reason' }],
    ['reject s1', { code: 'missing', command: 'reject', arg: 'reason' }],
    ['assign process.review', { code: 'missing', command: 'assign', arg: 'person' }],
    ['frobnicate', { code: 'unknown-command', token: 'frobnicate' }],
    ['status now', { code: 'extra', command: 'status', token: 'now' }],
    ['', { code: 'empty' }],
    ['/lv', { code: 'empty' }],
  ];

  it.each(errors)('refuses %j with a sentence in fi, sv and en', (line, expected) => {
    const error = fail(line);
    expect(error).toEqual(expected);
    for (const lang of LANGS) {
      const s = checkSentence(lang, error, line);
      if (error.token) expect(quotes(s, error.token), `${lang}: ${s}`).toBe(true);
      if (error.code !== 'unknown-command' && error.code !== 'empty') {
        expect(error.command).toBeDefined();
        expect(s).toContain(catalog(lang).usage[error.command!]);
      }
      if (error.arg) expect(s).toContain(catalog(lang).args[error.arg]);
    }
  });

  it('lists the roles when a role is wrong', () => {
    const error = fail('role anna boss');
    expect(error).toEqual({ code: 'invalid', command: 'role', arg: 'role', token: 'boss' });
    // Each reader is offered the role words of their own language (English is still read from anyone).
    const roles = {
      en: 'coordinator, owner, approver, decider, staff',
      fi: 'käyttöönottovastaava, vastuuhenkilö, hyväksyjä, päättäjä, virkailija',
      sv: 'införandeansvarig, ansvarig, godkännare, beslutsfattare, tjänsteman',
    };
    for (const lang of LANGS) expect(checkSentence(lang, error, 'role anna boss')).toContain(roles[lang]);
  });
});

describe('parseCommand: lookups by the typed word', () => {
  // Words such as `constructor` or `__proto__` must not reach Object.prototype through a lookup table.
  it.each(['constructor', '__proto__', 'Constructor', 'toString', 'hasOwnProperty', 'valueOf'])('refuses the weekday %j', (word) => {
    const r = parseCommand(`reminders digest ${word}`);
    expect(r, JSON.stringify(r.ok ? r.command : r.error)).toEqual({
      ok: false,
      error: { code: 'invalid', command: 'reminders', arg: 'weekday', token: word },
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Properties

/** Whether a parsed command's name is a command word, `<command>-<sub>`, or one of the shared shapes. */
function knownShape(name: string): boolean {
  const names: readonly string[] = COMMAND_NAMES;
  return names.includes(name) || names.some((n) => name.startsWith(`${n}-`)) || name === 'set-status' || name === 'respond';
}

/** Plain data only (what a store or queue can hold): no functions, prototypes, NaN or undefined values. */
function plainDataProblem(x: unknown, path = 'command'): string | undefined {
  if (typeof x === 'string' || typeof x === 'boolean') return undefined;
  if (typeof x === 'number') return Number.isFinite(x) ? undefined : `${path} is ${x}`;
  if (Array.isArray(x)) {
    for (const [i, v] of x.entries()) {
      const p = plainDataProblem(v, `${path}[${i}]`);
      if (p) return p;
    }
    return undefined;
  }
  if (x !== null && typeof x === 'object') {
    if (Object.getPrototypeOf(x) !== Object.prototype) return `${path} is not a plain object`;
    for (const [k, v] of Object.entries(x)) {
      const p = plainDataProblem(v, `${path}.${k}`);
      if (p) return p;
    }
    return undefined;
  }
  return `${path} is ${typeof x}`;
}

function checkShape(r: ParseResult, line: string): void {
  expect(r, JSON.stringify(line)).toBeTypeOf('object');
  if (r.ok) {
    expect(Object.keys(r).sort()).toEqual(['command', 'ok']);
    expect(knownShape(r.command.name), r.command.name).toBe(true);
    expect(plainDataProblem(r.command), `${JSON.stringify(line)} gave ${String(r.command.name)}`).toBeUndefined();
  } else {
    expect(r.ok).toBe(false);
    expect(Object.keys(r).sort()).toEqual(['error', 'ok']);
    expect(['empty', 'unknown-command', 'missing', 'invalid', 'bad-date', 'extra']).toContain(r.error.code);
  }
}

const ISO = /^\d{4}-\d{2}-\d{2}$/;
const DATE_FIELDS = new Set(['date', 'due', 'nextReview']);

/** Every date-named field in a command (at any depth), plus the go-live setting's value. */
function datesIn(x: unknown, out: Array<[string, unknown]> = []): Array<[string, unknown]> {
  if (x && typeof x === 'object') {
    const o = x as Record<string, unknown>;
    if (o.key === 'goLive') out.push(['setting.goLive', o.value]);
    for (const [k, v] of Object.entries(o)) {
      if (DATE_FIELDS.has(k)) out.push([k, v]);
      else datesIn(v, out);
    }
  }
  return out;
}

function checkResult(line: string): ParseResult {
  let r: ParseResult;
  try {
    r = parseCommand(line);
  } catch (e) {
    throw new Error(`parseCommand threw on ${JSON.stringify(line)}: ${String(e)}`, { cause: e });
  }
  checkShape(r, line);
  if (r.ok) {
    for (const [k, v] of datesIn(r.command)) expect(v, `${k} in ${JSON.stringify(r.command)} from ${JSON.stringify(line)}`).toMatch(ISO);
  } else {
    for (const lang of LANGS) {
      let s: string;
      try {
        s = checkSentence(lang, r.error, line);
      } catch (e) {
        if (e instanceof Error && e.name === 'AssertionError') throw e;
        throw new Error(`parseErrorText(${lang}) threw on ${JSON.stringify(r.error)} from ${JSON.stringify(line)}: ${String(e)}`, {
          cause: e,
        });
      }
      if (r.error.token && r.error.token.trim() !== '') expect(s).toContain(r.error.token.slice(0, 60).slice(0, 10));
    }
  }
  return r;
}

const VALID_LINES = [
  'help',
  'help assign',
  'status',
  'tasks',
  'tasks mine',
  'tasks overdue',
  'tasks process',
  'done process.review',
  'start review',
  'reopen review',
  'block process.review waiting for IT',
  'na comms.capabilities not needed here',
  'assign process.review anna 2027-02-01',
  'assign process.review <@U123|anna> 1.2.2027',
  'assign review @ben',
  'due testing.functional 15.3.2027',
  'note review called the vendor',
  'golive 2027-05-03',
  'project',
  'project new Demo City permits',
  'project name Demo',
  'project authority City of Espoo',
  'project connection light',
  'project login virtu',
  'project languages fi sv en',
  'item add - Train the staff',
  'item add process Extra review',
  'role anna approver',
  'unrole anna approver',
  'people',
  'signoff functional anna ben need 1',
  'signoff acceptance anna',
  'signoffs',
  'approve functional',
  'approve s2 looks fine',
  'remarks s1 "small typos"',
  'reject s1 "login fails"',
  'acceptance complete all forms',
  'acceptance fix the login page',
  'risk add critical Vendor late fallback paper forms',
  'risk add minor thing',
  'impact organisation two more staff',
  'impact customers shorter queues',
  'readiness',
  'decide go',
  'decide go 2027-05-03',
  'decide go override the board accepted',
  'decide nogo 2027-06-01 not ready',
  'decide postpone 1.9.2027',
  'lang sv',
  'lang fi',
  '/lv status',
  '/lv due review 2027-02-01',
  'snooze review 3wd',
  'snooze review 2027-03-01',
  'training',
  'training list',
  'training add Staff intro -10wd 13:00 90min staff',
  'training add Demo 1.4.2027 9.30 1h30 all',
  'training move t1 -8wd 10:00',
  'training move t1 2027-04-01',
  'training cancel t1',
  'training attend t1',
  'training decline t1',
  'reminders',
  'reminders off',
  'reminders time 08:30',
  'reminders duesoon 3',
  'reminders escalate 5',
  'reminders digest mon 9:00',
  'reminders digest 5',
];

const SPECIALS = [
  '"',
  '“',
  '”',
  "'",
  '""',
  '" "',
  '“”',
  '"unterminated',
  'ä',
  'Å',
  'ö',
  'é',
  'e\u0301',
  'ß',
  'İ',
  '🙂',
  '👩‍👩‍👧',
  '🇫🇮',
  '<@U123|anna>',
  '<@U1>',
  '<@>',
  '<@|>',
  '<@U1|>',
  '@',
  '@@',
  '\u0000',
  '\t',
  '\n',
  '\r\n',
  '\u0007',
  '\u001b[31m',
  '\u200b',
  '\u00a0',
  '\u202e',
  '\ufeff',
  '\ud800',
  '\udfff',
  'need',
  'override',
  'fallback',
  '-',
  '.',
  '2027-02-30',
  '1.2.2027',
  '2027-02-01',
  '0',
  '99999999999999999999',
  'undefined',
  'null',
  '__proto__',
  'constructor',
  'toString',
  '/lv',
  'lv',
  '${x}',
  '%s',
  '\\',
  '`',
  'x'.repeat(200),
];

type Mutation =
  | { op: 'delete'; i: number }
  | { op: 'duplicate'; i: number }
  | { op: 'swap'; i: number; j: number }
  | { op: 'replace'; i: number; s: string }
  | { op: 'insert'; i: number; s: string }
  | { op: 'glue'; i: number; s: string }
  | { op: 'truncate'; at: number };

const arbText = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 6 }),
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.constantFrom(...SPECIALS),
);
const arbMutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('delete' as const), i: fc.nat() }),
  fc.record({ op: fc.constant('duplicate' as const), i: fc.nat() }),
  fc.record({ op: fc.constant('swap' as const), i: fc.nat(), j: fc.nat() }),
  fc.record({ op: fc.constant('replace' as const), i: fc.nat(), s: arbText }),
  fc.record({ op: fc.constant('insert' as const), i: fc.nat(), s: arbText }),
  fc.record({ op: fc.constant('glue' as const), i: fc.nat(), s: arbText }),
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
);

function mutate(line: string, mutations: Mutation[]): string {
  let words = line.split(' ');
  for (const m of mutations) {
    const n = words.length;
    const at = (i: number) => (n === 0 ? 0 : i % n);
    switch (m.op) {
      case 'delete':
        words.splice(at(m.i), 1);
        break;
      case 'duplicate':
        if (n > 0) words.splice(at(m.i), 0, words[at(m.i)]!);
        break;
      case 'swap': {
        if (n < 2) break;
        const a = at(m.i);
        const b = at(m.j);
        [words[a], words[b]] = [words[b]!, words[a]!];
        break;
      }
      case 'replace':
        if (n > 0) words[at(m.i)] = m.s;
        else words = [m.s];
        break;
      case 'insert':
        words.splice(m.i % (n + 1), 0, m.s);
        break;
      case 'glue':
        // Stick the text onto a word rather than next to it: `"process.review`, `anna🙂`.
        if (n > 0) words[at(m.i)] = m.i % 2 === 0 ? m.s + words[at(m.i)]! : words[at(m.i)]! + m.s;
        break;
      case 'truncate': {
        const s = words.join(' ');
        words = s.slice(0, m.at % (s.length + 1)).split(' ');
        break;
      }
    }
  }
  return words.join(' ');
}

describe('parseCommand: properties', () => {
  it('never throws on arbitrary strings and always returns a result or an error', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 200 }),
          fc.string({ unit: 'binary', maxLength: 200 }),
          fc.string({ unit: 'grapheme', maxLength: 100 }),
          fc.string({ unit: 'binary', minLength: 5_000, maxLength: 20_000 }),
          fc.constantFrom(...VALID_LINES).chain((l) => fc.string({ unit: 'binary', maxLength: 100 }).map((s) => `${l} ${s}`)),
        ),
        (line) => {
          checkResult(line);
        },
      ),
      { numRuns: 1_500 },
    );
  });

  it('handles very long lines', () => {
    for (const line of [
      'status '.repeat(50_000),
      'x'.repeat(200_000),
      `note review ${'🙂'.repeat(50_000)}`,
      '"'.repeat(100_001),
      `${'“'.repeat(30_000)}`,
    ]) {
      checkResult(line);
    }
  });

  it('never throws on mutated valid lines; every refusal renders in fi, sv and en with its usage', () => {
    let refused = 0;
    let accepted = 0;
    fc.assert(
      fc.property(fc.constantFrom(...VALID_LINES), fc.array(arbMutation, { minLength: 1, maxLength: 4 }), (line, mutations) => {
        const r = checkResult(mutate(line, mutations));
        if (r.ok) accepted++;
        else refused++;
      }),
      { numRuns: 2_500 },
    );
    // The mutations must exercise both sides, or the property says little.
    expect(refused).toBeGreaterThan(100);
    expect(accepted).toBeGreaterThan(100);
  });

  it('every valid line in the list parses, with ISO dates', () => {
    for (const line of VALID_LINES) {
      const r = checkResult(line);
      expect(r.ok, `${line}: ${JSON.stringify(r)}`).toBe(true);
    }
  });

  it('gives ISO dates for every accepted date typed in either form', () => {
    const arbDate = fc.record({
      y: fc.integer({ min: 1990, max: 2110 }),
      m: fc.integer({ min: 0, max: 14 }),
      d: fc.integer({ min: 0, max: 33 }),
      finnish: fc.boolean(),
      pad: fc.boolean(),
    });
    fc.assert(
      fc.property(
        arbDate,
        fc.constantFrom('due review', 'golive', 'assign review anna', 'decide postpone', 'decide go'),
        ({ y, m, d, finnish, pad }, prefix) => {
          const p = (n: number) => (pad ? String(n).padStart(2, '0') : String(n));
          const typed = finnish ? `${p(d)}.${p(m)}.${y}` : `${y}-${p(m)}-${p(d)}`;
          const r = checkResult(`${prefix} ${typed}`);
          const real = new Date(Date.UTC(y, m - 1, d));
          const isReal = m >= 1 && m <= 12 && d >= 1 && real.getUTCMonth() === m - 1 && real.getUTCDate() === d && y >= 2000 && y <= 2100;
          if (isReal) {
            const iso = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
            expect(r.ok, `${prefix} ${typed}`).toBe(true);
            expect(datesIn(r.ok ? r.command : undefined).map(([, v]) => v)).toEqual([iso]);
          } else {
            expect(r, `${prefix} ${typed}`).toMatchObject({ ok: false, error: { code: 'bad-date', token: typed } });
          }
        },
      ),
      { numRuns: 1_000 },
    );
  });
});
