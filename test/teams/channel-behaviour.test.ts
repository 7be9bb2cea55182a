import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { catalog } from '../../messages/i18n.js';
import {
  ANNA,
  CHANNEL,
  GROUP_CHAT,
  RIDO,
  TEAM,
  TENANT,
  asShown,
  cardOf,
  cardText,
  executeActions,
  teamsHarness,
  type TeamsHarness,
} from './teams-harness.js';

/**
 * How the bot behaves in a real Teams channel, over /api/messages through teams-ai's adapter against the
 * fake connector: it answers only when mentioned, says hello once when it arrives, names channels by name,
 * shares to the channel itself, and gives every message a notification summary.
 */

const en = catalog('en');
const fi = catalog('fi');
let h: TeamsHarness;

afterEach(async () => {
  await h?.cleanup();
});

async function say(text: string, o: Parameters<TeamsHarness['channelMessage']>[1] = {}) {
  const activity = h.channelMessage(text, o);
  expect((await h.post(activity)).status).toBe(200);
  const reply = await h.connector.waitFor((c) => c.kind === 'reply' && c.activityId === activity.id);
  return { activity, reply, card: cardOf(reply.body), text: cardText(cardOf(reply.body)) };
}

/** Waits until the adapter's background work (card updates, posts) is done. */
const settle = async () => h.teams.idle();

describe('Teams channels and group chats: the bot acts only when mentioned', () => {
  beforeEach(async () => {
    h = await teamsHarness();
  });

  it('ignores a channel message that does not mention it: no reply, no change, nothing stored', async () => {
    const before = await h.keys();
    const greeting = h.channelMessage('hyvää huomenta kaikille', { mentionBot: false });
    expect((await h.post(greeting)).status).toBe(200);
    const command = h.channelMessage('project new Demo City', { mentionBot: false });
    expect((await h.post(command)).status).toBe(200);
    await settle();
    expect(h.connector.calls).toEqual([]);
    expect(await h.keys()).toEqual(before);
    expect(await h.store.projectIdFor(TENANT, { platform: 'teams', id: CHANNEL })).toBeUndefined();
  });

  it('a command without a mention changes nothing, in the channel or in a reply of a thread', async () => {
    await say('project new Demo City');
    await say('assign process.review me 2027-01-20');
    const projectId = (await h.store.projectIdFor(TENANT, { platform: 'teams', id: CHANNEL }))!;
    const version = (await h.store.load(TENANT, projectId))!.version;
    h.connector.forget();
    for (const thread of ['1759881511856', '1760000000000']) {
      expect((await h.post(h.channelMessage('done process.review', { mentionBot: false, thread }))).status).toBe(200);
    }
    await settle();
    expect(h.connector.calls).toEqual([]);
    const after = (await h.store.load(TENANT, projectId))!;
    expect(after.version).toBe(version);
    expect(after.project.tasks.find((t) => t.id === 'process.review')?.status).toBe('todo');
    // Mentioned, the same command acts.
    expect((await say('done process.review')).text).toContain(en.status.done);
  });

  it('in a group chat too; a personal chat needs no mention', async () => {
    const quiet = h.groupChatMessage('help', { mentionBot: false });
    expect((await h.post(quiet)).status).toBe(200);
    await settle();
    expect(h.connector.calls).toEqual([]);
    const asked = h.groupChatMessage('help');
    expect((await h.post(asked)).status).toBe(200);
    const reply = await h.connector.waitFor((c) => c.kind === 'reply' && c.activityId === asked.id);
    expect(reply.conversationId).toBe(GROUP_CHAT);
    const personal = h.personalMessage('help');
    await h.post(personal);
    const answered = await h.connector.waitFor((c) => c.kind === 'reply' && c.activityId === personal.id);
    expect(cardText(cardOf(answered.body))).toContain(en.help.title);
  });
});

describe('Teams: a welcome on install, once', () => {
  beforeEach(async () => {
    h = await teamsHarness();
  });

  it('in a team: one welcome in the channel Teams names, in the activity’s language, though both events arrive', async () => {
    const added = h.botAddedToTeam();
    added.locale = 'fi-FI';
    expect((await h.post(added)).status).toBe(200);
    expect((await h.post(h.installationUpdate('add', 'team'))).status).toBe(200);
    await h.connector.waitFor((c) => c.kind === 'send');
    await settle();
    const sends = h.connector.delivered('send');
    expect(sends).toHaveLength(1);
    expect(sends[0]!.conversationId).toBe(TEAM);
    expect(sends[0]!.body.replyToId).toBeUndefined();
    const text = cardText(cardOf(sends[0]!.body));
    expect(text).toContain(fi.chat.welcomeTitle);
    expect(text).toContain(asShown(fi.chat.welcomeChannel({ bot: 'ridotest' })));
    expect(sends[0]!.body.summary).toBe(fi.chat.welcomeTitle);
  });

  it('in a personal chat: the personal welcome; removed and installed again, welcomed again', async () => {
    await h.post(h.installationUpdate('add', 'personal', 'sv-SE'));
    const first = await h.connector.waitFor((c) => c.kind === 'send');
    expect(cardText(cardOf(first.body))).toContain(asShown(catalog('sv').chat.welcomePersonal));
    await h.post(h.installationUpdate('add', 'personal', 'sv-SE'));
    await settle();
    expect(h.connector.delivered('send')).toHaveLength(1);
    await h.post(h.installationUpdate('remove', 'personal'));
    await h.post(h.installationUpdate('add', 'personal', 'en-GB'));
    await h.connector.waitFor((c) => c.kind === 'send' && c.seq > first.seq);
    expect(cardText(cardOf(h.connector.delivered('send').at(-1)!.body))).toContain(asShown(en.chat.welcomePersonal));
  });
});

describe('Teams channels by name, sharing to the channel, summaries', () => {
  beforeEach(async () => {
    h = await teamsHarness();
  });

  it('shows a channel by its name, learned from the team’s channel list, not as teams:19:…', async () => {
    h.connector.addTeam(TEAM, 'f3ec8cd2-e704-4344-8c47-9a3a21d683c0', 'Permits go-live', [{ id: CHANNEL, name: 'Go-live' }]);
    await say('project new Demo City');
    const { text } = await say(`comms channel customers teams:${CHANNEL}`);
    expect(text).toContain('Go-live');
    expect(text).not.toContain('19:');
    const plan = await say('comms');
    expect(plan.text).toContain('Go-live');
    expect(plan.text).not.toContain('@thread.tacv2');
    expect(h.connector.calls.filter((c) => c.kind === 'team-channels')).toHaveLength(1);
  });

  it('“Share in channel” pressed in a thread posts to the channel itself, as a new post', async () => {
    await say('project new Demo City');
    const status = await say('status', { thread: '1760000000001' });
    const share = executeActions(status.card).find((a) => a.verb === 'status.share')!;
    const invoke = h.invoke(share, { replyToId: status.reply.createdId! });
    invoke.conversation.id = `${CHANNEL};messageid=1760000000001`;
    expect((await h.post(invoke)).status).toBe(200);
    const posted = await h.connector.waitFor((c) => c.kind === 'send');
    expect(posted.conversationId).toBe(CHANNEL);
    expect(posted.body.replyToId).toBeUndefined();
    expect(cardText(cardOf(posted.body))).toContain(en.statusCard.title({ name: 'Demo City' }));
    expect(executeActions(cardOf(posted.body)).map((a) => a.verb)).not.toContain('status.share');
  });

  it('every message the bot sends has a notification summary', async () => {
    h.connector.addMember(ANNA);
    await say('project new Demo City');
    await say('status');
    await say(`signoff functional <at>${ANNA.name}</at>`, { mentions: [ANNA] });
    await say('frobnicate');
    await h.teams.chat.post(
      { tenant: TENANT, platform: 'teams', conversation: CHANNEL },
      { title: 'Reminder', blocks: [] },
      { lang: 'en' },
    );
    const messages = h.connector.delivered().filter((c) => c.kind === 'reply' || c.kind === 'send' || c.kind === 'update');
    expect(messages.length).toBeGreaterThanOrEqual(5);
    for (const m of messages) expect(m.body.summary, JSON.stringify(cardOf(m.body)).slice(0, 200)).toMatch(/\S/);
    const asked = messages.find((m) => cardText(cardOf(m.body)).includes(en.signoff.title({ kind: en.signoffKind.functional })))!;
    expect(asked.body.summary).toBe(`${RIDO.name} asks ${ANNA.name} to sign off ${en.signoffKind.functional}.`);
  });
});
