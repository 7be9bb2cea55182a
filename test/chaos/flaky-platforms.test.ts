import { afterEach, describe, expect, it } from 'vitest';
import type { Deliveries, LedgerEntry } from '../../src/ports/jobs.js';
import { FakeSlackApi } from '../slack/fake-slack-api.js';
import { BOT_TOKEN, captureLog, SECRET } from '../slack/harness.js';
import { teamsHarness } from '../teams/teams-harness.js';
import { waitFor } from '../jobs/support/wait.js';
import { composeOnTestRedis } from '../support/composed.js';
import { freshRedis, type FreshRedis } from '../support/redis.js';
import { FaultProxy, type Fault } from '../support/fault-proxy.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});

function fresh(): FreshRedis {
  const f = freshRedis();
  cleanups.push(() => f.cleanup());
  return f;
}

async function proxy(o: ConstructorParameters<typeof FaultProxy>[0]): Promise<FaultProxy> {
  const p = new FaultProxy(o);
  await p.start();
  cleanups.push(() => p.stop());
  return p;
}

/** Waits until every message of the batch is sent (or one failed for good, which the test then reports). */
async function settled(w: { queues: Deliveries }, batch: string, n: number): Promise<LedgerEntry[]> {
  return waitFor(
    `batch ${batch} settled`,
    async () => {
      const ledger = await w.queues.ledger('T1', batch);
      return ledger.length === n && ledger.every((e) => e.state === 'sent' || e.state === 'failed') ? ledger : undefined;
    },
    150_000,
    50,
  );
}

const count = (keys: string[]) => keys.reduce((m, k) => m.set(k, (m.get(k) ?? 0) + 1), new Map<string, number>());
const everyFault: Fault[] = ['error500', 'rate429', 'hangBefore', 'dropAfter', 'hangAfter'];

describe('deliveries through flaky platform APIs (a seeded fault proxy in front of the fakes)', () => {
  it('Slack: with random 500s, 429s, timeouts before and after Slack applied the post, each of 80 messages arrives exactly once', async () => {
    const f = fresh();
    const fake = new FakeSlackApi(BOT_TOKEN);
    await fake.start();
    cleanups.push(() => fake.stop());
    const keyIn = (body: string): string | undefined => {
      const meta = new URLSearchParams(body).get('metadata');
      return meta ? (JSON.parse(meta) as { event_payload?: { key?: string } }).event_payload?.key : undefined;
    };
    const p = await proxy({
      target: fake.apiUrl,
      seed: 7,
      rates: { error500: 0.1, rate429: 0.1, hangBefore: 0.07, dropAfter: 0.08, hangAfter: 0.08 },
      faultable: (r) => /chat\.postMessage|conversations\.history/.test(r.path),
      // A post is named by its key; a history read (findSent) by its channel, so its faults are capped too.
      identify: (r) => (r.path.includes('chat.postMessage') ? keyIn(r.body) : `history ${new URLSearchParams(r.body).get('channel')}`),
      maxFaultsPerId: 3,
      errorBody: (status) => ({
        contentType: 'application/json',
        body: JSON.stringify({ ok: false, error: status === 429 ? 'ratelimited' : 'internal_error' }),
      }),
    });
    // lv-bot composed for Slack, its Web API calls through the proxy; generous attempts, short backoff.
    const { app: w } = await composeOnTestRedis(
      { LV_ADAPTERS: 'slack', SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: p.via(fake.apiUrl) },
      { fresh: f, log: captureLog(), tune: { queues: { retry: { attempts: 10, baseDelayMs: 20 } }, slack: { deliveryTimeoutMs: 1_000 } } },
    );
    cleanups.push(() => w.stop());
    await w.start();

    const n = 80;
    await w.queues.send(
      'T1',
      'go',
      Array.from({ length: n }, (_, i) => ({
        key: `go|${i}`,
        target: { tenant: 'T1', platform: 'slack' as const, conversation: `C${String(i % 40).padStart(3, '0')}` },
        card: { blocks: [{ type: 'text' as const, text: `announcement ${i}` }] },
        lang: 'en' as const,
      })),
    );
    const ledger = await settled(w, 'go', n);

    expect(ledger.filter((e) => e.state !== 'sent')).toEqual([]);
    const arrived = count(
      [...fake.messages.values()].map((m) => String((m.metadata as { event_payload?: { key?: string } } | undefined)?.event_payload?.key)),
    );
    expect(arrived.size).toBe(n);
    expect([...arrived.entries()].filter(([, c]) => c !== 1)).toEqual([]);
    // The ledger names the message that arrived, also when the post's answer was lost (found by its metadata).
    expect(ledger.every((e) => fake.messages.has(e.messageId!))).toBe(true);
    const tally = p.tally();
    for (const fault of everyFault) expect(tally[fault], fault).toBeGreaterThan(0);
    expect(p.appliedButFailed().size).toBeGreaterThan(0);
  }, 180_000);

  /**
   * A Teams adapter whose conversation reference points at the proxy, and workers that send through it.
   * Its findSent reads the fake Microsoft Graph through the same proxy, whose reads meet faults too (three
   * at most, so every delivery ends within its attempts).
   */
  async function teamsThroughProxy(rates: FaultProxyRates, seed: number) {
    const h = await teamsHarness({
      retry: { timeoutMs: 2_000 },
      limits: [{ ms: 1_000, max: 1_000 }],
      graph: { timeoutMs: 2_000 },
      jobs: true,
      deliveryRetry: { attempts: 10 },
      workers: { limits: { teams: [{ ms: 1_000, max: 1_000 }] } },
    });
    cleanups.push(() => h.cleanup());
    const p = await proxy({
      target: h.connector.url,
      seed,
      rates,
      faultable: (r) => (r.method === 'POST' && /\/activities$/.test(r.path)) || (r.method === 'GET' && r.path.startsWith('/graph/')),
      identify: (r) => (r.method === 'GET' ? 'graph' : /msg-\d+/.exec(r.body)?.[0]),
      maxFaultsPerId: 3,
    });
    await h.useGraphUrl(p.via(h.connector.graph.url));
    h.connector.graph.addChannel(TEAMS_TEAM_GROUP, TEAMS_TARGET.conversation);
    // Teams tells the bot where to answer in each activity (serviceUrl): here, the proxy.
    expect((await h.post({ ...h.botAdded(), serviceUrl: p.url })).status).toBeLessThan(300);
    const w = h.app;
    const n = 60;
    await w.queues.send(
      'T1',
      'go',
      Array.from({ length: n }, (_, i) => ({
        key: `go|${i}`,
        target: { ...TEAMS_TARGET },
        card: { blocks: [{ type: 'text' as const, text: `msg-${i}` }] },
        lang: 'en' as const,
      })),
    );
    const ledger = await settled(w, 'go', n);
    // The messages of the batch (the bot's welcome, sent when it was added, is none of them).
    const arrived = count(h.connector.delivered('send').flatMap((c) => /msg-\d+/.exec(JSON.stringify(c.body))?.[0] ?? []));
    return { h, p, ledger, arrived, n };
  }

  it('Teams: with random 500s, 429s and timeouts before the connector applied the post, each of 60 messages arrives exactly once', async () => {
    const { p, ledger, arrived, n } = await teamsThroughProxy({ error500: 0.12, rate429: 0.12, hangBefore: 0.1 }, 11);
    expect(ledger.filter((e) => e.state !== 'sent')).toEqual([]);
    expect(arrived.size).toBe(n);
    expect([...arrived.entries()].filter(([, c]) => c !== 1)).toEqual([]);
    const tally = p.tally();
    for (const fault of ['error500', 'rate429', 'hangBefore'] as const) expect(tally[fault], fault).toBeGreaterThan(0);
  }, 180_000);

  it('Teams: when the connector applied a post but its answer was lost (dropped or timed out), findSent finds it in Microsoft Graph: each of 60 messages still arrives exactly once', async () => {
    const { h, p, ledger, arrived, n } = await teamsThroughProxy(
      { error500: 0.08, rate429: 0.08, hangBefore: 0.06, dropAfter: 0.08, hangAfter: 0.08 },
      13,
    );
    expect(ledger.filter((e) => e.state !== 'sent')).toEqual([]);
    expect(arrived.size).toBe(n);
    expect([...arrived.entries()].filter(([, c]) => c !== 1)).toEqual([]);
    // The ledger names the message that arrived, also when the post's answer was lost (found by its card's key).
    const created = new Set(h.connector.delivered('send').map((c) => c.createdId));
    expect(ledger.every((e) => created.has(e.messageId))).toBe(true);
    const tally = p.tally();
    for (const fault of everyFault) expect(tally[fault], fault).toBeGreaterThan(0);
    expect(p.appliedButFailed().size).toBeGreaterThan(0);
    // Graph was asked after each interrupted post, and some of those reads failed too.
    const reads = p.requests.filter((r) => r.id === 'graph');
    expect(reads.length).toBeGreaterThanOrEqual(
      p.requests.filter((r) => r.id !== 'graph' && r.fault !== 'pass' && r.fault !== 'rate429').length,
    );
    expect(reads.some((r) => r.fault !== 'pass')).toBe(true);
  }, 180_000);

  it('Teams: a post the connector refuses for good (404, or a conversation the bot was never added to) is recorded as failed at once, not retried', async () => {
    const h = await teamsHarness({ jobs: true, deliveryRetry: { attempts: 10 } });
    cleanups.push(() => h.cleanup());
    await h.post(h.botAdded());
    await h.connector.waitFor((c) => c.kind === 'send');
    h.connector.forget('send'); // the welcome
    h.connector.fail({ status: 404, match: (c) => c.kind === 'send' });
    const w = h.app;
    await w.queues.send('T1', 'go', [
      { key: 'go|gone', target: { ...TEAMS_TARGET }, card: { blocks: [{ type: 'text', text: 'gone' }] }, lang: 'en' as const },
      {
        key: 'go|never',
        target: { ...TEAMS_TARGET, conversation: '19:never-added@thread.tacv2' },
        card: { blocks: [{ type: 'text', text: 'never' }] },
        lang: 'en' as const,
      },
    ]);
    const ledger = await settled(w, 'go', 2);
    expect(ledger.map((e) => [e.key, e.state, e.attempts])).toEqual([
      ['go|gone', 'failed', 1],
      ['go|never', 'failed', 1],
    ]);
    expect(ledger[0]!.reason).toMatch(/404/);
    expect(ledger[1]!.reason).toMatch(/no conversation reference/);
    expect(h.connector.calls.filter((c) => c.kind === 'send')).toHaveLength(1);
  }, 30_000);
});

type FaultProxyRates = ConstructorParameters<typeof FaultProxy>[0]['rates'];
/** The channel of the "bot added to a team" fixture, and the Microsoft 365 group of its team. */
const TEAMS_TEAM_GROUP = 'f3ec8cd2-e704-4344-8c47-9a3a21d683c0';
const TEAMS_TARGET = {
  tenant: 'b28fdbfd-2b78-4f93-b0f8-8881793f0f8f',
  platform: 'teams' as const,
  conversation: '19:0b7f32667e064dd9b25d7969801541f4@thread.tacv2',
};
