import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { COMMAND_NAMES } from '../../src/commands/grammar.js';
import { catalog } from '../../messages/i18n.js';
import { LANGS } from '../../src/domain/types.js';
import { applyEdits, commandLineArb, editsArb, FUZZ_SEED, hostileValue, PROTOTYPE_KEYS } from '../support/fuzz-json.js';
import { ANNA, BOT, CHANNEL, TENANT, cardOf, executeActions, fixture, teamsHarness, type TeamsHarness } from './teams-harness.js';
import { APP_ID, channelClaims, credentialedTeams, forgeToken } from './forged-tokens.js';

/**
 * Thousands of random and mutated Bot Framework activities posted over real HTTP to the Teams adapter's
 * /api/messages (development mode: unauthenticated but loopback only, so a share carries proxy headers
 * and must get 403): channel and personal messages, `adaptiveCard/action` invokes on the bot's real
 * cards, message-back submits, conversation updates and raw bodies, as Mallory, who holds no role in
 * the channel's project. Never a 5xx, no unhandled rejection, the endpoint still answers, and the
 * project (version, document, audit trail) and the tenant's list of projects are unchanged.
 */

let h: TeamsHarness;
const problems: unknown[] = [];
const onProblem = (e: unknown) => problems.push(e);
const RUNS = 1500;
const WAVE = 25;
const MALLORY = { id: '29:1malloryTeamsIdNotInTheProject-abc', name: 'Mallory', aadObjectId: '9d1c7a44-0b6e-4f1a-8c2d-5e6f7a8b9c0d' };
/** Words a fuzzed line is built from; never `new` (anyone may start a project in another conversation). */
const WORDS = [
  ...COMMAND_NAMES,
  'mine',
  'process.review',
  'functional',
  's1',
  'go',
  'nogo',
  'postpone',
  'add',
  'attend',
  'yes',
  'problem',
  'sent',
  'confirmed',
  'group',
  'preview',
  'retry',
  'coordinator',
  'decider',
  'fi',
  'sv',
  'json',
  '2027-01-20',
  '3wd',
  '13:00',
  'all',
  'me',
  `<at>${BOT.name}</at>`,
  `<at>${ANNA.name}</at>`,
  ...PROTOTYPE_KEYS,
];
/** The Action.Execute buttons of the bot's own cards, pressed in the fuzz with their data mutated. */
let actions: Array<{ verb: string; data: unknown; title: string; replyToId: string }> = [];

let counter = 0;
const nextId = () => `fz${++counter}`;

const fromArb = fc.oneof(
  { weight: 4, arbitrary: fc.constant(MALLORY as Record<string, unknown>) },
  { weight: 1, arbitrary: fc.record({ id: fc.string({ maxLength: 20 }), name: fc.string({ maxLength: 10 }) }) },
  { weight: 1, arbitrary: fc.record({ id: fc.constant(MALLORY.id), aadObjectId: hostileValue }) },
  // People are kept by aadObjectId: one named like a member of Object.prototype is a person like any other.
  { weight: 1, arbitrary: fc.record({ id: fc.constant(MALLORY.id), aadObjectId: fc.constantFrom(...PROTOTYPE_KEYS) }) },
);

function messageArb(): fc.Arbitrary<unknown> {
  return fc
    .record({ text: commandLineArb(WORDS), personal: fc.boolean(), from: fromArb, edits: editsArb(4) })
    .map(({ text, personal, from, edits }) => {
      const a = personal ? h.personalMessage(text) : h.channelMessage(text);
      a.id = nextId();
      a.from = from;
      return applyEdits(a, edits);
    });
}

/** Where a press comes from besides the project channel: another channel, and Mallory's personal chat with the bot (a forged press). */
const ELSEWHERE = [
  { id: '19:0a1b2c3d4e5f60718293a4b5c6d7e8f9@thread.tacv2;messageid=1759881511856', conversationType: 'channel', isGroup: true },
  { id: 'a:1malloryPersonalChatWithTheBot', conversationType: 'personal' },
];

function invokeArb(): fc.Arbitrary<unknown> {
  return fc
    .record({
      i: fc.nat(),
      where: fc.option(fc.constantFrom(...ELSEWHERE), { nil: undefined, freq: 2 }),
      data: fc.option(hostileValue, { nil: undefined }),
      inputs: fc.dictionary(
        fc.constantFrom('text', 'reason', 'date', 'nextReview', 'fi', 'en', 'sv', 'override'),
        fc.string({ maxLength: 30 }),
        { maxKeys: 3 },
      ),
      from: fromArb,
      edits: editsArb(4),
    })
    .map(({ i, where, data, inputs, from, edits }) => {
      const action = actions[i % actions.length]!;
      const a = h.invoke(
        { verb: action.verb, data: data === undefined ? action.data : data, title: action.title },
        { replyToId: action.replyToId, from: MALLORY, id: nextId(), inputs },
      );
      a.from = from;
      if (where) a.conversation = { ...where, tenantId: TENANT };
      return applyEdits(a, edits);
    });
}

function otherArb(): fc.Arbitrary<unknown> {
  return fc
    .record({
      which: fc.constantFrom(
        'teams-conversation-update-bot-added-to-team.json',
        'teams-message-action-submit.json',
        'teams-invoke-adaptivecard-action-verb.json',
        'teams-message-channel.json',
      ),
      type: fc.constantFrom(
        undefined,
        'conversationUpdate',
        'invoke',
        'message',
        'messageReaction',
        'installationUpdate',
        'event',
        'typing',
        'endOfConversation',
      ),
      edits: editsArb(5),
    })
    .map(({ which, type, edits }) => {
      const a = fixture(which);
      a.serviceUrl = h.serviceUrl;
      a.id = nextId();
      if (type) a.type = type;
      return applyEdits(a, edits);
    });
}

const rawArb = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.jsonValue().map((v) => JSON.stringify(v) ?? ''),
  fc.constantFrom(
    '{',
    'null',
    '[]',
    '{"type":"message"}',
    '{"type":"message","serviceUrl":"x","channelId":"msteams","conversation":{"id":"a"},"from":{"id":"b"}}',
  ),
);

type Req = { kind: 'activity'; activity: unknown; relayed: boolean } | { kind: 'raw'; body: string; contentType: string };

const reqArb: fc.Arbitrary<Req> = fc
  .oneof(
    { weight: 4, arbitrary: messageArb().map((activity) => ({ kind: 'activity' as const, activity })) },
    { weight: 4, arbitrary: invokeArb().map((activity) => ({ kind: 'activity' as const, activity })) },
    { weight: 2, arbitrary: otherArb().map((activity) => ({ kind: 'activity' as const, activity })) },
    {
      weight: 1,
      arbitrary: fc
        .record({ body: rawArb, contentType: fc.constantFrom('application/json', 'text/plain', '') })
        .map((r) => ({ kind: 'raw' as const, ...r })),
    },
  )
  .chain((r): fc.Arbitrary<Req> => (r.kind === 'activity' ? fc.nat(9).map((n) => ({ ...r, relayed: n === 0 })) : fc.constant(r)));

/** What lv-bot says when it failed on its own, in each language: hostile input is never that, it is the sender's. */
const FAILED = LANGS.map((l) => catalog(l).common.unknownError);

async function send(req: Req): Promise<{ status: number; text: string }> {
  const headers: Record<string, string> = {};
  let body: string;
  if (req.kind === 'raw') {
    body = req.body;
    if (req.contentType) headers['content-type'] = req.contentType;
  } else {
    body = JSON.stringify(req.activity) ?? 'null';
    headers['content-type'] = 'application/json';
    if (req.relayed) headers['x-forwarded-for'] = '203.0.113.7';
  }
  const res = await fetch(h.endpoint, { method: 'POST', headers, body });
  return { status: res.status, text: await res.text() };
}

async function projectId(): Promise<string> {
  const id = await h.store.projectIdFor(TENANT, { platform: 'teams', id: CHANNEL });
  if (!id) throw new Error('no project in the channel');
  return id;
}

async function footprint() {
  const pid = await projectId();
  const loaded = await h.store.load(TENANT, pid);
  return {
    projects: await h.store.projectIds(TENANT),
    version: loaded?.version,
    doc: JSON.stringify(loaded?.project),
    audit: await h.store.auditTrail(TENANT, pid),
  };
}

/** Says a line in the channel as Rido (the coordinator) and returns the bot's reply activity. */
async function say(text: string, o: Parameters<TeamsHarness['channelMessage']>[1] = {}) {
  const activity = h.channelMessage(text, o);
  expect((await h.post(activity)).status).toBe(200);
  return h.connector.waitFor((c) => c.kind === 'reply' && c.activityId === activity.id);
}

beforeAll(async () => {
  process.on('unhandledRejection', onProblem);
  process.on('uncaughtException', onProblem);
  // Replies go out unthrottled: this test is about what comes in (Teams' send limits have their own tests).
  h = await teamsHarness({ limits: [{ ms: 1_000, max: 100_000 }] });
  h.connector.addMember(ANNA);
  await say('project new Demo City');
  await say('golive 2027-03-01');
  const cards = [
    await say(`signoff functional <at>${ANNA.name}</at>`, { mentions: [{ id: ANNA.id, name: ANNA.name }] }),
    await say('status'),
    await say('comms preview go'),
  ];
  // The sign-off's buttons are Anna's: they are in her own view of the card (everyone's copy has its refresh action).
  const annaView = await h.ownView(cardOf(cards[0]!.body), cards[0]!.createdId!, ANNA);
  actions = [
    ...cards.flatMap((reply) => executeActions(cardOf(reply.body)).map((a) => ({ ...a, replyToId: reply.createdId ?? '1759881511856' }))),
    ...executeActions(annaView).map((a) => ({ ...a, replyToId: cards[0]!.createdId! })),
  ];
}, 60_000);

afterAll(async () => {
  process.off('unhandledRejection', onProblem);
  process.off('uncaughtException', onProblem);
  await h?.cleanup();
});

describe('Teams adapter under hostile input', () => {
  it('never answers 5xx, never crashes and never changes the project, whatever activity arrives', async () => {
    expect(actions.map((a) => a.verb)).toEqual(expect.arrayContaining(['signoff.approve', 'signoff.reject', 'status.share']));
    const before = await footprint();
    const callsBefore = h.connector.calls.length;
    const requests = fc.sample(reqArb, { seed: FUZZ_SEED, numRuns: RUNS });
    const statuses = new Map<number, number>();
    const wrong: string[] = [];
    for (let i = 0; i < requests.length; i += WAVE) {
      await Promise.all(
        requests.slice(i, i + WAVE).map(async (req, j) => {
          const { status, text } = await send(req);
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          const relayed = req.kind === 'activity' && req.relayed;
          if (status >= 500 || (relayed && status !== 403) || FAILED.some((f) => text.includes(f)))
            wrong.push(`#${i + j} → ${status} ${text.slice(0, 200)}: ${JSON.stringify(req).slice(0, 400)}`);
        }),
      );
    }
    await h.teams.idle();
    expect(wrong).toEqual([]);
    expect(problems).toEqual([]);
    // No reply in any conversation says the bot failed: whatever arrived was answered as the sender's mistake or refusal.
    const failed = h.connector.calls.filter((c) => FAILED.some((f) => JSON.stringify(c.body ?? '').includes(f)));
    expect(failed.map((c) => `${c.kind} ${JSON.stringify(c.body).slice(0, 300)}`)).toEqual([]);
    // Most activities got through the guard and the activity check to the bot.
    expect(statuses.get(200) ?? 0).toBeGreaterThan(RUNS / 3);
    expect(await footprint()).toEqual(before);
    // Nothing of the project was posted to another conversation, whatever button was pressed there.
    const leaked = h.connector.calls
      .slice(callsBefore)
      .filter((c) => c.conversationId && !c.conversationId.startsWith(CHANNEL) && JSON.stringify(c.body ?? '').includes('Demo City'));
    expect(leaked.map((c) => `${c.kind} ${c.conversationId}`)).toEqual([]);
    // The endpoint still answers a real message afterwards.
    expect((await say('status')).body.type).toBe('message');
  }, 60_000);

  describe('what the fuzz found, one case each', () => {
    it('answers an invoke no route takes with 400, not 501', async () => {
      const approve = actions.find((a) => a.verb === 'signoff.approve')!;
      const other = h.invoke(approve, { replyToId: approve.replyToId, from: MALLORY });
      other.name = 'composeExtension/query';
      expect((await h.post(other)).status).toBe(400);
      const notExecute = h.invoke(approve, { replyToId: approve.replyToId, from: MALLORY });
      notExecute.value.action.type = 'Action.Submit';
      expect((await h.post(notExecute)).status).toBe(400);
    });

    it('answers a press whose entities are not a list, or whose sender has an id that is not text, as any refused press', async () => {
      const approve = actions.find((a) => a.verb === 'signoff.approve')!;
      const odd = [
        { entities: '.Q>sMJ', locale: JSON.parse('{"__proto__":[true]}') as unknown },
        { from: { id: MALLORY.id, aadObjectId: [null, 'x'] } },
        { from: { id: MALLORY.id, aadObjectId: { id: 1 }, name: 7 } },
        { from: { id: MALLORY.id, aadObjectId: 'constructor' } },
      ];
      for (const patch of odd) {
        const press = { ...h.invoke(approve, { replyToId: approve.replyToId, from: MALLORY }), ...patch };
        const res = await fetch(h.endpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(press),
        });
        const text = await res.text();
        expect(res.status, JSON.stringify(patch)).toBe(200);
        // Mallory is no approver, whoever the activity says she is: refused, as in her language the card says.
        const refusals = LANGS.map((l) => catalog(l).refusal['signoff.not-approver']({ kind: '', who: '' }).split(' :')[0]!.slice(0, 20));
        expect(
          FAILED.some((f) => text.includes(f)),
          text,
        ).toBe(false);
        expect(
          refusals.some((r) => text.includes(r)),
          text,
        ).toBe(true);
      }
    });

    it('refuses an activity without a recipient id as not a Bot Framework activity (400), not 501', async () => {
      const message = h.channelMessage('status', { from: MALLORY });
      delete message.recipient.id;
      const res = await h.post(message);
      expect(res.status).toBe(400);
      expect(res.body.error).toContain('recipient.id');
    });
  });

  it('the fuzz can see a change: the approver pressing the same button records it', async () => {
    const before = await footprint();
    const approve = actions.find((a) => a.verb === 'signoff.approve')!;
    const res = await h.post(h.invoke(approve, { replyToId: approve.replyToId, from: { ...ANNA, aadObjectId: ANNA.aadObjectId } }));
    expect(res.status).toBe(200);
    await h.teams.idle();
    expect((await footprint()).audit.length).toBe(before.audit.length + 1);
  });
});

describe('Teams adapter with credentials under forged tokens', () => {
  /** A token's header, claims and signing, each drawn from what a forger would try. */
  const tokenArb = fc.oneof(
    {
      weight: 5,
      arbitrary: fc
        .record({
          alg: fc.constantFrom('none', 'None', 'NONE', 'RS256', 'HS256', 'ES256', 'PS256', ''),
          kid: fc.option(fc.oneof(fc.constantFrom('unknown', '', ...PROTOTYPE_KEYS), fc.string({ maxLength: 20 })), { nil: undefined }),
          x5t: fc.option(fc.string({ maxLength: 12 }), { nil: undefined }),
          claims: fc.record({
            iss: fc.constantFrom('https://api.botframework.com', 'https://sts.windows.net/x/', 'https://evil.example'),
            aud: fc.constantFrom(APP_ID, 'other-app', ''),
            expIn: fc.integer({ min: -100_000, max: 100_000 }),
          }),
          signature: fc.constantFrom('rs256' as const, 'hs256' as const, 'none' as const, 'garbage' as const),
        })
        .map(({ alg, kid, x5t, claims, signature }) =>
          forgeToken({
            header: { alg, typ: 'JWT', ...(kid === undefined ? {} : { kid }), ...(x5t === undefined ? {} : { x5t }) },
            claims: {
              ...channelClaims('https://smba.trafficmanager.net/emea/'),
              iss: claims.iss,
              aud: claims.aud,
              exp: Math.floor(Date.now() / 1000) + claims.expIn,
            },
            signature,
          }),
        ),
    },
    {
      weight: 1,
      arbitrary: fc.oneof(
        fc.string({ maxLength: 60 }),
        hostileValue.map((v) => (typeof v === 'string' ? v : (JSON.stringify(v) ?? ''))),
      ),
    },
  );
  const schemeArb = fc.constantFrom('Bearer ', 'Bearer ', 'bearer ', 'Basic ', '');

  it('answers every forged or broken token 401 with no details, within a second, and nothing is changed', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const teams = await credentialedTeams();
    try {
      const requests = fc.sample(fc.tuple(tokenArb, schemeArb, fc.boolean()), { seed: FUZZ_SEED, numRuns: 200 });
      const wrong: string[] = [];
      for (let i = 0; i < requests.length; i += WAVE) {
        await Promise.all(
          requests.slice(i, i + WAVE).map(async ([token, scheme, invoke]) => {
            const activity = invoke ? fixture('teams-invoke-adaptivecard-action.json') : fixture('teams-message-channel.json');
            activity.text = '<at>ridotest</at> project new Sneaky';
            activity.serviceUrl = 'https://smba.trafficmanager.net/emea/';
            const started = performance.now();
            const res = await fetch(teams.url, {
              method: 'POST',
              // An HTTP header carries visible ASCII only; what else a forger types cannot reach the server.
              headers: { 'content-type': 'application/json', authorization: `${scheme}${token}`.replace(/[^\x20-\x7e]/g, '') },
              body: JSON.stringify(activity),
            });
            const text = await res.text();
            const ms = performance.now() - started;
            if (res.status !== 401 || text !== '' || ms > 1000)
              wrong.push(`${res.status} in ${Math.round(ms)} ms “${text.slice(0, 80)}”: ${scheme}${token.slice(0, 200)}`);
          }),
        );
      }
      expect(wrong).toEqual([]);
      expect(await teams.composed.app.store.projectIds(TENANT)).toEqual([]);
    } finally {
      errors.mockRestore();
      await teams.stop();
    }
  }, 60_000);
});
