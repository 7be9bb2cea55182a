import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { WorkingDayCalendar } from '../../src/domain/calendar.js';
import { RedisStore } from '../../src/infra/redis/redis-store.js';
import { systemClock } from '../../src/ports/clock.js';
import type { OutboundMessage } from '../../src/ports/jobs.js';
import { ConversationLimiter, PLATFORM_LIMITS } from '../../jobs/conversation-limiter.js';
import { PermanentDeliveryError, RateLimitedError } from '../../src/ports/errors.js';
import { createQueues, type JobQueues } from '../../jobs/job-queues.js';
import { JobKeys } from '../../jobs/job-keys.js';
import { startWorkers, type RunningWorkers, type WorkerDeps } from '../../jobs/job-workers.js';
import { freshRedis, testRedisClient, type FreshRedis } from '../support/redis.js';
import { composeOnTestRedis } from '../support/composed.js';
import type { ChatPort } from '../../src/ports/chat.js';
import { FakeSlackApi, type ApiCall } from '../slack/fake-slack-api.js';
import { BOT_TOKEN, captureLog, SECRET } from '../slack/harness.js';
import { RecordingChatPort } from './support/recording-chat.js';
import { waitFor } from './support/wait.js';

const calendar = new WorkingDayCalendar();

/** n messages to `conversations` Slack channels, round robin, each with its own key. */
function batchOf(n: number, conversations: number): OutboundMessage[] {
  return Array.from({ length: n }, (_, i) => ({
    key: `announce|go|${i}`,
    target: { tenant: 'T1', platform: 'slack' as const, conversation: `C${String(i % conversations).padStart(3, '0')}` },
    card: { blocks: [{ type: 'text' as const, text: `message ${i}` }] },
    lang: 'en' as const,
  }));
}

describe('the delivery engine', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  function fresh(): FreshRedis {
    const f = freshRedis();
    cleanups.push(() => f.cleanup());
    return f;
  }

  async function workers(f: FreshRedis, deps: Partial<WorkerDeps> & Pick<WorkerDeps, 'chats'>): Promise<RunningWorkers> {
    const w = await startWorkers({
      redis: f.redis,
      prefix: f.prefix,
      store: new RedisStore(f.redis, f.prefix),
      clock: systemClock,
      calendar,
      dailyPlan: false,
      retry: { baseDelayMs: 20 },
      ...deps,
    });
    cleanups.push(() => w.close());
    return w;
  }

  function queues(f: FreshRedis): JobQueues {
    const q = createQueues({ redis: f.redis, prefix: f.prefix });
    cleanups.push(() => q.close());
    return q;
  }

  const allSent = (q: JobQueues, n: number) => async () => {
    const ledger = await q.ledger('T1', 'go');
    return ledger.length === n && ledger.every((e) => e.state === 'sent') ? ledger : undefined;
  };

  /** The real Slack ChatPort, as a composed worker process has it, against a fake Slack Web API on 127.0.0.1. */
  async function slackChat(f: FreshRedis): Promise<{ fake: FakeSlackApi; chat: ChatPort }> {
    const fake = new FakeSlackApi(BOT_TOKEN);
    await fake.start();
    cleanups.push(() => fake.stop());
    // Composed as a worker process composes it (not started: the port only posts).
    const { app } = await composeOnTestRedis(
      { LV_ADAPTERS: 'slack', SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: fake.apiUrl },
      { fresh: f, role: 'worker', log: captureLog() },
    );
    cleanups.push(() => app.stop());
    return { fake, chat: app.chats.get('slack')! };
  }

  /** The idempotency key a post to the fake carried in its message metadata. */
  const keyOf = (c: ApiCall): string => String((c.body.metadata as { event_payload?: { key?: string } } | undefined)?.event_payload?.key);

  it("finds a message the Slack port posted, by its key, in a channel's history or a person's DM, paging back", async () => {
    const f = fresh();
    const { fake, chat } = await slackChat(f);
    const channel = { tenant: 'T1', platform: 'slack' as const, conversation: 'C0FIND' };
    const person = { tenant: 'T1', platform: 'slack' as const, conversation: 'UANNA', user: true };
    const card = { blocks: [{ type: 'text' as const, text: 'hello' }] };
    const sent = await chat.post(channel, card, { lang: 'en', idempotencyKey: 'k-old' });
    for (let i = 0; i < 150; i++) await chat.post(channel, card, { lang: 'en', idempotencyKey: `k-${i}` }); // k-old is on the second page
    const dm = await chat.post(person, card, { lang: 'en', idempotencyKey: 'k-dm' });
    expect(await chat.findSent!(channel, 'k-old')).toEqual(sent);
    expect(await chat.findSent!(channel, 'k-149')).toMatchObject({ messageId: expect.stringMatching(/^C0FIND:/) });
    expect(await chat.findSent!(channel, 'k-never')).toBeUndefined();
    expect(await chat.findSent!(person, 'k-dm')).toEqual(dm);
    expect(await chat.findSent!(person, 'k-old')).toBeUndefined();
    const history = fake.answered('conversations.history');
    expect(history.every((c) => c.body.include_all_metadata === true || c.body.include_all_metadata === 'true')).toBe(true);
    expect(history.some((c) => typeof c.body.cursor === 'string' && c.body.cursor !== '')).toBe(true);
    // A card posted as several pages counts as sent only with its last page there.
    fake.messages.set('C0FIND:9999999999.000001', {
      channel: 'C0FIND',
      ts: '9999999999.000001',
      text: '',
      blocks: [],
      metadata: { event_type: 'lv_delivery', event_payload: { key: 'k-split', page: 1, pages: 2 } },
    });
    expect(await chat.findSent!(channel, 'k-split')).toBeUndefined();
  });

  it('delivers a batch of 200 through the Slack adapter, the fake Slack API answering 429 to every fifth call, exactly once each, at Slack’s pace per channel', async () => {
    const f = fresh();
    const { fake, chat } = await slackChat(f);
    fake.rateLimitEvery('chat.postMessage', 5, 1); // HTTP 429, Retry-After: 1 (seconds)
    await workers(f, { chats: new Map([['slack', chat]]) }); // Slack's real limit: one message a second per channel
    const q = queues(f);
    const messages = batchOf(200, 50);
    await q.send('T1', 'go', messages);
    await q.send('T1', 'go', messages); // enqueueing the same batch again adds nothing
    const ledger = await waitFor('200 sent', allSent(q, 200), 40_000, 50);
    const posts = fake.answered('chat.postMessage');
    expect(posts).toHaveLength(200);
    const perKey = new Map<string, number>();
    for (const p of posts) perKey.set(keyOf(p), (perKey.get(keyOf(p)) ?? 0) + 1);
    expect(perKey).toEqual(new Map(messages.map((m) => [m.key, 1])));
    // What arrived is each message's own text, in its own channel.
    expect(new Set(posts.map((p) => `${String(p.body.channel)} ${String(p.body.text)}`)).size).toBe(200);
    for (const p of posts) {
      const i = Number(keyOf(p).split('|')[2]);
      expect(p.body.channel).toBe(messages[i]!.target.conversation);
      expect(String(p.body.text)).toContain(`message ${i}`);
    }
    const limited = fake.calls.filter((c) => c.method === 'chat.postMessage' && c.status === 429).length;
    expect(limited).toBe(Math.floor((200 + limited) / 5));
    expect(fake.messages.size).toBe(200);
    expect(new Set(ledger.map((e) => e.messageId)).size).toBe(200);
    expect(ledger.every((e) => fake.messages.has(e.messageId!))).toBe(true);
    // Pacing: within one channel, posts are a second apart. The limiter grants slots by Redis time; the fake
    // stamps arrivals by this process's clock after an HTTP round trip, so a loaded machine may bunch two a little.
    const byChannel = new Map<string, number[]>();
    for (const p of posts) byChannel.set(String(p.body.channel), [...(byChannel.get(String(p.body.channel)) ?? []), p.at]);
    expect(byChannel.size).toBe(50);
    for (const times of byChannel.values()) {
      expect(times).toHaveLength(4);
      // Unpaced posts would arrive milliseconds apart; arrival jitter on a busy machine moves single posts by
      // a few hundred milliseconds, so each gap is checked loosely and the span of all four tightly.
      for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(500);
      expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual(3_000 - 300);
    }
  }, 60_000);

  it('records a Slack error that can never succeed (channel_not_found) as failed through the Slack adapter, without retrying', async () => {
    const f = fresh();
    const { fake, chat } = await slackChat(f);
    fake.fail('chat.postMessage', 'channel_not_found');
    const w = await workers(f, { chats: new Map([['slack', chat]]) });
    await w.queues.send('T1', 'go', batchOf(1, 1));
    const [entry] = await waitFor('failed', async () => {
      const l = await w.queues.ledger('T1', 'go');
      return l[0]?.state === 'failed' ? l : undefined;
    });
    expect(entry).toMatchObject({ key: 'announce|go|0', state: 'failed', reason: 'channel_not_found', attempts: 1 });
    expect(fake.calls.filter((c) => c.method === 'chat.postMessage')).toHaveLength(1);
  });

  it('delivers each message exactly once through the Slack adapter and the fake Slack API (429 on every fifth post) when the worker process is killed with SIGKILL halfway and a new one takes over', async () => {
    const f = fresh();
    const fake = new FakeSlackApi(BOT_TOKEN);
    await fake.start();
    cleanups.push(() => fake.stop());
    fake.rateLimitEvery('chat.postMessage', 5, 1);
    // The message exists at Slack 30 ms before the poster hears so: a kill in between is the hard case.
    fake.delay('chat.postMessage', 30);
    const spawnWorker = async (): Promise<ChildProcess> => {
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', fileURLToPath(new URL('./support/slack-worker-process.ts', import.meta.url))],
        {
          env: {
            ...process.env,
            REDIS_URL: inject('redisUrl'),
            LV_PREFIX: f.prefix,
            SLACK_API_URL: fake.apiUrl,
            SLACK_BOT_TOKEN: BOT_TOKEN,
          },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
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
    };
    const q = queues(f);
    const first = await spawnWorker();
    await q.send('T1', 'go', batchOf(200, 50));
    await fake.waitFor((c) => c.method === 'chat.postMessage' && c.status === 200, 100); // half the batch is at Slack
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    const inFlight = (await q.ledger('T1', 'go')).filter((e) => e.state === 'sending').length;
    await spawnWorker();
    const ledger = await waitFor('200 sent after the restart', allSent(q, 200), 60_000, 50);
    const posted = [...fake.messages.values()].map(
      (m) => (m.metadata as { event_payload?: { key?: string } } | undefined)?.event_payload?.key ?? '',
    );
    const counts = new Map<string, number>();
    for (const key of posted) counts.set(key, (counts.get(key) ?? 0) + 1);
    expect(counts.size).toBe(200);
    expect([...counts.entries()].filter(([, n]) => n !== 1)).toEqual([]);
    expect(ledger.every((e) => e.state === 'sent' && e.messageId?.startsWith('C'))).toBe(true);
    expect(fake.calls.filter((c) => c.method === 'chat.postMessage' && c.status === 429).length).toBeGreaterThanOrEqual(40);
    // The kill left messages mid-send; the new worker finished them without posting any twice.
    expect(inFlight + ledger.filter((e) => e.attempts > 1).length).toBeGreaterThan(0);
    // Those left mid-send were looked up in the channel's history (findSent) before anything was posted again.
    if (inFlight > 0) expect(fake.answered('conversations.history').length).toBeGreaterThanOrEqual(inFlight);
  }, 90_000);

  it('finishes the active job when told to stop (SIGTERM), then exits', async () => {
    const f = fresh();
    const ns = `${f.prefix}:fake-slack`;
    const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./support/worker-process.ts', import.meta.url))], {
      env: { ...process.env, REDIS_URL: inject('redisUrl'), LV_PREFIX: f.prefix, FAKE_NS: ns, FAKE_LATENCY_MS: '1500' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    cleanups.push(async () => void (child.exitCode === null && child.kill('SIGKILL')));
    await new Promise<void>((resolve) => child.stdout?.on('data', (d: Buffer) => d.toString().includes('ready') && resolve()));
    const q = queues(f);
    await q.send('T1', 'go', batchOf(1, 1));
    await waitFor('the post to start', async () => (await q.ledger('T1', 'go'))[0]?.state === 'sending');
    const exit = new Promise<number | null>((r) => child.once('exit', r));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
    expect((await q.ledger('T1', 'go'))[0]).toMatchObject({ state: 'sent', messageId: 'ts-1', attempts: 1 });
  }, 30_000);

  it('records a permanent failure with its reason at once, retries a 5xx with backoff, and resends only the failures on request', async () => {
    const f = fresh();
    const slack = new RecordingChatPort('slack', {
      failOnce: new Map<string, Error>([
        ['announce|go|0', new PermanentDeliveryError('channel_not_found')],
        ['announce|go|1', Object.assign(new Error('HTTP 503 from chat.postMessage'), { status: 503 })],
      ]),
    });
    const w = await workers(f, { chats: new Map([['slack', slack]]) });
    const q = w.queues;
    await q.send('T1', 'go', batchOf(3, 3));
    const ledger = await waitFor('all settled', async () => {
      const l = await q.ledger('T1', 'go');
      return l.length === 3 && l.every((e) => e.state === 'sent' || e.state === 'failed') ? l : undefined;
    });
    expect(ledger.map((e) => [e.key, e.state, e.reason ?? '', e.attempts])).toEqual([
      ['announce|go|0', 'failed', 'channel_not_found', 1],
      ['announce|go|1', 'sent', '', 2],
      ['announce|go|2', 'sent', '', 1],
    ]);
    expect(slack.perKey()).toEqual(
      new Map([
        ['announce|go|1', 1],
        ['announce|go|2', 1],
      ]),
    );
    expect(await q.retryFailed('T1', 'go')).toBe(1); // the channel exists again
    await waitFor('the retried one sent', async () => (await q.ledger('T1', 'go')).every((e) => e.state === 'sent'));
    expect(slack.perKey()).toEqual(
      new Map([
        ['announce|go|0', 1],
        ['announce|go|1', 1],
        ['announce|go|2', 1],
      ]),
    );
  });

  it('looks up before posting again only a message an attempt may have posted: not after a 429, nor a refusal retried', async () => {
    const f = fresh();
    const slack = new RecordingChatPort('slack', {
      findSent: true,
      failOnce: new Map<string, Error>([
        ['announce|go|0', new RateLimitedError(20)],
        ['announce|go|1', new PermanentDeliveryError('not_in_channel')],
      ]),
    });
    const looked: string[] = [];
    const port: ChatPort = {
      platform: 'slack',
      post: (...a) => slack.post(...a),
      findSent: async (t, key) => (looked.push(key), slack.findSent!(t, key)),
    };
    const w = await workers(f, { chats: new Map([['slack', port]]) });
    await w.queues.send('T1', 'go', batchOf(2, 2));
    const settled = async () => {
      const l = await w.queues.ledger('T1', 'go');
      return l.length === 2 && l.every((e) => e.state === 'sent' || e.state === 'failed') ? l : undefined;
    };
    expect((await waitFor('settled', settled)).map((e) => [e.state, e.mayBePosted])).toEqual([
      ['sent', true],
      ['failed', false],
    ]);
    expect(await w.queues.retryFailed('T1', 'go')).toBe(1); // invited to the channel meanwhile
    await waitFor('both sent', async () => (await settled())?.every((e) => e.state === 'sent'));
    expect(looked).toEqual([]);
    expect(slack.perKey()).toEqual(
      new Map([
        ['announce|go|0', 1],
        ['announce|go|1', 1],
      ]),
    );
  });

  it('records a message as failed after its last attempt, with the last error', async () => {
    const f = fresh();
    const broken = { platform: 'teams' as const, post: async () => Promise.reject(new Error('ECONNRESET')) };
    const w = await workers(f, { chats: new Map([['teams', broken]]), retry: { attempts: 3, baseDelayMs: 10 } });
    await w.queues.send('T1', 'b', [
      { key: 'k1', target: { tenant: 'T1', platform: 'teams', conversation: '19:abc' }, card: { blocks: [] }, lang: 'en' as const },
    ]);
    const [entry] = await waitFor('failed', async () => {
      const l = await w.queues.ledger('T1', 'b');
      return l[0]?.state === 'failed' ? l : undefined;
    });
    expect(entry).toMatchObject({ key: 'k1', state: 'failed', reason: 'Error: ECONNRESET', attempts: 3 });
    expect(await (await w.queues.deliveries.getJob(JobKeys.deliveryJobId('T1', 'k1')))?.isFailed()).toBe(true);
  });

  it('posts a message again on its last attempt when the look-up for the one sent before keeps failing, rather than losing it', async () => {
    const f = fresh();
    const posted: string[] = [];
    let lookups = 0;
    const port: ChatPort = {
      platform: 'teams',
      post: async (_target, _card, options) => {
        posted.push(options?.idempotencyKey ?? '');
        // The first post reaches the platform, but its answer is lost: the outcome is unknown.
        if (posted.length === 1) throw new Error('socket hang up');
        return { messageId: `m${posted.length}` };
      },
      findSent: async () => {
        lookups++;
        throw new Error('getaddrinfo ENOTFOUND graph.microsoft.com');
      },
    };
    const w = await workers(f, { chats: new Map([['teams', port]]), retry: { attempts: 4, baseDelayMs: 10 } });
    await w.queues.send('T1', 'b', [
      { key: 'k1', target: { tenant: 'T1', platform: 'teams', conversation: '19:abc' }, card: { blocks: [] }, lang: 'en' as const },
    ]);
    const [entry] = await waitFor('sent', async () => {
      const l = await w.queues.ledger('T1', 'b');
      return l[0]?.state === 'sent' || l[0]?.state === 'failed' ? l : undefined;
    });
    expect(entry).toMatchObject({ key: 'k1', state: 'sent', messageId: 'm2' });
    // Attempts 2, 3 and 4 looked, and failed; the 4th and last then posted.
    expect(lookups).toBe(3);
    expect(posted).toEqual(['k1', 'k1']);
  });

  it('paces a Teams conversation at 7 a second, 8 in 2 seconds, 60 in 30 seconds and 1,800 an hour, shared through Redis', async () => {
    const f = fresh();
    const a = new ConversationLimiter(f.redis, new JobKeys(f.prefix));
    const other = testRedisClient(); // another process
    const b = new ConversationLimiter(other, new JobKeys(f.prefix));
    cleanups.push(async () => void (await other.quit()));
    expect(PLATFORM_LIMITS.teams).toEqual([
      { ms: 1_000, max: 7 },
      { ms: 2_000, max: 8 },
      { ms: 30_000, max: 60 },
      { ms: 3_600_000, max: 1_800 },
    ]);
    const t0 = 1_800_000_000_000;
    let n = 0;
    const take = (l: ConversationLimiter, at: number) => l.acquire('T1', 'teams', '19:c', `m${n++}`, at);
    for (let i = 0; i < 7; i++) expect(await take(i % 2 ? a : b, t0)).toBe(0);
    expect(await take(a, t0)).toBe(1_000); // the 8th within the same second waits for the first to leave the 1 s window
    expect(await take(b, t0 + 1_000)).toBe(0); // the 8th, one second later
    expect(await take(a, t0 + 1_000)).toBe(1_000); // a 9th would be the 9th within 2 s
    // 60 in 30 seconds: keep sending as fast as allowed and see the 61st wait for the window.
    let now = t0 + 2_000;
    let sent = 8;
    while (sent < 60) {
      const wait = await take(a, now);
      if (wait === 0) sent++;
      else now += wait;
    }
    expect(now - t0).toBeLessThan(30_000);
    expect(await take(b, now)).toBe(t0 + 30_000 - now);
    // A 429 holds the conversation back for its Retry-After, for every process.
    await a.block('T1', 'teams', '19:c', 5_000, 'conversation', t0 + 40_000);
    expect(await take(b, t0 + 41_000)).toBe(4_000);
    // Slack: one a second per channel; another channel is not held back.
    expect(await a.acquire('T1', 'slack', 'C1', 'x1', t0)).toBe(0);
    expect(await b.acquire('T1', 'slack', 'C1', 'x2', t0 + 500)).toBe(500);
    expect(await b.acquire('T1', 'slack', 'C2', 'x3', t0 + 500)).toBe(0);
  });
});
