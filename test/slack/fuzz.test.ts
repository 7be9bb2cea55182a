import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeButtonValue, type ButtonPayload } from '../../adapters/slack/forms.js';
import { COMMAND_NAMES } from '../../src/commands/grammar.js';
import { applyEdits, commandLineArb, editsArb, FUZZ_SEED, hostileValue, PROTOTYPE_KEYS } from '../support/fuzz-json.js';
import type { StoredMessage } from './fake-slack-api.js';
import { CHANNEL, PEOPLE, SECRET, slackHarness, TEAM } from './harness.js';
import { fixture, sign, type SlackSender, type SendOptions, type Sent } from './slack-requests.js';
import type { ChatAdapter } from '../../src/ports/chat-adapter.js';

/**
 * Thousands of random and mutated Slack requests over real HTTP to the Bolt receiver, signed (so they
 * reach the listeners) or badly signed (refused with 401), sent as Mallory, who holds no role in the
 * channel's project. Whatever arrives: never a 5xx, no unhandled rejection, the server still answers,
 * and the project (version, document, audit trail) and the workspace's list of projects are unchanged.
 */

type Harness = Awaited<ReturnType<typeof slackHarness>>;
let h: Harness;
let messages: StoredMessage[] = [];
let adapter: ChatAdapter;
let sender: SlackSender;
const RUNS = 1000;
const WAVE = 40;
const problems: unknown[] = [];
const onProblem = (e: unknown) => problems.push(e);

/** Words a fuzzed line is built from: every command, sub-command and argument, but never `new` (anyone may start a project elsewhere). */
const WORDS = [
  ...COMMAND_NAMES,
  'mine',
  'overdue',
  'process.review',
  'review',
  'functional',
  'acceptance',
  's1',
  's2',
  't3',
  'go',
  'nogo',
  'postpone',
  'override',
  'add',
  'move',
  'cancel',
  'attend',
  'decline',
  'yes',
  'problem',
  'sent',
  'confirmed',
  'group',
  'channel',
  'langs',
  'text',
  'preview',
  'status',
  'retry',
  'coordinator',
  'decider',
  'approver',
  'fi',
  'sv',
  'en',
  'json',
  'csv',
  'md',
  '2027-01-20',
  '1.2.2027',
  '3wd',
  '13:00',
  '90min',
  'all',
  'critical',
  'fallback',
  'me',
  ...PROTOTYPE_KEYS,
];
const MALLORY = PEOPLE.mallory;

/** Who a fuzzed request claims to come from: Mallory, or someone Slack does not know (named like Object.prototype's members too); never a person with a role. */
const userArb = fc.oneof(
  fc.constant(MALLORY.id),
  fc.constantFrom('UNOBODY01', 'W0GRID01', ''),
  fc.constantFrom(...PROTOTYPE_KEYS),
  fc.string({ maxLength: 12 }).filter((s) => !Object.values(PEOPLE).some((p) => p.id === s && p !== MALLORY)),
);

/** A request, and how it is signed. */
type Req =
  | { kind: 'command'; fields: Record<string, string> }
  | { kind: 'interaction'; payload: unknown }
  | { kind: 'event'; envelope: unknown }
  | { kind: 'raw'; body: string; contentType: string };
type Signing = 'good' | 'none' | 'wrong-secret' | 'stale' | 'tampered';

function slashArb(): fc.Arbitrary<Req> {
  return fc
    .record({ text: commandLineArb(WORDS), user: userArb, channel: fc.constantFrom(CHANNEL, CHANNEL, 'D0DIRECT1', ''), edits: editsArb(3) })
    .map(({ text, user, channel, edits }) => {
      const fields = { ...h.slashFields('mallory', text, channel), user_id: user };
      // Edits can hit any field, except that a field's value stays text (a form post has nothing else).
      const edited = applyEdits(fields as Record<string, unknown>, edits);
      const flat = Object.fromEntries(
        Object.entries(edited && typeof edited === 'object' ? edited : {}).map(([k, v]) => [
          k,
          typeof v === 'string' ? v : (JSON.stringify(v) ?? ''),
        ]),
      );
      return { kind: 'command', fields: flat };
    });
}

/** Every lv-bot control of a message, as its payload: its buttons and its overflow menus' options. */
function pressables(message: StoredMessage): ButtonPayload[] {
  return message.blocks.flatMap((bl) =>
    ((bl as { elements?: Array<{ value?: string; options?: Array<{ value: string }> }> }).elements ?? []).flatMap((e) =>
      [e.value, ...(e.options ?? []).map((o) => o.value)].flatMap((v) => decodeButtonValue(v) ?? []),
    ),
  );
}

/** Where a click comes from: mostly the project channel, also another channel and a direct message (a forged press). */
const ELSEWHERE = ['C0OTHER01', 'D0DIRECT1'];

/** A real button of the bot's own messages (sign-off, decision, task, training, staff…), clicked as Mallory, then mutated. */
function clickArb(): fc.Arbitrary<Req> {
  return fc
    .record({
      m: fc.nat(),
      b: fc.nat(),
      where: fc.constantFrom(CHANNEL, CHANNEL, ...ELSEWHERE),
      value: fc.option(
        fc.oneof(
          hostileValue.map((v) => (typeof v === 'string' ? v : (JSON.stringify(v) ?? ''))),
          valueArb(),
        ),
        { nil: undefined },
      ),
      user: userArb,
      edits: editsArb(4),
    })
    .map(({ m, b, where, value, user, edits }) => {
      const withButtons = messages.filter((x) => pressables(x).length > 0);
      const message = withButtons[m % withButtons.length]!;
      const actions = pressables(message);
      const pressed = actions[b % actions.length]!;
      const payload = h.clickPayload('mallory', { ...message, channel: where }, pressed.a, { modal: Boolean(pressed.m) }) as Record<
        string,
        unknown
      > & {
        user: Record<string, unknown>;
        actions: Array<Record<string, unknown>>;
      };
      payload.user = { ...payload.user, id: user };
      if (value !== undefined) payload.actions[0]!.value = value;
      return { kind: 'interaction', payload: applyEdits(payload, edits) };
    });
}

/** Button values in lv-bot's own format pointing at the project with other actions and targets. */
function valueArb(): fc.Arbitrary<string> {
  return fc
    .record({
      a: fc.constantFrom(
        'signoff.approve',
        'signoff.reject',
        'task.done',
        'task.snooze',
        'decision.go',
        'decision.nogo',
        'staff.yes',
        'training.attend',
        'comms.texts',
        'status.share',
        'x.y',
      ),
      v: fc.oneof(
        fc.constant('PID|s1'),
        fc.constant('PID|decide'),
        fc.constant('PID|process.review|until'),
        fc.constant('PID'),
        fc.string({ maxLength: 30 }),
      ),
      form: fc.boolean(),
    })
    .map(({ a, v, form }) =>
      JSON.stringify({
        a,
        v,
        ...(form ? { f: { title: 'x', submit: 'y', inputs: [{ id: 'reason', label: 'r', required: false }] } } : {}),
      }),
    );
}

/** A modal submission of lv-bot's form with a mutated private_metadata and values. */
function submitArb(): fc.Arbitrary<Req> {
  return fc
    .record({
      meta: fc.oneof(
        hostileValue.map((v) => (typeof v === 'string' ? v : (JSON.stringify(v) ?? ''))),
        metaArb(),
      ),
      text: fc.oneof(fc.string({ maxLength: 30 }), fc.constant(null)),
      user: userArb,
      edits: editsArb(4),
    })
    .map(({ meta, text, user, edits }) => {
      const doc = fixture<Record<string, unknown> & { view: Record<string, unknown> }>('slack-view-submission-bolt-python.json');
      const state = {
        values: {
          'lv.in.reason': { value: { type: 'plain_text_input', value: text } },
          'lv.in.date': { value: { type: 'plain_text_input', value: text } },
        },
      };
      const payload = {
        ...doc,
        team: { id: TEAM, domain: 'lv-test' },
        user: { id: user, username: 'mallory', name: 'mallory', team_id: TEAM },
        view: {
          ...doc.view,
          callback_id: 'lv.form',
          private_metadata: meta,
          state,
          blocks: [
            {
              type: 'input',
              block_id: 'lv.in.reason',
              label: { type: 'plain_text', text: 'Reason' },
              element: { type: 'plain_text_input', action_id: 'value' },
            },
          ],
        },
      };
      return { kind: 'interaction', payload: applyEdits(payload, edits) };
    });
}

function metaArb(): fc.Arbitrary<string> {
  return fc
    .record({
      a: fc.constantFrom('signoff.reject', 'decision.postpone', 'staff.problem', 'comms.texts', 'task.snooze'),
      v: fc.constantFrom('PID|s1', 'PID|decide', 'PID|staff', 'PID|press|go', 'PID|process.review|until'),
      c: fc.constantFrom(CHANNEL, 'C0OTHER01'),
      l: fc.constantFrom('en', 'fi', 'xx'),
    })
    .map((m) => JSON.stringify(m));
}

/** An Events API delivery: a mention with a fuzzed line, other event types, url_verification, all mutated. */
function eventArb(): fc.Arbitrary<Req> {
  return fc
    .record({
      text: commandLineArb(WORDS),
      user: userArb,
      type: fc.constantFrom('app_mention', 'app_mention', 'message', 'reaction_added', 'app_uninstalled', 'tokens_revoked'),
      outer: fc.constantFrom('event_callback', 'event_callback', 'url_verification', 'app_rate_limited', 'block_actions'),
      edits: editsArb(4),
    })
    .map(({ text, user, type, outer, edits }) => {
      const env = h.mentionPayload('mallory', text) as Record<string, unknown> & { event: Record<string, unknown> };
      env.event = { ...env.event, user, type };
      env.type = outer;
      if (outer === 'url_verification') env.challenge = text;
      return { kind: 'event', envelope: applyEdits(env, edits) };
    });
}

/** Bodies that are not what their content type says, or nothing Slack would send at all. */
const rawArb: fc.Arbitrary<Req> = fc
  .record({
    body: fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.constantFrom(
        'payload=',
        'payload=%7B',
        'payload={"type":"block_actions"}',
        'payload=null',
        'payload=[]',
        'command=/lv&text=status',
        '{"type":',
        'null',
        '[]',
        '"x"',
        '{"type":"event_callback"}',
        'ssl_check=1&token=x',
        'payload=%7B%22type%22%3A%22view_submission%22%7D',
      ),
      fc.jsonValue().map((v) => JSON.stringify(v) ?? ''),
    ),
    contentType: fc.constantFrom(
      'application/json',
      'application/x-www-form-urlencoded',
      'text/plain',
      'application/json; charset=utf-8',
      '',
    ),
  })
  .map((r) => ({ kind: 'raw' as const, ...r }));

const signingArb: fc.Arbitrary<Signing> = fc.oneof(
  { weight: 17, arbitrary: fc.constant('good' as const) },
  { weight: 3, arbitrary: fc.constantFrom('none' as const, 'wrong-secret' as const, 'stale' as const, 'tampered' as const) },
);

async function send(req: Req, signing: Signing, pid: string): Promise<Sent> {
  const o: SendOptions =
    signing === 'wrong-secret'
      ? { secret: `${SECRET}x` }
      : signing === 'stale'
        ? { timestamp: Math.floor(Date.now() / 1000) - 60 * 6 }
        : signing === 'tampered'
          ? { tamper: (b) => `${b} ` }
          : {};
  const withPid = <T>(x: T): T => JSON.parse(JSON.stringify(x ?? null).replaceAll('PID', pid)) as T;
  if (signing === 'none') {
    const body =
      req.kind === 'raw'
        ? req.body
        : req.kind === 'command'
          ? new URLSearchParams(req.fields).toString()
          : JSON.stringify(req.kind === 'event' ? req.envelope : req.payload);
    const res = await fetch(sender.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    return { status: res.status, text: await res.text(), ms: 0 };
  }
  switch (req.kind) {
    case 'command':
      return sender.command(req.fields, o);
    case 'interaction':
      return sender.interaction(withPid(req.payload), o);
    case 'event':
      return sender.event(req.envelope, o);
    case 'raw': {
      const ts = String(o.timestamp ?? Math.floor(Date.now() / 1000));
      const headers: Record<string, string> = {
        'x-slack-request-timestamp': ts,
        'x-slack-signature': sign(o.secret ?? SECRET, ts, req.body),
      };
      if (req.contentType) headers['content-type'] = req.contentType;
      const res = await fetch(sender.url, { method: 'POST', headers, body: o.tamper ? o.tamper(req.body) : req.body });
      return { status: res.status, text: await res.text(), ms: 0 };
    }
  }
}

async function footprint() {
  const pid = await h.projectId();
  const loaded = await h.store.load(TEAM, pid);
  return {
    projects: await h.store.projectIds(TEAM),
    version: loaded?.version,
    doc: JSON.stringify(loaded?.project),
    audit: await h.store.auditTrail(TEAM, pid),
  };
}

beforeAll(async () => {
  process.on('unhandledRejection', onProblem);
  process.on('uncaughtException', onProblem);
  h = await slackHarness();
  for (const line of [
    'project new Demo City',
    'golive 2027-03-01',
    `role <@${PEOPLE.sven.id}|sven> decider`,
    `assign process.review <@${PEOPLE.anna.id}|anna> 2027-01-15`,
    `signoff functional <@${PEOPLE.anna.id}|anna>`,
    `staff add <@${PEOPLE.sven.id}|sven>`,
    'training add Basics 2027-01-20 13:00 90min all',
    'comms group add press Press',
    'comms preview go',
    'status',
  ]) {
    expect((await h.run('coord', line)).status).toBe(200);
  }
  expect((await h.run('sven', 'decide')).status).toBe(200);
  messages = [...h.fake.messages.values()];
  // A second adapter on the same store and fake Slack, with Bolt's own 3 s for a request no listener acknowledges:
  // every request must be answered well before that.
  ({ sender, adapter } = await h.replica({
    retryConfig: { retries: 1, minTimeout: 0, maxTimeout: 0 },
    responseUrl: { backoffMs: 0, attempts: 2 },
  }));
  // Ephemeral answers (status, decide, comms preview) carry buttons too: the fake keeps them as calls.
  for (const call of h.fake.answered('chat.postEphemeral'))
    messages.push({ channel: CHANNEL, ts: `${Date.now() / 1000}`, text: '', blocks: (call.body.blocks as unknown[]) ?? [] });
  for (const call of h.fake.answered('response_url'))
    if (Array.isArray(call.body.blocks))
      messages.push({ channel: CHANNEL, ts: `${Date.now() / 1000}`, text: '', blocks: call.body.blocks as unknown[] });
}, 60_000);

afterAll(async () => {
  process.off('unhandledRejection', onProblem);
  process.off('uncaughtException', onProblem);
  await h?.cleanup();
});

describe('Slack adapter under hostile input', () => {
  it('never answers 5xx, never crashes and never changes the project, whatever Slack-shaped request arrives', async () => {
    const pid = await h.projectId();
    const actions = new Set(messages.flatMap((m) => pressables(m).map((p) => p.a)));
    // The fuzz clicks the bot's real buttons, so the sign-off, decision, texts and share handlers are all reached.
    expect([...actions]).toEqual(
      expect.arrayContaining(['signoff.approve', 'signoff.reject', 'decision.go', 'comms.texts', 'status.share']),
    );
    const before = await footprint();
    const errorsBefore = h.log.errors.length;
    const callsBefore = h.fake.answered().length;
    const arb = fc.tuple(
      fc.oneof(
        { weight: 3, arbitrary: slashArb() },
        { weight: 4, arbitrary: clickArb() },
        { weight: 2, arbitrary: submitArb() },
        { weight: 2, arbitrary: eventArb() },
        { weight: 1, arbitrary: rawArb },
      ),
      signingArb,
    );
    const requests = fc.sample(arb, { seed: FUZZ_SEED, numRuns: RUNS });
    const statuses = new Map<number, number>();
    const wrong: string[] = [];
    // Sent in waves, as Slack would deliver a busy workspace's traffic; each answer is checked on its own.
    for (let i = 0; i < requests.length; i += WAVE) {
      await Promise.all(
        requests.slice(i, i + WAVE).map(async ([req, signing], j) => {
          const started = performance.now();
          const sent = await send(req, signing, pid);
          const ms = performance.now() - started;
          statuses.set(sent.status, (statuses.get(sent.status) ?? 0) + 1);
          // Answered at once: Slack gives up after 3 s, and a request held that long is a request that holds a worker.
          if (sent.status >= 500 || (signing !== 'good' && sent.status !== 401) || ms > 1000)
            wrong.push(`#${i + j} ${signing} → ${sent.status} in ${Math.round(ms)} ms: ${JSON.stringify(req).slice(0, 400)}`);
        }),
      );
    }
    await adapter.idle();
    expect(wrong).toEqual([]);
    expect(problems).toEqual([]);
    // Neither Bolt nor lv-bot logged an error of its own: whatever was wrong was the sender's, and was answered as such.
    // One report is right for such input: a private reply Slack refused (no such channel or user).
    const expected = /private reply could not be delivered/;
    expect(h.log.errors.slice(errorsBefore).filter((e) => !expected.test((e as { msg: string }).msg))).toEqual([]);
    // Most signed requests were acknowledged by a listener, not bounced at the door.
    expect(statuses.get(200) ?? 0).toBeGreaterThan(RUNS / 2);
    expect(statuses.get(401) ?? 0).toBeGreaterThan(RUNS / 10);
    expect(await footprint()).toEqual(before);
    // Nothing of the project was shown in another conversation, whatever button was pressed there.
    const leaked = h.fake
      .answered()
      .slice(callsBefore)
      .filter((c) => c.method.startsWith('chat.') && c.body.channel !== CHANNEL && JSON.stringify(c.body).includes('Demo City'));
    expect(leaked.map((c) => `${c.method} ${String(c.body.channel)}`)).toEqual([]);
    // The server still answers a real command afterwards, and answers it completely.
    const calls = h.fake.answered().length;
    expect((await sender.command(h.slashFields('mallory', 'help'))).status).toBe(200);
    await adapter.idle();
    expect(h.fake.answered().length).toBeGreaterThan(calls);
  }, 60_000);

  describe('what the fuzz found, one case each', () => {
    it('answers an interaction whose payload is nested 10,000 levels deep, or that no listener takes, at once: 400 or an ack', async () => {
      const deep = (open: string, close: string, inner = '') => open.repeat(10_000) + inner + close.repeat(10_000);
      const cases: Array<[string, number]> = [
        [deep('[', ']'), 400],
        [deep('{"a":', '}', '1'), 400],
        [`{"type":"block_actions","user":{"id":"${MALLORY.id}"},"x":${deep('[', ']')}}`, 200],
        ['{"type":"view_closed","view":{"callback_id":"lv.form"}}', 200],
        ['{"type":"shortcut","callback_id":"x"}', 200],
        ['{"command":"/other","text":"status"}', 400],
      ];
      for (const [payload, status] of cases) {
        const started = performance.now();
        const body = new URLSearchParams({ payload }).toString();
        const ts = String(Math.floor(Date.now() / 1000));
        const res = await fetch(sender.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            'x-slack-request-timestamp': ts,
            'x-slack-signature': sign(SECRET, ts, body),
          },
          body,
        });
        await res.text();
        expect(res.status, payload.slice(0, 60)).toBe(status);
        expect(performance.now() - started, payload.slice(0, 60)).toBeLessThan(1000);
      }
      await adapter.idle();
    });

    it('answers a signed body that is JSON null with 400, not 500', async () => {
      const ts = String(Math.floor(Date.now() / 1000));
      for (const contentType of ['application/json', '']) {
        const res = await fetch(sender.url, {
          method: 'POST',
          headers: {
            'x-slack-request-timestamp': ts,
            'x-slack-signature': sign(SECRET, ts, 'null'),
            ...(contentType ? { 'content-type': contentType } : {}),
          },
          body: 'null',
        });
        expect(res.status).toBe(400);
      }
    });

    it("ignores a click, form or mention that names no user, or whose text or view is not Slack's shape, without an error", async () => {
      const errors = h.log.errors.length;
      const message = messages.find((m) => m.blocks.some((b) => JSON.stringify(b).includes('signoff.approve')))!;
      const click = h.clickPayload('mallory', message, 'signoff.approve') as Record<string, unknown>;
      delete (click.user as Record<string, unknown>).id;
      expect((await sender.interaction(click)).status).toBe(200);
      const mention = h.mentionPayload('mallory', 'status') as Record<string, unknown> & { event: Record<string, unknown> };
      mention.event.text = 42;
      expect((await sender.event(mention)).status).toBe(200);
      const form = {
        type: 'view_submission',
        team: { id: TEAM },
        user: { id: MALLORY.id, team_id: TEAM },
        trigger_id: '1.2.3',
        view: {
          id: 'V1',
          callback_id: 'lv.form',
          private_metadata: JSON.stringify({ a: 'signoff.reject', v: 'p0|s1', c: CHANNEL, l: 'en' }),
          blocks: 7,
          state: { values: 'x' },
        },
      };
      expect((await sender.interaction(form)).status).toBe(200);
      await adapter.idle();
      expect(h.log.errors.slice(errors)).toEqual([]);
    });
  });

  it('the fuzz can see a change: the same requests from the coordinator do change the project', async () => {
    // Guards the assertion above against a fuzz that never reaches the handlers.
    const before = await footprint();
    const message = messages.find((m) => m.blocks.some((b) => JSON.stringify(b).includes('signoff.approve')))!;
    expect((await sender.interaction(h.clickPayload('anna', message, 'signoff.approve'))).status).toBe(200);
    await adapter.idle();
    const after = await footprint();
    expect(after.audit.length).toBe(before.audit.length + 1);
  });
});
