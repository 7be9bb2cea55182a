import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalog } from '../../messages/i18n.js';
import { ANNA, CHANNEL, TENANT, cardOf, cardText, executeActions, teamsHarness, type TeamsHarness } from './teams-harness.js';

/**
 * Forged buttons over Teams' HTTP interface: an Action.Execute whose data names the channel's project, invoked
 * from another channel of the team or from a personal chat with the bot. The invoke's answer is the clicker's
 * alone, nothing is posted to the other conversation, and only a personal button in the presser's own chat, on a
 * project they hold a role in, acts.
 */

let h: TeamsHarness;
const en = catalog('en');
const OTHER = {
  id: '19:0a1b2c3d4e5f60718293a4b5c6d7e8f9@thread.tacv2;messageid=1759881511856',
  conversationType: 'channel',
  isGroup: true,
};
const personal = (id: string) => ({ id, conversationType: 'personal' });
const MALLORY = { id: '29:1malloryTeamsIdNotInTheProject-abc', name: 'Mallory', aadObjectId: '9d1c7a44-0b6e-4f1a-8c2d-5e6f7a8b9c0d' };
let actions: Array<{ verb: string; data: unknown; title: string; replyToId: string }> = [];

async function say(text: string, o: Parameters<TeamsHarness['channelMessage']>[1] = {}) {
  const activity = h.channelMessage(text, o);
  expect((await h.post(activity)).status).toBe(200);
  return h.connector.waitFor((c) => c.kind === 'reply' && c.activityId === activity.id);
}

async function audit(): Promise<string[]> {
  const pid = await h.store.projectIdFor(TENANT, { platform: 'teams', id: CHANNEL });
  return (await h.store.auditTrail(TENANT, pid!)).map((e) => `${e.action} ${e.actor}`);
}

/** Presses a button of the bot's cards as `from`, in the conversation given; resolves with what the invoke answers the clicker (a card's text, or a message). */
async function press(verb: string, from: typeof ANNA, conversation: Record<string, unknown>): Promise<string> {
  const action = actions.find((a) => a.verb === verb)!;
  const invoke = h.invoke(action, { replyToId: action.replyToId, from });
  invoke.conversation = { ...conversation, tenantId: TENANT };
  const res = await h.post(invoke);
  expect(res.status).toBe(200);
  await h.teams.idle();
  const value: unknown = res.body?.value;
  return typeof value === 'string' ? value : cardText(value);
}

beforeAll(async () => {
  h = await teamsHarness({ limits: [{ ms: 1_000, max: 100_000 }] });
  h.connector.addMember(ANNA);
  await say('project new Demo City');
  const request = await say(`signoff functional <at>${ANNA.name}</at>`, { mentions: [{ id: ANNA.id, name: ANNA.name }] });
  const status = await say('status');
  // The channel's copy of a sign-off request shows its state; Anna's own view of it carries her buttons.
  const annas = await h.ownView(cardOf(request.body), request.createdId!, ANNA);
  actions = [
    ...executeActions(annas).map((a) => ({ ...a, replyToId: request.createdId! })),
    ...executeActions(cardOf(status.body)).map((a) => ({ ...a, replyToId: status.createdId ?? '1' })),
  ];
}, 60_000);

afterAll(async () => {
  await h?.cleanup();
});

describe('Teams: a button acts only on the project of the conversation it is pressed in', () => {
  it('Share from another channel answers the clicker alone and posts nothing there', async () => {
    const calls = h.connector.calls.length;
    expect(await press('status.share', MALLORY, OTHER)).toContain(en.refusal['action.elsewhere']);
    const there = h.connector.calls.slice(calls).filter((c) => c.conversationId && !c.conversationId.startsWith(CHANNEL));
    expect(there.map((c) => `${c.kind} ${c.conversationId}`)).toEqual([]);
  });

  it('Approve counts in the approver’s personal chat, not from another channel, nor in anyone else’s personal chat', async () => {
    const before = await audit();
    expect(await press('signoff.approve', ANNA, OTHER)).toContain(en.refusal['action.elsewhere']);
    expect(await press('signoff.approve', MALLORY, personal('a:1malloryPersonalChat'))).toContain(en.refusal['action.elsewhere']);
    // A personal chat that Teams does not call one (no conversationType) is not taken for one.
    expect(await press('signoff.approve', ANNA, { id: 'a:1annaPersonalChat' })).toContain(en.refusal['action.elsewhere']);
    expect(await audit()).toEqual(before);
    await press('signoff.approve', ANNA, personal('a:1annaPersonalChat'));
    expect((await audit()).slice(before.length)).toEqual([`signoff.approve ${ANNA.aadObjectId}`]);
  });
});
