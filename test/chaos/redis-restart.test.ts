import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { compose, type ComposeOptions, type Composed } from '../../app/compose.js';
import { loadConfig } from '../../src/config.js';
import { connectRedis, type RedisHandle } from '../../src/infra/redis/connect.js';
import { EmbeddedRedis } from '../../src/infra/redis/embedded-redis.js';
import type { ChatPort, ChatTarget, PostOptions } from '../../src/ports/chat.js';
import type { Card } from '../../messages/card.js';
import { catalog } from '../../messages/i18n.js';
import { FakeConnector } from '../teams/fake-connector.js';
import { fixture } from '../teams/teams-harness.js';
import { TestClock, textOf } from '../support/bot-harness.js';
import { adapterFor, RecordingChatPort } from '../jobs/support/recording-chat.js';
import { waitFor } from '../jobs/support/wait.js';

/** A console chat that takes a few milliseconds per post, so a batch is still being sent when Redis dies. */
function slowChat(inner: RecordingChatPort): ChatPort {
  return {
    platform: inner.platform,
    post: async (target: ChatTarget, card: Card, options: PostOptions) => {
      await new Promise((r) => setTimeout(r, 5));
      return inner.post(target, card, options);
    },
    findSent: (target, key) => inner.findSent!(target, key),
  };
}

/**
 * lv-bot composed as `npm start` composes it, on the test's own Redis connection (made with the bot's
 * connection options by connectRedis, so the outage is met as in production), started.
 */
async function composeOn(
  handle: RedisHandle,
  prefix: string,
  env: Record<string, string>,
  options: Omit<ComposeOptions, 'redis'>,
): Promise<Composed & { port?: number }> {
  const config = loadConfig({ LV_REDIS_PREFIX: prefix, LV_DAILY_PLAN: 'off', HOST: '127.0.0.1', PORT: '0', NODE_ENV: 'test', ...env });
  const app = await compose(config, { ...options, redis: handle.redis });
  cleanups.push(() => app.stop());
  const { port } = await app.start();
  return Object.assign(app, { port });
}

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});

/** A Redis of the test's own, with the bot's persistence, that the test can kill (SIGKILL) and start again on its port. */
async function killableRedis(name: string): Promise<{ dir: string; url: string; kill(): Promise<void>; restart(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), `lv-chaos-${name}-`));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  let server = new EmbeddedRedis({ dataDir: dir, persistence: 'aof' });
  const { url, port } = await server.start();
  cleanups.push(() => server.stop());
  return {
    dir,
    url,
    kill: () => server.kill(),
    async restart() {
      server = new EmbeddedRedis({ dataDir: dir, persistence: 'aof', port });
      await server.start();
    },
  };
}

describe('Redis killed (SIGKILL) and restarted on the same port during traffic', () => {
  it('answers "temporarily unavailable" in each person\'s language while Redis is down, recovers without a restart of the bot, keeps every confirmed change and delivers every message once', async () => {
    const redisServer = await killableRedis('redis');
    const { dir, url } = redisServer;
    // The bot's own connection, with the options the bot runs with (src/infra/redis/connect.ts).
    const logged: string[] = [];
    const log = {
      warn: (_o: object, msg?: string) => void logged.push(`warn ${msg}`),
      info: (_o: object, msg?: string) => void logged.push(`info ${msg}`),
    };
    const handle: RedisHandle = await connectRedis(url, dir, log);
    cleanups.push(() => handle.close());
    const prefix = `chaos${randomUUID().slice(0, 8)}`;
    const clock = new TestClock(new Date('2026-11-23T10:00:00Z'));
    const chat = new RecordingChatPort('console', { findSent: true });
    const app = await composeOn(
      handle,
      prefix,
      {},
      {
        clock,
        adapters: [adapterFor(slowChat(chat))],
        tune: { queues: { retry: { baseDelayMs: 50, attempts: 20 } }, workers: { lockDurationMs: 2_000, stalledIntervalMs: 1_000 } },
      },
    );
    const { bot, store } = app;
    const running = app.workers!;
    const say = async (user: string, text: string, locale?: string) =>
      textOf(
        await bot.handle({
          actor: { tenant: 'T1', userId: user, name: user, platform: 'console', ...(locale ? { locale } : {}) },
          channel: { platform: 'console', id: 'C1' },
          input: { kind: 'text', text },
        }),
      );

    const en = catalog('en');
    expect(await say('anna', 'project new Chaos')).not.toContain(en.common.unavailable);
    const projectId = await store.projectIdFor('T1', { platform: 'console', id: 'C1' });
    expect(projectId).toBeTruthy();
    expect(await say('anna', 'note review first')).toContain(en.task.noted({ task: 'process.review' }).slice(0, 10));

    const batch = (name: string, n: number) =>
      running.queues.send(
        'T1',
        name,
        Array.from({ length: n }, (_, i) => ({
          key: `${name}|${i}`,
          target: { tenant: 'T1', platform: 'console' as const, conversation: `C${i % 8}` },
          card: { blocks: [] },
          lang: 'en' as const,
        })),
      );

    // Three coordinators' sessions keep adding notes, one after another, until told to stop.
    type Said = { writer: number; note: string; reply: string; afterRestart: boolean };
    const said: Said[] = [];
    let stop = false;
    let restarted = false;
    const writers = [0, 1, 2].map(async (w) => {
      for (let i = 0; !stop; i++) {
        const note = `w${w}-n${i}`;
        const afterRestart = restarted;
        said.push({ writer: w, note, reply: await say('anna', `note review ${note}`), afterRestart });
      }
    });
    const confirmed = (s: Said) => s.reply.startsWith(en.task.noted({ task: 'process.review' }).slice(0, 10));
    const unavailable = (s: Said) => s.reply.includes(en.common.unavailable);
    try {
      await waitFor('traffic before the crash', () => said.filter(confirmed).length >= 30, 20_000, 5);
      await batch('before', 300);
      await waitFor('the batch to be under way', () => chat.posts.length >= 10, 20_000, 1);
      await redisServer.kill(); // a crash: no shutdown, no final flush
      expect(chat.posts.length).toBeLessThan(300); // the crash cut the batch

      // While it is down: an answer, promptly, in the person's language, and no session hangs.
      expect(await say('matti', 'status', 'fi-FI')).toBe(catalog('fi').common.unavailable);
      expect(await say('greta', 'tasks', 'sv-FI')).toBe(catalog('sv').common.unavailable);
      expect(await say('anna', 'note review during')).toBe(en.common.unavailable);
      await waitFor(
        'every session to hear that the bot is unavailable',
        () => [0, 1, 2].every((w) => said.some((s) => s.writer === w && unavailable(s))),
        15_000,
        5,
      );

      // Restart on the same port and data directory; the bot and its workers are left alone.
      await redisServer.restart();
      restarted = true;
      await waitFor(
        'every session to be served again',
        () => [0, 1, 2].every((w) => said.filter((s) => s.writer === w && s.afterRestart && confirmed(s)).length >= 5),
        20_000,
        5,
      );
    } finally {
      stop = true;
      await Promise.all(writers);
    }

    // Operators read one line when Redis went away and one when it came back, not one per reconnect attempt.
    expect(logged).toEqual([expect.stringMatching(/^warn redis unreachable/), 'info redis reachable again']);
    // Nothing but "noted" or "unavailable" was ever answered: no internal error, no wrong language.
    expect(said.filter((s) => !confirmed(s) && !unavailable(s))).toEqual([]);
    expect(said.filter(unavailable).length).toBeGreaterThan(0);
    // Every note a person was told was added is there after the crash: in the audit trail (a task keeps only its newest notes).
    const noted = new Set(
      (await store.auditTrail('T1', projectId!)).filter((e) => e.action === 'task.note').map((e) => (e.after as { text: string }).text),
    );
    const lost = said.filter(confirmed).filter((s) => !noted.has(s.note));
    expect(lost).toEqual([]);
    expect(noted.has('during')).toBe(false);

    // The workers came back by themselves: the batch cut by the crash and a new one arrive, each message once.
    await batch('after', 20);
    await waitFor(
      'both batches delivered',
      async () => {
        const [a, b] = await Promise.all([running.queues.ledger('T1', 'before'), running.queues.ledger('T1', 'after')]);
        return [...a, ...b].every((e) => e.state === 'sent') && a.length === 300 && b.length === 20;
      },
      30_000,
      50,
    );
    const perKey = chat.perKey();
    expect(perKey.size).toBe(320);
    expect([...perKey.values()].every((n) => n === 1)).toBe(true);
  }, 90_000);

  it('a Teams user who writes while Redis is down gets the answer in Finnish from the real adapter, and the next message after the restart is served', async () => {
    const redisServer = await killableRedis('teams');
    const { dir, url } = redisServer;
    const handle = await connectRedis(url, dir);
    cleanups.push(() => handle.close());
    const prefix = `chaos${randomUUID().slice(0, 8)}`;
    const connector = new FakeConnector();
    const serviceUrl = await connector.start();
    cleanups.push(() => connector.stop());
    const app = await composeOn(
      handle,
      prefix,
      { LV_ADAPTERS: 'teams' },
      { role: 'web', clock: new TestClock(new Date('2026-11-23T10:00:00Z')) },
    );
    const teamsPort = app.port!;
    const write = async (text: string) => {
      const a = fixture('teams-message-personal.json');
      a.id = randomUUID();
      a.serviceUrl = serviceUrl;
      a.text = text;
      a.locale = 'fi-FI';
      a.entities[0].locale = 'fi-FI';
      const before = connector.delivered().length;
      const res = await fetch(`http://127.0.0.1:${teamsPort}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(a),
      });
      expect(res.status).toBeLessThan(500);
      await waitFor('the reply', () => connector.delivered().length > before, 15_000, 5);
      return JSON.stringify(
        connector
          .delivered()
          .slice(before)
          .map((c) => c.body),
      );
    };
    const fi = catalog('fi');
    expect(await write('help')).not.toContain(fi.common.unavailable);

    await redisServer.kill();
    expect(await write('status')).toContain(fi.common.unavailable);

    await redisServer.restart();
    await waitFor('Redis to be reachable again', async () => (await handle.redis.ping().catch(() => '')) === 'PONG', 15_000, 20);
    const after = await write('project new Palautuu');
    expect(after).not.toContain(fi.common.unavailable);
    expect(after).not.toContain(fi.common.unknownError);
  }, 60_000);

  it('a message the platform took just as Redis died is recorded once Redis is back, not posted again, on a platform where it cannot be looked up (Teams)', async () => {
    const redisServer = await killableRedis('ledger');
    const { dir, url } = redisServer;
    const handle = await connectRedis(url, dir);
    cleanups.push(() => handle.close());
    const prefix = `chaos${randomUUID().slice(0, 8)}`;
    const warned: string[] = [];
    const log = {
      info: () => undefined,
      error: (_o: object, msg?: string) => void warned.push(msg ?? ''),
      warn: (_o: object, msg?: string) => void warned.push(msg ?? ''),
    };
    // A Teams-like port (no findSent) whose post is held open until the test lets the platform answer.
    const posts: string[] = [];
    let answer!: () => void;
    const answered = new Promise<void>((r) => (answer = r));
    let posting!: () => void;
    const inPost = new Promise<void>((r) => (posting = r));
    const teams: ChatPort = {
      platform: 'teams',
      async post(_target, _card, options) {
        posts.push(options?.idempotencyKey ?? '');
        posting();
        await answered;
        return { messageId: `act-${posts.length}` };
      },
    };
    const app = await composeOn(
      handle,
      prefix,
      {},
      {
        clock: new TestClock(new Date()),
        log,
        adapters: [adapterFor(teams)],
        tune: { workers: { lockDurationMs: 5_000, stalledIntervalMs: 1_000 } },
      },
    );
    const running = app.workers!;
    await running.queues.send('T1', 'go', [
      {
        key: 'go|1',
        target: { tenant: 'T1', platform: 'teams', conversation: '19:c@thread.tacv2' },
        card: { blocks: [] },
        lang: 'en' as const,
      },
    ]);

    await inPost;
    await redisServer.kill();
    answer(); // Teams took the message; Redis is gone when the worker goes to record it
    await waitFor('the worker to meet the outage', () => warned.length > 0, 15_000, 5);
    await redisServer.restart();

    await waitFor(
      'the delivery to complete',
      async () => (await running.queues.deliveries.getJobCounts('completed')).completed === 1,
      20_000,
      20,
    );
    const [entry] = await running.queues.ledger('T1', 'go');
    expect(entry).toMatchObject({ state: 'sent', messageId: 'act-1' });
    expect(posts).toEqual(['go|1']);
  }, 60_000);
});
