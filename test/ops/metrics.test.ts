import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../jobs/support/wait.js';
import { slackHarness } from '../slack/harness.js';

type Harness = Awaited<ReturnType<typeof slackHarness>>;

/** The value of one Prometheus sample in an exposition, or undefined when the series is absent. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const body = line.slice(name.length + 1, line.indexOf('}'));
    const have = Object.fromEntries([...body.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(line.slice(line.indexOf('}') + 1));
  }
  return undefined;
}

describe('GET /metrics: the operator’s view in Prometheus format', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.cleanup();
    h = undefined;
  });

  it('counts commands and clicks per platform and tenant, times the acks, and shows the queues', async () => {
    h = await slackHarness();
    const base = h.slack.url.replace('/slack/events', '');
    await h.run('coord', 'project new Demo');
    await h.run('coord', 'status');
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(sample(text, 'lv_inbound_total', { platform: 'slack', kind: 'command', tenant: 'T111' })).toBe(2);
    expect(sample(text, 'lv_http_request_duration_seconds_count', { route: 'slack', status: '200' })).toBe(2);
    // A re-plan was queued by the new project: the planner queue shows it (waiting or active).
    expect(text).toMatch(/lv_queue_jobs\{queue="planner",state="waiting"\} \d+/);
    expect(text).toMatch(/lv_queue_oldest_waiting_seconds\{queue="deliveries"\} [\d.]+/);
    expect(text).toContain('process_cpu_user_seconds_total');
    // Nothing a person typed is in it.
    expect(text).not.toContain('Demo');
  });

  it('with LV_METRICS_TOKEN, answers only a scraper that sends it', async () => {
    const token = 'metrics-token-0123456789';
    h = await slackHarness({ env: { LV_METRICS_TOKEN: token } });
    const url = h.slack.url.replace('/slack/events', '/metrics');
    expect((await fetch(url)).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: 'Bearer wrong-token-0123456789' } })).status).toBe(401);
    expect((await fetch(url, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
  });

  it('without a token, refuses a request a proxy relays', async () => {
    h = await slackHarness();
    const url = h.slack.url.replace('/slack/events', '/metrics');
    expect((await fetch(url, { headers: { 'x-forwarded-for': '203.0.113.9' } })).status).toBe(403);
  });

  it('counts deliveries by platform, tenant and outcome, in the worker that sent them', async () => {
    h = await slackHarness({ jobs: true });
    const base = h.slack.url.replace('/slack/events', '');
    h.fake.rateLimit('chat.postMessage', 1, 0);
    h.fake.fail('chat.postMessage', 'channel_not_found', 1);
    const message = (i: number) => ({
      key: `m${i}`,
      target: { tenant: 'T111', platform: 'slack' as const, conversation: `C${i}` },
      card: { blocks: [{ type: 'text' as const, text: 'x' }] },
      lang: 'en' as const,
    });
    await h.queues!.send('T111', 'b', [0, 1, 2].map(message));
    await waitFor(
      'the batch',
      async () => {
        const l = await h!.queues!.ledger('T111', 'b');
        return l.length === 3 && l.every((e) => e.state === 'sent' || e.state === 'failed') ? l : undefined;
      },
      15_000,
      20,
    );
    const text = await (await fetch(`${base}/metrics`)).text();
    expect(sample(text, 'lv_deliveries_total', { platform: 'slack', outcome: 'sent', tenant: 'T111' })).toBe(2);
    expect(sample(text, 'lv_deliveries_total', { platform: 'slack', outcome: 'failed', tenant: 'T111' })).toBe(1);
    expect(sample(text, 'lv_deliveries_total', { platform: 'slack', outcome: 'rate_limited', tenant: 'T111' })).toBe(1);
  });
});
