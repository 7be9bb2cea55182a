import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_NAMES } from '../../src/commands/command-types.js';
import { parseCommand } from '../../src/commands/grammar.js';
import { catalog } from '../../messages/i18n.js';
import type { Reply } from '../../messages/card.js';
import { botHarness, textOf, type BotHarness } from '../support/bot-harness.js';

/**
 * Every command and every button against every role, on a real Redis through `Bot.handle`, checked
 * against the role-by-command table in README.md's `## Commands` section (parsed here, so the two
 * cannot drift apart). A cell is "allowed" when the answer is no authorisation refusal and, for a
 * change, the project's audit trail grew; "refused" when the answer is a private authorisation
 * refusal and the project (version and audit trail) is exactly as it was.
 */

const en = catalog('en');

/** The README's columns, each played by one person of the test project. */
const COLUMNS = [
  'coordinator',
  'decision maker',
  'task owner',
  'named approver',
  'training invitee',
  'official asked',
  'member without a role',
  'another tenant',
] as const;
type Column = (typeof COLUMNS)[number];
const PERSON: Record<Column, string> = {
  coordinator: 'kaisa',
  'decision maker': 'dora',
  'task owner': 'olli',
  'named approver': 'anna',
  'training invitee': 'tina',
  'official asked': 'sami',
  'member without a role': 'mike',
  'another tenant': 'eve',
};

/** One thing a person does: a typed line, or a button press with the fields of its form (in C1 unless it says where). */
type Input = { text: string } | { action: string; value: string; fields?: Record<string, string>; channel?: string; direct?: boolean };
/** What each example may refer to in the project it runs on. */
interface Refs {
  pid: string;
  /** A training this column's person is invited to if they are the invitee, else one they are not invited to. */
  training: string;
}
/** An example of a row; `changes` says whether, when allowed, it writes to the project. */
interface Example {
  input: (r: Refs) => Input;
  changes: boolean;
}
const say = (text: string, changes = true): Example => ({ input: () => ({ text }), changes });
const sayRef = (text: (r: Refs) => string, changes = true): Example => ({ input: (r) => ({ text: text(r) }), changes });
const click = (action: string, value: (r: Refs) => string, fields?: Record<string, string>, changes = true): Example => ({
  input: (r) => ({ action, value: value(r), ...(fields ? { fields } : {}) }),
  changes,
});
/** The same press from another conversation (C3, a channel without the project) or, `direct`, from a direct chat. */
const elsewhere = (e: Example, direct = false): Example => ({
  input: (r) => ({ ...e.input(r), channel: direct ? 'D0DIRECT' : 'C3', ...(direct ? { direct } : {}) }),
  changes: e.changes,
});

/** Examples per README row, keyed by the row's first `code` (with `\|` read as `|`). */
const EXAMPLES: Record<string, Example[]> = {
  help: [say('help', false), say('help status', false), say('lang fi', false), say('lang sv', false)],
  status: [
    say('status', false),
    say('tasks', false),
    say('tasks mine', false),
    say('tasks overdue', false),
    say('tasks process', false),
    say('tasks blocked', false),
    say('tasks unassigned', false),
    say('risk', false),
    say('risk list', false),
    say('note list process.review', false),
    say('people', false),
    say('signoffs', false),
    say('readiness', false),
    say('project', false),
    click('status.share', (r) => r.pid, undefined, false),
    // What a platform asks for when a reader opens a sign-off request, and a page button of a long list.
    click('signoff.view', (r) => `${r.pid}|s1`, undefined, false),
    click('view.page', (r) => `${r.pid}|tasks|2`, undefined, false),
  ],
  // Run in a conversation of its own (C2), where nobody has started a project yet.
  'project new <name>': [say('project new Second project')],
  'project name|authority|connection|login|languages …': [
    say('project name Renamed'),
    say('project authority Demo City'),
    say('project connection light'),
    say('project login virtu'),
    say('project languages fi en'),
    say('golive 2027-04-01'),
    say('assign process.instructions mike 2027-01-20 confirm'),
    say('due process.review 2027-01-22'),
    say('item add process Extra check'),
    say('item remove process.local-step'),
    say('role mike approver'),
    say('unrole dora decider'),
    say('signoff technical mike confirm'),
  ],
  'done|start|reopen <task>': [
    say('done process.review'),
    say('start process.review'),
    say('block process.review waiting for IT'),
    say('na process.review not needed'),
    say('note process.review asked IT'),
    say('note remove process.review 1'),
    say('reopen process.instructions'),
    click('task.done', (r) => `${r.pid}|process.review`),
    click('task.start', (r) => `${r.pid}|process.review`),
  ],
  'approve|remarks|reject <sign-off> [text]': [
    say('approve functional'),
    say('remarks functional small typos'),
    say('reject functional login fails'),
    say('approve s1'),
    click('signoff.approve', (r) => `${r.pid}|s1`),
    click('signoff.remarks', (r) => `${r.pid}|s1`, { text: 'typos' }),
    click('signoff.reject', (r) => `${r.pid}|s1`, { reason: 'login fails' }),
  ],
  'acceptance complete|fix|effect <text>': [
    say('acceptance complete all tested'),
    say('acceptance fix the logo'),
    say('acceptance effect none'),
  ],
  'risk add [critical] <risk> fallback <plan>': [
    say('risk add critical login outage fallback paper forms'),
    say('risk add slow search'),
    say('risk remove r5'),
    say('impact organisation fewer calls'),
    say('impact customers faster permits'),
  ],
  'decide go [date] [override <justification>]': [
    say('decide go 2027-03-01 override accepted by the board'),
    say('decide nogo 2027-02-01 not ready'),
    say('decide postpone 2027-04-01'),
    click('decision.postpone', (r) => `${r.pid}|decide`, { date: '1.4.2027' }),
    click('decision.nogo', (r) => `${r.pid}|decide`, { reasons: 'not ready', nextReview: '2027-02-01' }),
    click('decision.go', (r) => `${r.pid}|decide`, { date: '2027-03-01', override: 'accepted by the board' }),
  ],
  decide: [say('decide', false)],
  'snooze <task> 1wd|3wd|<date>': [
    say('snooze process.review 1wd'),
    say('snooze process.review 2026-12-04'),
    click('task.snooze', (r) => `${r.pid}|process.review|3wd`),
    click('task.snooze', (r) => `${r.pid}|process.review|until`, { date: '4.12.2026' }),
  ],
  'training add <name> <-10wd|date> <13:00> <90min> <role|all>': [
    say('training add Intro day 2027-01-22 10:00 60min all'),
    say('training add Go-live drill -3wd 09:00 30min owner'),
    say('training move t3 2027-01-27'),
    say('training cancel t3'),
    say('reminders off'),
    say('reminders time 08:30'),
    say('reminders duesoon 7'),
    say('reminders escalate 9'),
    say('reminders digest fri 14:00'),
  ],
  'training list': [say('training list', false), say('training', false), say('reminders', false)],
  'training attend|decline <training>': [
    sayRef((r) => `training attend ${r.training}`),
    sayRef((r) => `training decline ${r.training}`),
    click('training.attend', (r) => `${r.pid}|${r.training}`),
    click('training.decline', (r) => `${r.pid}|${r.training}`),
  ],
  comms: [
    say('comms', false),
    say('comms show', false),
    say('comms list', false),
    say('comms preview go', false),
    say('comms preview golive-day', false),
    say('comms status', false),
    say('staff', false),
    say('staff show', false),
  ],
  'comms group add <id> <name>': [
    say('comms group add board The board'),
    say('comms channel press slack:C0PRESS2'),
    say('comms remove channel press slack:C0PRESS'),
    say('comms remove group press'),
    say('comms langs press en'),
    say('comms text press go fi Otamme palvelun käyttöön.'),
    say('comms retry', false),
    click('comms.texts', (r) => `${r.pid}|press|go`, { fi: 'Otamme palvelun käyttöön.', en: 'We start using the service.' }),
  ],
  'staff add <people…>': [say('staff add pekka liisa'), say('form sent 2026-11-23'), say('form confirmed')],
  'staff yes|problem <text>': [
    say('staff yes'),
    say('staff problem my login is refused'),
    click('staff.yes', (r) => `${r.pid}|staff`),
    click('staff.problem', (r) => `${r.pid}|staff`, { text: 'my login is refused' }),
  ],
  // Every button above, its value naming the C1 project, pressed elsewhere; and the buttons never sent to a person, in a direct chat.
  'any button': [
    elsewhere(click('status.share', (r) => r.pid, undefined, false)),
    elsewhere(click('signoff.approve', (r) => `${r.pid}|s1`)),
    elsewhere(click('signoff.remarks', (r) => `${r.pid}|s1`, { text: 'typos' })),
    elsewhere(click('signoff.reject', (r) => `${r.pid}|s1`, { reason: 'login fails' })),
    elsewhere(click('task.done', (r) => `${r.pid}|process.review`)),
    elsewhere(click('task.start', (r) => `${r.pid}|process.review`)),
    elsewhere(click('task.snooze', (r) => `${r.pid}|process.review|3wd`)),
    elsewhere(click('decision.go', (r) => `${r.pid}|decide`, { date: '2027-03-01', override: 'accepted by the board' })),
    elsewhere(click('decision.nogo', (r) => `${r.pid}|decide`, { reasons: 'not ready', nextReview: '2027-02-01' })),
    elsewhere(click('decision.postpone', (r) => `${r.pid}|decide`, { date: '1.4.2027' })),
    elsewhere(click('staff.yes', (r) => `${r.pid}|staff`)),
    elsewhere(click('staff.problem', (r) => `${r.pid}|staff`, { text: 'my login is refused' })),
    elsewhere(click('comms.texts', (r) => `${r.pid}|press|go`, { fi: 'Otamme palvelun käyttöön.' })),
    elsewhere(click('training.attend', (r) => `${r.pid}|${r.training}`)),
    elsewhere(click('training.decline', (r) => `${r.pid}|${r.training}`)),
    elsewhere(
      click('status.share', (r) => r.pid, undefined, false),
      true,
    ),
    elsewhere(
      click('decision.postpone', (r) => `${r.pid}|decide`, { date: '1.4.2027' }),
      true,
    ),
    elsewhere(
      click('comms.texts', (r) => `${r.pid}|press|go`, { fi: 'Otamme palvelun käyttöön.' }),
      true,
    ),
  ],
  'export decision|audit|tasks md|csv|json': [
    say('export audit json', false),
    say('export tasks csv', false),
    say('export decision md', false),
    say('export decision pdf', false),
  ],
};

/** The `## Commands` table of README.md as rows of a key and a ✓/– per column. */
function readmeMatrix(): Array<{ key: string; cells: Record<Column, boolean> }> {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const section = readme.slice(readme.indexOf('## Commands'), readme.indexOf('\n## ', readme.indexOf('## Commands') + 3));
  const split = (line: string) =>
    line
      .replace(/\\\|/g, '\uE000')
      .split('|')
      .slice(1, -1)
      .map((c) => c.trim().replace(/\uE000/g, '|'));
  const lines = section.split('\n').filter((l) => l.startsWith('| '));
  const header = split(lines[0]!);
  expect(header.slice(1)).toEqual([...COLUMNS]);
  return lines.slice(2).map((line) => {
    const cells = split(line);
    const key = /`([^`]+)`/.exec(cells[0]!)?.[1];
    if (!key) throw new Error(`README row without a command: ${line}`);
    const marks = cells.slice(1);
    for (const m of marks) if (m !== '✓' && m !== '–') throw new Error(`README cell “${m}” is neither ✓ nor – in: ${line}`);
    return { key, cells: Object.fromEntries(COLUMNS.map((c, i) => [c, marks[i] === '✓'])) as Record<Column, boolean> };
  });
}

/** A catalog sentence as a pattern: its parameters may be anything. */
function pattern(template: string | ((p: Record<string, string>) => string)): RegExp {
  const text = typeof template === 'string' ? template : template(new Proxy({}, { get: () => '\u0001' }));
  return new RegExp(
    `^${text
      .split('\u0001')
      .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('[\\s\\S]*')}$`,
  );
}

/** The refusals that mean "not yours": who may act, and what a person outside the project or tenant gets. */
const AUTH_REFUSALS = (
  [
    'role.required',
    'signoff.not-approver',
    'person.unknown',
    'staff.not-asked',
    'project.none',
    'action.unknown',
    'action.elsewhere',
  ] as const
).map((code) => pattern(en.refusal[code]));
const isAuthRefusal = (reply: Reply) => reply.cards.length === 1 && AUTH_REFUSALS.some((re) => re.test(textOf(reply).trim()));

let h: BotHarness;
let projects = 0;

/** A fresh tenant with the phase's project in C1 and one person in each role. */
async function setUp(): Promise<{ tenant: string; pid: string }> {
  const tenant = `T${++projects}`;
  const as = async (user: string, text: string) => {
    const reply = await h.say(user, text, { tenant });
    expect(isAuthRefusal(reply), `${user}: ${text} → ${textOf(reply)}`).toBe(false);
  };
  for (const line of [
    'project new Demo City permits',
    'golive 2027-03-01',
    'role dora decider',
    'assign process.review olli 2027-01-15 confirm',
    'assign process.instructions olli',
    'done process.instructions',
    'signoff functional anna confirm',
    'signoff acceptance anna',
    'role tina staff',
    'staff add sami',
    'form sent 2026-11-20',
    'comms group add press Press and media',
    'comms channel press slack:C0PRESS',
    'item add process Local step',
    'note process.review kick-off held',
    // t3: for the staff role (tina, and sami once asked); t4: for the coordinators.
    'training add Basics 2027-01-20 13:00 90min staff',
    'training add Leaders 2027-01-21 13:00 60min coordinator',
    // r5: a risk to remove.
    'risk add slow search fallback manual search',
  ])
    await as('kaisa', line);
  return { tenant, pid: await h.projectId(tenant) };
}

async function footprint(tenant: string, pid: string) {
  const loaded = await h.store.load(tenant, pid);
  return { version: loaded?.version, audit: (await h.store.auditTrail(tenant, pid)).length, doc: JSON.stringify(loaded?.project) };
}

beforeAll(async () => {
  h = await botHarness();
});
afterAll(async () => {
  await h.cleanup();
});

describe('authorisation matrix (README ## Commands)', () => {
  const matrix = readmeMatrix();

  it('covers every command of the grammar, every button the bot makes and every README row', () => {
    expect(matrix.map((r) => r.key).sort()).toEqual(Object.keys(EXAMPLES).sort());
    const refs = { pid: 'p0000000000', training: 't3' };
    const inputs = Object.values(EXAMPLES)
      .flat()
      .map((e) => e.input(refs));
    const typed = inputs.flatMap((i) => ('text' in i ? [i.text] : []));
    for (const line of typed) expect(parseCommand(line).ok, line).toBe(true);
    expect(new Set(typed.map((l) => l.split(' ')[0]))).toEqual(new Set(COMMAND_NAMES));
    // Every action id the bot answers (the `case '…'` labels of its exhaustive switch over the buttons) has an example.
    const source = readFileSync(new URL('../../src/use-cases/button-commands.ts', import.meta.url), 'utf8');
    const actions = new Set([...source.matchAll(/case '([a-z]+\.[a-z]+)'/g)].map((m) => m[1]!));
    expect(new Set(inputs.flatMap((i) => ('action' in i ? [i.action] : [])))).toEqual(actions);
  });

  for (const row of matrix) {
    describe(row.key, () => {
      for (const column of COLUMNS) {
        const allowed = row.cells[column];
        it(`${column}: ${allowed ? 'allowed' : 'refused'}`, async () => {
          const examples = EXAMPLES[row.key] ?? [];
          expect(examples.length).toBeGreaterThan(0);
          let current: { tenant: string; pid: string } | undefined;
          for (const example of examples) {
            current ??= await setUp();
            const { tenant, pid } = current;
            const user = PERSON[column];
            const actorTenant = column === 'another tenant' ? `${tenant}-other` : tenant;
            const fresh = row.key === 'project new <name>';
            const input = example.input({ pid, training: column === 'official asked' ? 't4' : 't3' });
            const before = await footprint(tenant, pid);
            const reply =
              'text' in input
                ? await h.bot.handle({
                    actor: { tenant: actorTenant, userId: user, name: user, platform: 'console' },
                    channel: { platform: 'console', id: fresh ? 'C2' : 'C1' },
                    input: { kind: 'text', text: input.text },
                  })
                : await h.bot.handle({
                    actor: { tenant: actorTenant, userId: user, name: user, platform: 'console' },
                    channel: { platform: 'console', id: input.channel ?? 'C1' },
                    ...(input.direct ? { direct: true } : {}),
                    input: { kind: 'action', action: input.action, value: input.value, ...(input.fields ? { fields: input.fields } : {}) },
                  });
            const after = await footprint(tenant, pid);
            const what = `${user} (${column}) ${JSON.stringify(input)} → ${textOf(reply)}`;
            if (fresh) {
              // The new project is the person's own, in their own tenant; the existing one is untouched.
              expect(isAuthRefusal(reply), what).toBe(!allowed);
              expect(await h.store.projectIdFor(actorTenant, { platform: 'console', id: 'C2' }), what).toBeTruthy();
              expect(after, what).toEqual(before);
              continue;
            }
            if (allowed) {
              expect(isAuthRefusal(reply), what).toBe(false);
              if (example.changes) {
                expect(after.audit, what).toBeGreaterThan(before.audit);
                current = undefined; // the next example starts from an untouched project
              } else {
                expect(after, what).toEqual(before);
              }
            } else {
              expect(isAuthRefusal(reply), what).toBe(true);
              expect(reply.visibility, what).toBe('private');
              expect(after, what).toEqual(before);
              if (column === 'another tenant') {
                // Nothing of the other tenant's project shows: not its name, nor anyone in it.
                const text = textOf(reply);
                expect(text, what).not.toContain('Demo City');
                for (const p of Object.values(PERSON)) if (p !== user) expect(text, what).not.toContain(p);
                expect(reply.attachment, what).toBeUndefined();
              }
            }
          }
        });
      }
    });
  }

  it("no one reaches another tenant's project by naming it: buttons, sign-offs, trainings and exports", async () => {
    const { tenant, pid } = await setUp();
    const other = `${tenant}-x`;
    // The other tenant has a project of its own in a conversation with the same id.
    expect(isAuthRefusal(await h.say('eve', 'project new Eve project', { tenant: other }))).toBe(false);
    const before = await footprint(tenant, pid);
    const attempts: Array<() => Promise<Reply>> = [
      () => h.click('eve', 'status.share', pid, { tenant: other }),
      () => h.click('eve', 'signoff.approve', `${pid}|s1`, { tenant: other }),
      () => h.click('eve', 'task.done', `${pid}|process.review`, { tenant: other }),
      () => h.click('eve', 'training.attend', `${pid}|t3`, { tenant: other }),
      () => h.click('eve', 'decision.postpone', `${pid}|decide`, { tenant: other, fields: { date: '2027-05-03' } }),
      () => h.click('eve', 'comms.texts', `${pid}|press|go`, { tenant: other, fields: { en: 'hijacked' } }),
      () => h.click('eve', 'staff.yes', `${pid}|staff`, { tenant: other }),
      // Even the approver herself, from another tenant (same user id), gets nothing.
      () => h.click('anna', 'signoff.approve', `${pid}|s1`, { tenant: other }),
    ];
    for (const attempt of attempts) {
      const reply = await attempt();
      expect(textOf(reply)).toBe(en.refusal['action.elsewhere']);
      expect(reply.visibility).toBe('private');
    }
    // Typed commands naming the sign-off or training answer from the other tenant's own project.
    for (const line of ['approve s1', 'training attend t3', 'export audit json', 'status']) {
      const reply = await h.say('eve', line, { tenant: other });
      expect(textOf(reply)).not.toContain('Demo City');
      expect(reply.attachment?.content ?? '').not.toContain(pid);
    }
    expect(await footprint(tenant, pid)).toEqual(before);
  });

  it('a second project cannot be started in a conversation that has one, by anyone', async () => {
    const { tenant, pid } = await setUp();
    const before = await footprint(tenant, pid);
    for (const user of Object.values(PERSON).filter((p) => p !== 'eve')) {
      const reply = await h.say(user, 'project new Takeover', { tenant });
      expect(textOf(reply)).toBe(en.refusal['project.exists']({ project: 'Demo City permits' }));
    }
    expect(await footprint(tenant, pid)).toEqual(before);
    expect(await h.store.projectIds(tenant)).toEqual([pid]);
  });
});
