import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Inbound } from '../../src/use-cases/context.js';
import { catalog } from '../../messages/i18n.js';
import type { Reply } from '../../messages/card.js';
import { botHarness, textOf, type BotHarness } from '../support/bot-harness.js';

/**
 * A button's value names a project, and anyone can send any value. A press acts only on the project of the
 * conversation it comes from; a value naming another conversation's project is refused privately and changes
 * nothing, whoever presses it, even the person who holds the rights in that project. The one exception is a
 * personal button (reminder, invitation, staff question, sign-off) pressed in the person's own direct chat with
 * the bot, on a project they hold a role in. One test per button action, through Bot.handle on a real Redis.
 */

const en = catalog('en');
let h: BotHarness;
let tenants = 0;

/** The project's channel, another channel of the same workspace (with a project of its own), and a direct chat. */
const HOME = 'C1';
const ELSEWHERE = 'C9';
const DM = 'D0DIRECT';

beforeAll(async () => {
  h = await botHarness();
});
afterAll(async () => {
  await h.cleanup();
});

interface Setup {
  tenant: string;
  pid: string;
  other: string;
}

/** A tenant with the phase's project in C1 (one person in each role) and Mallory's project in C9. */
async function setUp(): Promise<Setup> {
  const tenant = `B${++tenants}`;
  const as = (user: string, text: string, channel = HOME) =>
    h.bot.handle({
      actor: { tenant, userId: user, platform: 'console' },
      channel: { platform: 'console', id: channel },
      input: { kind: 'text', text },
    });
  for (const line of [
    'project new Demo City permits',
    'golive 2027-03-01',
    'role dora decider',
    'assign process.review olli 2027-01-15 confirm',
    'signoff functional anna confirm',
    'staff add sami',
    'comms group add press Press and media',
    'training add Basics 2027-01-20 13:00 90min staff',
  ])
    await as('kaisa', line);
  await as('mallory', 'project new Mallory stuff', ELSEWHERE);
  const pid = await h.store.projectIdFor(tenant, { platform: 'console', id: HOME });
  const other = await h.store.projectIdFor(tenant, { platform: 'console', id: ELSEWHERE });
  return { tenant, pid: pid!, other: other! };
}

async function footprint(tenant: string, pid: string) {
  const loaded = await h.store.load(tenant, pid);
  return { version: loaded?.version, doc: JSON.stringify(loaded?.project), audit: await h.store.auditTrail(tenant, pid) };
}

function press(s: Setup, user: string, b: Button, where: { channel: string; direct?: boolean }): Promise<Reply> {
  const inbound: Inbound = {
    actor: { tenant: s.tenant, userId: user, name: user, platform: 'console' },
    channel: { platform: 'console', id: where.channel },
    ...(where.direct ? { direct: true } : {}),
    input: { kind: 'action', action: b.action, value: b.value(s.pid), ...(b.fields ? { fields: b.fields } : {}) },
  };
  return h.bot.handle(inbound);
}

/** A button as the bot makes it for the C1 project, and who may press it there. */
interface Button {
  action: string;
  value: (pid: string) => string;
  fields?: Record<string, string>;
  /** Who holds the rights this press needs in the C1 project. */
  holder: string;
  /** Whether pressing it changes the project (else it answers, as Share does). */
  changes: boolean;
  /** Whether the bot sends it to a person directly, so it may be pressed in their direct chat. */
  personal: boolean;
  /** Who sees the answer of a press that changes nothing: the channel (Share), or the presser alone (a view, a page). */
  answers?: 'channel' | 'private';
  /** What that answer shows of the project (its name, by default). */
  shows?: string;
}

const BUTTONS: Button[] = [
  { action: 'status.share', value: (p) => p, holder: 'mike', changes: false, personal: false },
  { action: 'signoff.approve', value: (p) => `${p}|s1`, holder: 'anna', changes: true, personal: true },
  { action: 'signoff.remarks', value: (p) => `${p}|s1`, fields: { text: 'typos' }, holder: 'anna', changes: true, personal: true },
  { action: 'signoff.reject', value: (p) => `${p}|s1`, fields: { reason: 'login fails' }, holder: 'anna', changes: true, personal: true },
  { action: 'task.done', value: (p) => `${p}|process.review`, holder: 'olli', changes: true, personal: true },
  { action: 'task.start', value: (p) => `${p}|process.review`, holder: 'olli', changes: true, personal: true },
  { action: 'task.snooze', value: (p) => `${p}|process.review|3wd`, holder: 'olli', changes: true, personal: true },
  {
    action: 'decision.go',
    value: (p) => `${p}|decide`,
    fields: { date: '2027-03-01', override: 'accepted by the board' },
    holder: 'dora',
    changes: true,
    personal: false,
  },
  {
    action: 'decision.nogo',
    value: (p) => `${p}|decide`,
    fields: { reasons: 'not ready', nextReview: '2027-02-01' },
    holder: 'dora',
    changes: true,
    personal: false,
  },
  {
    action: 'decision.postpone',
    value: (p) => `${p}|decide`,
    fields: { date: '1.4.2027' },
    holder: 'dora',
    changes: true,
    personal: false,
  },
  { action: 'staff.yes', value: (p) => `${p}|staff`, holder: 'sami', changes: true, personal: true },
  {
    action: 'staff.problem',
    value: (p) => `${p}|staff`,
    fields: { text: 'no card reader' },
    holder: 'sami',
    changes: true,
    personal: true,
  },
  {
    action: 'comms.texts',
    value: (p) => `${p}|press|go`,
    fields: { fi: 'Otamme palvelun käyttöön.' },
    holder: 'kaisa',
    changes: true,
    personal: false,
  },
  { action: 'training.attend', value: (p) => `${p}|t2`, holder: 'sami', changes: true, personal: true },
  { action: 'training.decline', value: (p) => `${p}|t2`, holder: 'sami', changes: true, personal: true },
  // The reader's own view of a sign-off request (Teams asks for it), and a long list's next page.
  {
    action: 'signoff.view',
    value: (p) => `${p}|s1`,
    holder: 'anna',
    changes: false,
    personal: true,
    answers: 'private',
    shows: 'functional testing',
  },
  { action: 'view.page', value: (p) => `${p}|tasks|2`, holder: 'mike', changes: false, personal: false, answers: 'private' },
];

/** Refused as a press that does not belong here: privately, with nothing of the named project in it. */
function expectRefused(reply: Reply, what: string) {
  expect(textOf(reply), what).toBe(en.refusal['action.elsewhere']);
  expect(reply.visibility, what).toBe('private');
  expect(reply.replaceOriginal, what).toBeUndefined();
  expect(textOf(reply), what).not.toContain('Demo City');
}

describe('a button value naming another conversation’s project', () => {
  it('every button the bot makes has a case here', async () => {
    const { readFileSync } = await import('node:fs');
    const source = readFileSync(new URL('../../src/use-cases/button-commands.ts', import.meta.url), 'utf8');
    const actions = new Set([...source.matchAll(/case '([a-z]+\.[a-z]+)'/g)].map((m) => m[1]!));
    expect(new Set(BUTTONS.map((b) => b.action))).toEqual(actions);
  });

  for (const b of BUTTONS) {
    it(`${b.action}: refused from another channel and from a direct chat where it does not belong; allowed where it does`, async () => {
      const s = await setUp();
      const before = await footprint(s.tenant, s.pid);
      const otherBefore = await footprint(s.tenant, s.other);
      // From another channel, by Mallory (whose project that channel is) and by the person holding the rights here.
      for (const user of ['mallory', b.holder]) expectRefused(await press(s, user, b, { channel: ELSEWHERE }), `${user} in ${ELSEWHERE}`);
      // From a direct chat: by someone without a role in the project, and by anyone for a button never sent to a person.
      expectRefused(await press(s, 'mallory', b, { channel: DM, direct: true }), 'mallory in a direct chat');
      if (!b.personal) expectRefused(await press(s, b.holder, b, { channel: DM, direct: true }), `${b.holder} in a direct chat`);
      // A conversation that merely looks direct (no adapter said so) is another channel.
      expectRefused(await press(s, b.holder, b, { channel: DM }), `${b.holder} in ${DM} without the direct flag`);
      expect(await footprint(s.tenant, s.pid)).toEqual(before);
      expect(await footprint(s.tenant, s.other)).toEqual(otherBefore);

      // The same value is what the holder's press in the project's own channel (or, personal, their direct chat) acts on.
      const where = b.personal ? { channel: DM, direct: true } : { channel: HOME };
      const reply = await press(s, b.holder, b, where);
      const said = textOf(reply);
      expect(said, said).not.toBe(en.refusal['action.elsewhere']);
      if (b.changes) expect((await footprint(s.tenant, s.pid)).audit.length, said).toBe(before.audit.length + 1);
      else expect(reply.visibility === (b.answers ?? 'channel') && said.includes(b.shows ?? 'Demo City'), said).toBe(true);
    });
  }
});
