import { afterEach, describe, expect, it } from 'vitest';
import type { Card } from '../../messages/card.js';
import type { ChatTarget } from '../../src/ports/chat.js';
import { BOT, CHANNEL, RIDO, TENANT, cardOf, cardText, teamsHarness, type TeamsHarness } from './teams-harness.js';
import { GRAPH_TOKEN } from './fake-graph.js';
import { captureLog } from '../slack/harness.js';

/** The Microsoft 365 group of the team CHANNEL is in, as Teams names it when the bot is added there. */
const TEAM_GROUP = 'f3ec8cd2-e704-4344-8c47-9a3a21d683c0';
const GROUP_CHAT = '19:b1c2d3e4f5a6478b9c0d1e2f3a4b5c6d@thread.v2';
const channel: ChatTarget = { tenant: TENANT, platform: 'teams', conversation: CHANNEL };
const groupChat: ChatTarget = { tenant: TENANT, platform: 'teams', conversation: GROUP_CHAT };
const card = (text: string): Card => ({ blocks: [{ type: 'text', text }] });

let h: TeamsHarness;
afterEach(async () => {
  await h?.cleanup();
});

/** A harness whose adapter reads the fake Graph, with the bot added to CHANNEL's team and a message heard there since. */
async function withGraph(log?: ReturnType<typeof captureLog>): Promise<TeamsHarness> {
  h = await teamsHarness({ graph: true, limits: [{ ms: 1_000, max: 10_000 }], ...(log ? { log } : {}) });
  const added = h.botAdded();
  added.conversation = { ...added.conversation, id: CHANNEL, tenantId: TENANT };
  added.channelData = { ...added.channelData, tenant: { id: TENANT }, team: { ...added.channelData.team, aadGroupId: TEAM_GROUP } };
  added.recipient = { id: BOT.id, name: BOT.name };
  added.membersAdded = [{ id: BOT.id }];
  expect((await h.post(added)).status).toBeLessThan(300);
  // A later message names no team group id (Teams leaves it out): the one stored is kept.
  expect((await h.post(h.channelMessage('help'))).status).toBe(200);
  h.connector.graph.addChannel(TEAM_GROUP, CHANNEL);
  return h;
}

/** A message in a group chat, so the bot knows the chat. */
function groupChatMessage(text: string) {
  const a = h.channelMessage(text);
  a.conversation = { id: GROUP_CHAT, conversationType: 'groupChat', isGroup: true, tenantId: TENANT };
  a.channelData = { tenant: { id: TENANT } };
  return a;
}

const graphCalls = () => h.connector.calls.filter((c) => c.kind === 'graph-channel-messages' || c.kind === 'graph-chat-messages');

describe('Teams findSent: a delivery whose answer was lost is found through Microsoft Graph', () => {
  it('finds a channel post by the key its card carries, and answers "not found" for a key never posted', async () => {
    await withGraph();
    const sent = await h.teams.chat.post(channel, card('Go-live moved to 2.3.2027'), { idempotencyKey: 'ann|d1|g1' });
    await h.teams.chat.post(channel, card('another announcement'), { idempotencyKey: 'ann|d1|g2' });
    await h.teams.chat.post(channel, card('a reminder sent without a key'));
    const posted = h.connector.delivered('send').find((c) => c.createdId === sent.messageId)!;
    expect(cardText(cardOf(posted.body))).toContain('Go-live moved to 2.3.2027');

    expect(await h.teams.chat.findSent!(channel, 'ann|d1|g1')).toEqual({ messageId: sent.messageId });
    expect(await h.teams.chat.findSent!(channel, 'ann|d1|g9')).toBeUndefined();
    expect(graphCalls().map((c) => [c.path, c.status])).toEqual([
      [`/graph/v1.0/teams/${TEAM_GROUP}/channels/${encodeURIComponent(CHANNEL)}/messages`, 200],
      [`/graph/v1.0/teams/${TEAM_GROUP}/channels/${encodeURIComponent(CHANNEL)}/messages`, 200],
    ]);
  });

  it('finds a group chat post; a key posted in another conversation is not found there', async () => {
    await withGraph();
    expect((await h.post(groupChatMessage('help'))).status).toBe(200);
    const sent = await h.teams.chat.post(groupChat, card('Please confirm your login'), { idempotencyKey: 'staff-ask|p1|anna' });
    await h.teams.chat.post(channel, card('in the channel'), { idempotencyKey: 'staff-ask|p1|ben' });
    expect(await h.teams.chat.findSent!(groupChat, 'staff-ask|p1|anna')).toEqual({ messageId: sent.messageId });
    expect(await h.teams.chat.findSent!(groupChat, 'staff-ask|p1|ben')).toBeUndefined();
    expect(graphCalls().every((c) => c.kind === 'graph-chat-messages' && c.conversationId === GROUP_CHAT)).toBe(true);
  });

  it('finds a post in a personal chat the bot opened, by the chat id Graph gives it (the person’s object id and the app id)', async () => {
    await withGraph();
    h.connector.addMember(RIDO);
    const person: ChatTarget = { tenant: TENANT, platform: 'teams', conversation: RIDO.aadObjectId, user: true };
    const sent = await h.teams.chat.post(person, card('Your sign-off is waiting'), { idempotencyKey: 'rem|p1|rido' });
    expect(h.connector.delivered('create-conversation')).toHaveLength(1);
    expect(await h.teams.chat.findSent!(person, 'rem|p1|rido')).toEqual({ messageId: sent.messageId });
    const appId = BOT.id.replace('28:', '');
    expect(graphCalls().map((c) => c.conversationId)).toEqual([`19:${RIDO.aadObjectId}_${appId}@unq.gbl.spaces`]);
  });

  it('pages back through @odata.nextLink, at most 5 pages of 50', async () => {
    await withGraph();
    const ids: string[] = [];
    for (let i = 0; i < 260; i++) ids.push((await h.teams.chat.post(channel, card(`message ${i}`), { idempotencyKey: `batch|${i}` })).messageId);
    // The 120th newest is on the third page.
    expect(await h.teams.chat.findSent!(channel, 'batch|140')).toEqual({ messageId: ids[140] });
    expect(graphCalls()).toHaveLength(3);
    expect(graphCalls()[2]!.status).toBe(200);
    // The oldest ten are beyond 250 messages back: not looked at, not found.
    expect(await h.teams.chat.findSent!(channel, 'batch|5')).toBeUndefined();
    expect(graphCalls()).toHaveLength(3 + 5);
  });

  it('answers "not found" when Graph refuses (403: the RSC permission is not granted), so the engine posts again; the log says so once', async () => {
    const log = captureLog();
    await withGraph(log);
    await h.teams.chat.post(channel, card('posted'), { idempotencyKey: 'k1' });
    h.connector.fail({ status: 403, times: 2, match: (c) => c.kind === 'graph-channel-messages' });
    expect(await h.teams.chat.findSent!(channel, 'k1')).toBeUndefined();
    expect(await h.teams.chat.findSent!(channel, 'k1')).toBeUndefined();
    expect(graphCalls().map((c) => c.status)).toEqual([403, 403]);
    expect(log.warnings).toEqual([expect.objectContaining({ tenant: TENANT, msg: expect.stringContaining('Microsoft Graph refused to list messages (403)') })]);
  });

  it('throws RateLimitedError with Graph’s Retry-After on 429 (1 s without one), and 5xx as it came', async () => {
    await withGraph();
    await h.teams.chat.post(channel, card('posted'), { idempotencyKey: 'k1' });
    h.connector.fail({ status: 429, retryAfter: '7', match: (c) => c.kind === 'graph-channel-messages' });
    await expect(h.teams.chat.findSent!(channel, 'k1')).rejects.toMatchObject({ name: 'RateLimitedError', retryAfterMs: 7_000 });
    h.connector.fail({ status: 429, match: (c) => c.kind === 'graph-channel-messages' });
    await expect(h.teams.chat.findSent!(channel, 'k1')).rejects.toMatchObject({ name: 'RateLimitedError', retryAfterMs: 1_000 });
    h.connector.fail({ status: 503, match: (c) => c.kind === 'graph-channel-messages' });
    await expect(h.teams.chat.findSent!(channel, 'k1')).rejects.toThrow(/Microsoft Graph answered 503/);
    expect(await h.teams.chat.findSent!(channel, 'k1')).toBeDefined();
  });

  it('a channel stored before the team was known is not looked up (old records keep working: the engine posts again)', async () => {
    h = await teamsHarness({ graph: true });
    expect((await h.post(h.channelMessage('help'))).status).toBe(200); // no bot-added event: no team group id
    h.connector.graph.addChannel(TEAM_GROUP, CHANNEL);
    await h.teams.chat.post(channel, card('posted'), { idempotencyKey: 'k1' });
    expect(await h.teams.chat.findSent!(channel, 'k1')).toBeUndefined();
    expect(graphCalls()).toEqual([]);
  });

  it('an engine-owned post answered 5xx is tried once and reported, for the engine to look up; the SDK does not post it again unseen', async () => {
    await withGraph();
    for (const status of [500, 503, 502]) {
      h.connector.fail({ status, match: (c) => c.kind === 'send' });
      await expect(h.teams.chat.post(channel, card(`posted ${status}`), { idempotencyKey: `k${status}` })).rejects.toMatchObject({ statusCode: status });
    }
    expect(h.connector.calls.filter((c) => c.kind === 'send').map((c) => c.status)).toEqual([500, 503, 502]);
  });

  it('without a Graph token source (no app secret, nothing injected) the port has no findSent; the fake Graph wants the token', async () => {
    h = await teamsHarness();
    expect(h.teams.chat.findSent).toBeUndefined();
    const url = `${h.connector.graph.url}/chats/${encodeURIComponent(GROUP_CHAT)}/messages`;
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: `Bearer ${GRAPH_TOKEN}` } })).status).toBe(404);
  });
});
