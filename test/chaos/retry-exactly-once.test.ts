import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, inject, it } from 'vitest';
import type { Composed } from '../../app/compose.js';
import { announcementBatch } from '../../src/domain/comms.js';
import type { Platform } from '../../src/domain/types.js';
import type { LedgerEntry } from '../../src/ports/jobs.js';
import { FakeSlackApi } from '../slack/fake-slack-api.js';
import { BOT_TOKEN, captureLog, SECRET } from '../slack/harness.js';
import { teamsHarness, type TeamsHarness } from '../teams/teams-harness.js';
import { waitFor } from '../jobs/support/wait.js';
import { textOf } from '../support/bot-harness.js';
import { composeOnTestRedis } from '../support/composed.js';
import { freshRedis, type FreshRedis } from '../support/redis.js';
import { FaultProxy, type Fault, type FaultProxyOptions } from '../support/fault-proxy.js';

/**
 * Exactly once through every way back to `pending`: a decision's announcement whose post reached the
 * platform although the bot was told otherwise (applied, then answered 500; or the worker killed while the
 * answer was on its way, until the job stalled too often) ends `failed`; `comms status` says a post may be
 * there, and `comms retry` looks it up instead of posting it a second time. Slack through the fake Slack
 * API, Teams through the fake connector and its fake Microsoft Graph, a fault proxy in front of each.
 */

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});

function fresh(): FreshRedis {
  const f = freshRedis();
  cleanups.push(() => f.cleanup());
  return f;
}

async function proxy(o: FaultProxyOptions): Promise<FaultProxy> {
  const p = new FaultProxy(o);
  await p.start();
  cleanups.push(() => p.stop());
  return p;
}

/** The Slack channel and the Teams channel the customers are told in. */
const SLACK_CUSTOMERS = 'C0CUST001';
const TEAMS_TEAM_GROUP = 'f3ec8cd2-e704-4344-8c47-9a3a21d683c0';
const TEAMS_TENANT = 'b28fdbfd-2b78-4f93-b0f8-8881793f0f8f';
const TEAMS_CUSTOMERS = '19:0b7f32667e064dd9b25d7969801541f4@thread.tacv2';

/** Only the announcement's posts meet faults, and only as `plan` says for its n-th post. */
const announcementFaults = (first: Fault, second?: Fault) => (id: string, n: number) =>
  id.startsWith('ann|') ? (n === 1 ? first : n === 2 ? second : undefined) : undefined;

const slackKeyIn = (body: string): string | undefined => {
  const meta = new URLSearchParams(body).get('metadata');
  return meta ? (JSON.parse(meta) as { event_payload?: { key?: string } }).event_payload?.key : undefined;
};
/** A Teams delivery's key, from the card marker its first element carries. */
const teamsKeyIn = (body: string): string | undefined => /lv-delivery:([^"\\]+)/.exec(body)?.[1];

/** The Slack proxy's options: posts named by their key, Slack's error shape. */
function slackProxy(fake: FakeSlackApi, plan: FaultProxyOptions['plan']): FaultProxyOptions {
  return {
    target: fake.apiUrl,
    seed: 1,
    rates: {},
    plan,
    identify: (r) => (r.path.includes('chat.postMessage') ? slackKeyIn(r.body) : undefined),
    errorBody: (status) => ({
      contentType: 'application/json',
      body: JSON.stringify({ ok: false, error: status === 429 ? 'ratelimited' : 'internal_error' }),
    }),
  };
}

/** A coordinator who is also the decision maker, speaking to the bot in the project's conversation. */
function coordinator(app: () => Composed, platform: Platform, tenant: string) {
  const say = async (text: string): Promise<string> =>
    textOf(
      await app().bot.handle({
        actor: { tenant, userId: 'ucoord', name: 'Kaisa', platform },
        channel: { platform, id: 'project-room' },
        input: { kind: 'text', text },
      }),
    );
  return {
    say,
    /** A project whose customers are told in `channel` in Finnish; a go decision announces it there. */
    async decideGo(channel: string): Promise<string> {
      await say('project new Demo City permits');
      await say('role ucoord decider');
      await say(`comms channel customers ${platform}:${channel}`);
      await say('comms langs customers fi');
      expect(await say('decide go 2031-03-04 override The board accepts the open items')).toMatch(/announcement is being sent: 1 messages/);
      const id = await app().store.projectIdFor(tenant, { platform, id: 'project-room' });
      return announcementBatch(id!, 'd1');
    },
    async entry(batch: string, state?: LedgerEntry['state']): Promise<LedgerEntry> {
      return waitFor(
        `the announcement ${state ?? 'settled'}`,
        async () => {
          const [e] = await app().queues.ledger(tenant, batch);
          return e && (state ? e.state === state : e.state === 'sent' || e.state === 'failed') ? e : undefined;
        },
        30_000,
        50,
      );
    },
  };
}

/** The failed announcement, `comms status` about it, `comms retry`, and the entry once it settles again. */
async function statusThenRetry(c: ReturnType<typeof coordinator>, batch: string): Promise<{ status: string; after: LedgerEntry }> {
  const failed = await c.entry(batch, 'failed');
  expect(failed.mayBePosted).toBe(true);
  const status = await c.say('comms status');
  expect(await c.say('comms retry')).toMatch(/1 failed messages are sent again/);
  return { status, after: await c.entry(batch, 'sent') };
}

/** Starts a worker child process (SIGKILLed at cleanup if still running); resolves once it says "ready". */
async function workerProcess(script: string, env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL(`../jobs/support/${script}`, import.meta.url))], {
    env: { ...process.env, REDIS_URL: inject('redisUrl'), LV_MAX_STALLED: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  cleanups.push(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
    child.once('exit', (code) => reject(new Error(`worker exited early (${code}): ${err}`)));
  });
  return child;
}

const kill = async (child: ChildProcess): Promise<void> => {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
};

const MAY_BE_THERE = /A post may already be there: the platform took it, but its answer was lost\. `comms retry` looks for it/;

describe('comms retry after a post that may have reached the platform', () => {
  it('Slack: first post 503, second applied but answered 500, 2 attempts: failed; comms retry finds it in the history and the channel holds one post', async () => {
    const f = fresh();
    const fake = new FakeSlackApi(BOT_TOKEN);
    await fake.start();
    cleanups.push(() => fake.stop());
    const p = await proxy(slackProxy(fake, announcementFaults('error503', 'error500After')));
    const { app } = await composeOnTestRedis(
      { LV_ADAPTERS: 'slack', SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: p.via(fake.apiUrl) },
      { fresh: f, log: captureLog(), tune: { queues: { retry: { attempts: 2, baseDelayMs: 20 } }, slack: { deliveryTimeoutMs: 2_000 } } },
    );
    cleanups.push(() => app.stop());
    await app.start();
    const c = coordinator(() => app, 'slack', fake.team.id);

    const batch = await c.decideGo(SLACK_CUSTOMERS);
    expect((await c.entry(batch)).state).toBe('failed');
    expect(fake.history(SLACK_CUSTOMERS)).toHaveLength(1); // the second post was applied
    const { status, after } = await statusThenRetry(c, batch);

    expect(status).toMatch(MAY_BE_THERE);
    expect(fake.history(SLACK_CUSTOMERS)).toHaveLength(1);
    expect(after.messageId).toBe(`${SLACK_CUSTOMERS}:${fake.history(SLACK_CUSTOMERS)[0]!.ts}`);
    expect(p.requests.filter((r) => r.id?.startsWith('ann|')).map((r) => r.fault)).toEqual(['error503', 'error500After']);
  }, 60_000);

  /** The Teams harness with its fake Graph, the connector behind a proxy: the customers' channel is reached through it. */
  async function teamsBehindProxy(plan: FaultProxyOptions['plan'], jobs: boolean): Promise<{ h: TeamsHarness; p: FaultProxy }> {
    const h = await teamsHarness({ graph: true, jobs, deliveryRetry: { attempts: 2 } });
    cleanups.push(() => h.cleanup());
    const p = await proxy({
      target: h.connector.url,
      seed: 1,
      rates: {},
      plan,
      identify: (r) => (r.method === 'POST' && /\/activities$/.test(r.path) ? teamsKeyIn(r.body) : undefined),
    });
    h.connector.graph.addChannel(TEAMS_TEAM_GROUP, TEAMS_CUSTOMERS);
    // The bot arrives in the customers' team; Teams says to answer through the proxy (serviceUrl).
    expect((await h.post({ ...h.botAdded(), serviceUrl: p.url })).status).toBeLessThan(300);
    return { h, p };
  }

  const teamsPosts = (h: TeamsHarness) =>
    h.connector.delivered('send').filter((s) => teamsKeyIn(JSON.stringify(s.body))?.startsWith('ann|'));

  it('Teams: first post 503, second applied but answered 500, 2 attempts: failed; comms retry finds it in Microsoft Graph and the channel holds one post', async () => {
    const { h, p } = await teamsBehindProxy(announcementFaults('error503', 'error500After'), true);
    const c = coordinator(() => h.app, 'teams', TEAMS_TENANT);

    const batch = await c.decideGo(TEAMS_CUSTOMERS);
    expect((await c.entry(batch)).state).toBe('failed');
    expect(teamsPosts(h)).toHaveLength(1);
    const { status, after } = await statusThenRetry(c, batch);

    expect(status).toMatch(MAY_BE_THERE);
    expect(teamsPosts(h)).toHaveLength(1);
    expect(after.messageId).toBe(teamsPosts(h)[0]!.createdId);
    expect(p.requests.filter((r) => r.id?.startsWith('ann|')).map((r) => r.fault)).toEqual(['error503', 'error500After']);
  }, 60_000);

  it('Slack: the worker is killed while Slack has the post and its answer is on the way; the job stalls too often and fails; comms retry finds the post, the channel holds one', async () => {
    const f = fresh();
    const fake = new FakeSlackApi(BOT_TOKEN);
    await fake.start();
    cleanups.push(() => fake.stop());
    const p = await proxy(slackProxy(fake, announcementFaults('hangAfter')));
    // The web side enqueues; worker processes (each failing a delivery at its first stall) send.
    const { app } = await composeOnTestRedis({}, { fresh: f, role: 'web', adapters: [] });
    cleanups.push(() => app.stop());
    await app.start();
    const env = { LV_PREFIX: f.prefix, SLACK_API_URL: p.via(fake.apiUrl), SLACK_BOT_TOKEN: BOT_TOKEN };
    const first = await workerProcess('slack-worker-process.ts', env);
    const c = coordinator(() => app, 'slack', fake.team.id);

    const batch = await c.decideGo(SLACK_CUSTOMERS);
    await waitFor('the post to hang after Slack applied it', () => p.requests.some((r) => r.fault === 'hangAfter'));
    await kill(first);
    expect(fake.history(SLACK_CUSTOMERS)).toHaveLength(1);
    await workerProcess('slack-worker-process.ts', env);
    const failed = await c.entry(batch, 'failed');
    expect(failed.reason).toMatch(/stalled more than/);
    const { status, after } = await statusThenRetry(c, batch);

    expect(status).toMatch(MAY_BE_THERE);
    expect(fake.history(SLACK_CUSTOMERS)).toHaveLength(1);
    expect(after.messageId).toBe(`${SLACK_CUSTOMERS}:${fake.history(SLACK_CUSTOMERS)[0]!.ts}`);
  }, 90_000);

  it('Teams: the worker is killed while the connector has the post and its answer is on the way; the job stalls too often and fails; comms retry finds the post in Graph, the channel holds one', async () => {
    const { h, p } = await teamsBehindProxy(announcementFaults('hangAfter'), false);
    const env = { LV_PREFIX: h.prefix, TEAMS_GRAPH_URL: h.connector.graph.url };
    const first = await workerProcess('teams-worker-process.ts', env);
    const c = coordinator(() => h.app, 'teams', TEAMS_TENANT);

    const batch = await c.decideGo(TEAMS_CUSTOMERS);
    await waitFor('the post to hang after the connector applied it', () => p.requests.some((r) => r.fault === 'hangAfter'));
    await kill(first);
    expect(teamsPosts(h)).toHaveLength(1);
    await workerProcess('teams-worker-process.ts', env);
    const failed = await c.entry(batch, 'failed');
    expect(failed.reason).toMatch(/stalled more than/);
    const { status, after } = await statusThenRetry(c, batch);

    expect(status).toMatch(MAY_BE_THERE);
    expect(teamsPosts(h)).toHaveLength(1);
    expect(after.messageId).toBe(teamsPosts(h)[0]!.createdId);
  }, 90_000);
});
