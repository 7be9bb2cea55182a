import { afterEach, describe, expect, it } from 'vitest';
import type { Card } from '../../messages/card.js';
import type { ChatTarget } from '../../src/ports/chat.js';
import { BOT, CHANNEL, RIDO, TEAM, TEAM_GROUP, TENANT, cardOf, cardText, teamsHarness, type TeamsHarness } from './teams-harness.js';
import { GRAPH_TOKEN } from './fake-graph.js';
import { captureLog } from '../slack/harness.js';
import { FaultProxy } from '../support/fault-proxy.js';

const GROUP_CHAT = '19:b1c2d3e4f5a6478b9c0d1e2f3a4b5c6d@thread.v2';
const channel: ChatTarget = { tenant: TENANT, platform: 'teams', conversation: CHANNEL };
const groupChat: ChatTarget = { tenant: TENANT, platform: 'teams', conversation: GROUP_CHAT };
const card = (text: string): Card => ({ blocks: [{ type: 'text', text }] });

let h: TeamsHarness;
const proxies: FaultProxy[] = [];
afterEach(async () => {
  for (const p of proxies.splice(0)) await p.stop();
  await h?.cleanup();
});

/** A fault proxy in front of the fake connector (and its Graph), started. */
async function proxy(o: Omit<ConstructorParameters<typeof FaultProxy>[0], 'target' | 'seed'>): Promise<FaultProxy> {
  const p = new FaultProxy({ target: h.connector.url, seed: 1, ...o });
  await p.start();
  proxies.push(p);
  return p;
}

/**
 * A harness whose adapter reads the fake Graph. As in Teams, the bot-added event arrives on the team's
 * General channel and names the team's group id; CHANNEL, another channel of the team, is heard from by a
 * message naming only the team's id, and must still be looked up under the group id.
 */
async function withGraph(log?: ReturnType<typeof captureLog>, opts: Parameters<typeof teamsHarness>[0] = {}): Promise<TeamsHarness> {
  h = await teamsHarness({ graph: true, limits: [{ ms: 1_000, max: 10_000 }], ...(log ? { log } : {}), ...opts });
  expect((await h.post(h.botAddedToTeam())).status).toBeLessThan(300);
  await h.connector.waitFor((c) => c.kind === 'send');
  h.connector.forget('send'); // the welcome
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
    const sent = await h.teams.chat.post(channel, card('Go-live moved to 2.3.2027'), { lang: 'en', idempotencyKey: 'ann|d1|g1' });
    await h.teams.chat.post(channel, card('another announcement'), { lang: 'en', idempotencyKey: 'ann|d1|g2' });
    await h.teams.chat.post(channel, card('a reminder sent without a key'), { lang: 'en' });
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
    const sent = await h.teams.chat.post(groupChat, card('Please confirm your login'), { lang: 'en', idempotencyKey: 'staff-ask|p1|anna' });
    await h.teams.chat.post(channel, card('in the channel'), { lang: 'en', idempotencyKey: 'staff-ask|p1|ben' });
    expect(await h.teams.chat.findSent!(groupChat, 'staff-ask|p1|anna')).toEqual({ messageId: sent.messageId });
    expect(await h.teams.chat.findSent!(groupChat, 'staff-ask|p1|ben')).toBeUndefined();
    expect(graphCalls().every((c) => c.kind === 'graph-chat-messages' && c.conversationId === GROUP_CHAT)).toBe(true);
  });

  it('finds a post in a personal chat the bot opened, by the chat id Graph gives it (the person’s object id and the app id)', async () => {
    await withGraph();
    h.connector.addMember(RIDO);
    const person: ChatTarget = { tenant: TENANT, platform: 'teams', conversation: RIDO.aadObjectId, user: true };
    const sent = await h.teams.chat.post(person, card('Your sign-off is waiting'), { lang: 'en', idempotencyKey: 'rem|p1|rido' });
    expect(h.connector.delivered('create-conversation')).toHaveLength(1);
    expect(await h.teams.chat.findSent!(person, 'rem|p1|rido')).toEqual({ messageId: sent.messageId });
    const appId = BOT.id.replace('28:', '');
    expect(graphCalls().map((c) => c.conversationId)).toEqual([`19:${RIDO.aadObjectId}_${appId}@unq.gbl.spaces`]);
  });

  it('pages back through @odata.nextLink, at most 5 pages of 50', async () => {
    await withGraph();
    const ids: string[] = [];
    for (let i = 0; i < 260; i++)
      ids.push((await h.teams.chat.post(channel, card(`message ${i}`), { lang: 'en', idempotencyKey: `batch|${i}` })).messageId);
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
    await h.teams.chat.post(channel, card('posted'), { lang: 'en', idempotencyKey: 'k1' });
    h.connector.fail({ status: 403, times: 2, match: (c) => c.kind === 'graph-channel-messages' });
    expect(await h.teams.chat.findSent!(channel, 'k1')).toBeUndefined();
    expect(await h.teams.chat.findSent!(channel, 'k1')).toBeUndefined();
    expect(graphCalls().map((c) => c.status)).toEqual([403, 403]);
    expect(log.warnings).toEqual([
      expect.objectContaining({ tenant: TENANT, msg: expect.stringContaining('Microsoft Graph refused to list messages (403)') }),
    ]);
  });

  it('throws RateLimitedError with Graph’s Retry-After on 429 (1 s without one), and 5xx as it came', async () => {
    await withGraph();
    await h.teams.chat.post(channel, card('posted'), { lang: 'en', idempotencyKey: 'k1' });
    h.connector.fail({ status: 429, retryAfter: '7', match: (c) => c.kind === 'graph-channel-messages' });
    await expect(h.teams.chat.findSent!(channel, 'k1')).rejects.toMatchObject({ name: 'RateLimitedError', retryAfterMs: 7_000 });
    h.connector.fail({ status: 429, match: (c) => c.kind === 'graph-channel-messages' });
    await expect(h.teams.chat.findSent!(channel, 'k1')).rejects.toMatchObject({ name: 'RateLimitedError', retryAfterMs: 1_000 });
    h.connector.fail({ status: 503, match: (c) => c.kind === 'graph-channel-messages' });
    await expect(h.teams.chat.findSent!(channel, 'k1')).rejects.toThrow(/Microsoft Graph answered 503/);
    expect(await h.teams.chat.findSent!(channel, 'k1')).toBeDefined();
  });

  it('a channel whose team’s group id cannot be learned is not looked up (the engine posts again); once the bot is added anew, it is', async () => {
    const log = captureLog();
    h = await teamsHarness({ graph: true, log });
    // No arrival event, and the connector does not know the team (404): no group id.
    expect((await h.post(h.channelMessage('help'))).status).toBe(200);
    expect(h.connector.calls.filter((c) => c.kind === 'team-details').map((c) => c.status)).toEqual([404]);
    h.connector.graph.addChannel(TEAM_GROUP, CHANNEL);
    const sent = await h.teams.chat.post(channel, card('posted'), { lang: 'en', idempotencyKey: 'k1' });
    expect(await h.teams.chat.findSent!(channel, 'k1')).toBeUndefined();
    expect(graphCalls()).toEqual([]);
    expect(log.warnings.map((w) => (w as { msg: string }).msg)).toEqual([
      expect.stringContaining('the connector did not name a team’s Microsoft 365 group'),
      expect.stringContaining('the Microsoft 365 group of a channel’s team is not known'),
    ]);
    // Re-adding the app names the group on General; CHANNEL's record (its team's id) now finds it.
    expect((await h.post(h.botAddedToTeam())).status).toBeLessThan(300);
    expect(await h.teams.chat.findSent!(channel, 'k1')).toEqual({ messageId: sent.messageId });
  });

  it('a team the bot joined before it kept group ids is asked of the connector once (GET /v3/teams/{id}), then its channels are looked up', async () => {
    h = await teamsHarness({ graph: true });
    h.connector.addTeam(TEAM, TEAM_GROUP);
    h.connector.graph.addChannel(TEAM_GROUP, CHANNEL);
    expect((await h.post(h.channelMessage('help'))).status).toBe(200);
    expect((await h.post(h.channelMessage('status'))).status).toBe(200);
    expect(h.connector.calls.filter((c) => c.kind === 'team-details').map((c) => [c.path, c.status])).toEqual([
      [`/v3/teams/${encodeURIComponent(TEAM)}`, 200],
    ]);
    const sent = await h.teams.chat.post(channel, card('posted'), { lang: 'en', idempotencyKey: 'k1' });
    expect(await h.teams.chat.findSent!(channel, 'k1')).toEqual({ messageId: sent.messageId });
  });

  it('an engine-owned post answered 5xx is tried once and reported, for the engine to look up; the SDK does not post it again unseen', async () => {
    await withGraph();
    for (const status of [500, 503, 502]) {
      h.connector.fail({ status, match: (c) => c.kind === 'send' });
      await expect(
        h.teams.chat.post(channel, card(`posted ${status}`), { lang: 'en', idempotencyKey: `k${status}` }),
      ).rejects.toMatchObject({ statusCode: status });
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

  it('a delivery to a channel the bot was not added on, whose answer was lost, is found in Graph and not posted twice', async () => {
    h = await teamsHarness({ graph: true, jobs: true, limits: [{ ms: 1_000, max: 10_000 }] });
    expect((await h.post(h.botAddedToTeam())).status).toBeLessThan(300); // on General, naming the group
    // The first post to CHANNEL reaches Teams, but its answer is lost (the connection drops).
    const p = await proxy({
      rates: { dropAfter: 1 },
      faultable: (r) => r.method === 'POST' && /\/activities$/.test(r.path),
      identify: () => 'post',
      maxFaultsPerId: 1,
    });
    expect((await h.post({ ...h.channelMessage('status'), serviceUrl: p.url })).status).toBe(200); // team.id only
    h.connector.graph.addChannel(TEAM_GROUP, CHANNEL);
    await h.queues!.send(TENANT, 'b1', [
      { key: 'ann|b1|fi', target: channel, card: card('Go-live moved to 2.3.2027'), lang: 'en' as const },
    ]);
    await h.quiet();
    const posts = h.connector.delivered('send').filter((c) => cardText(cardOf(c.body)).includes('Go-live moved'));
    expect(posts).toHaveLength(1);
    expect(p.requests.filter((r) => r.fault !== 'pass').map((r) => r.fault)).toEqual(['dropAfter']);
    expect(await h.queues!.ledger(TENANT, 'b1')).toEqual([expect.objectContaining({ state: 'sent', messageId: posts[0]!.createdId })]);
    expect(graphCalls().map((c) => c.path)).toEqual([`/graph/v1.0/teams/${TEAM_GROUP}/channels/${encodeURIComponent(CHANNEL)}/messages`]);
  });

  it('cannot look when no Graph token can be had: answers "not found" (the engine posts again) and warns once per tenant', async () => {
    const log = captureLog();
    const token = async () => {
      throw new Error('AADSTS700016: Application with identifier was not found in the directory');
    };
    await withGraph(log, { graph: { token } });
    await h.teams.chat.post(channel, card('posted'), { lang: 'en', idempotencyKey: 'k1' });
    expect(await h.teams.chat.findSent!(channel, 'k1')).toBeUndefined();
    expect(await h.teams.chat.findSent!(channel, 'k1')).toBeUndefined();
    expect(graphCalls()).toEqual([]);
    expect(log.warnings).toEqual([
      expect.objectContaining({
        tenant: TENANT,
        err: expect.stringContaining('AADSTS700016'),
        msg: expect.stringContaining('no Microsoft Graph token'),
      }),
    ]);
  });

  it('cannot look when Graph rejects the request (400) or cannot be reached (connection refused): "not found", each said once', async () => {
    const log = captureLog();
    await withGraph(log);
    await h.teams.chat.post(channel, card('posted'), { lang: 'en', idempotencyKey: 'k1' });
    h.connector.fail({ status: 400, times: 2, match: (c) => c.kind === 'graph-channel-messages' });
    expect(await h.teams.chat.findSent!(channel, 'k1')).toBeUndefined();
    expect(await h.teams.chat.findSent!(channel, 'k1')).toBeUndefined();
    expect(graphCalls().map((c) => c.status)).toEqual([400, 400]);
    const closed = await proxy({ rates: {} });
    const refused = closed.via(h.connector.graph.url);
    await closed.stop();
    await h.useGraphUrl(refused);
    expect(await h.teams.chat.findSent!(channel, 'k1')).toBeUndefined();
    expect(log.warnings.map((w) => (w as { msg: string }).msg)).toEqual([
      expect.stringContaining('Microsoft Graph rejected the request to list messages (400)'),
      expect.stringContaining('Microsoft Graph cannot be reached (ECONNREFUSED)'),
    ]);
  });

  it('a Graph answer lost to a dropped connection is thrown (the engine looks again), not taken as "not found"', async () => {
    await withGraph();
    const sent = await h.teams.chat.post(channel, card('posted'), { lang: 'en', idempotencyKey: 'k1' });
    const p = await proxy({ rates: { dropAfter: 1 }, identify: () => 'graph', maxFaultsPerId: 1 });
    await h.useGraphUrl(p.via(h.connector.graph.url));
    await expect(h.teams.chat.findSent!(channel, 'k1')).rejects.toThrow();
    expect(await h.teams.chat.findSent!(channel, 'k1')).toEqual({ messageId: sent.messageId });
  });

  it('follows @odata.nextLink through the configured Graph URL (a proxy), not around it', async () => {
    await withGraph();
    const ids: string[] = [];
    for (let i = 0; i < 60; i++)
      ids.push((await h.teams.chat.post(channel, card(`message ${i}`), { lang: 'en', idempotencyKey: `batch|${i}` })).messageId);
    const p = await proxy({ rates: {} });
    await h.useGraphUrl(p.via(h.connector.graph.url));
    expect(await h.teams.chat.findSent!(channel, 'batch|3')).toEqual({ messageId: ids[3] }); // on the second page
    expect(graphCalls()).toHaveLength(2);
    expect(p.requests.map((r) => r.path.split('?')[0])).toEqual(
      Array(2).fill(`/graph/v1.0/teams/${TEAM_GROUP}/channels/${encodeURIComponent(CHANNEL)}/messages`),
    );
    expect(p.requests[1]!.path).toContain('$skiptoken=');
  });
});
