import { afterEach, describe, expect, it } from 'vitest';
import type { RedisStore } from '../../src/infra/redis/redis-store.js';
import type { ProjectStore } from '../../src/ports/store.js';
import { CHANNEL, PEOPLE, slackHarness, TEAM } from './harness.js';

/** A store whose chosen methods wait, once armed, until the test releases them; it counts every call. */
class SlowStore {
  calls: string[] = [];
  private gate: Promise<void> | undefined;
  private open: () => void = () => undefined;
  private signal: () => void = () => undefined;
  /** Resolves when a gated method was first entered after arming. */
  reached: Promise<void> = Promise.resolve();

  constructor(private readonly slow: ReadonlySet<string>) {}

  arm(): void {
    this.calls = [];
    this.gate = new Promise((resolve) => (this.open = resolve));
    this.reached = new Promise((resolve) => (this.signal = resolve));
  }

  release(): void {
    this.open();
    this.gate = undefined;
  }

  wrap(store: RedisStore): ProjectStore {
    return new Proxy(store, {
      get: (target, prop, receiver) => {
        const value: unknown = Reflect.get(target, prop, receiver);
        if (typeof value !== 'function' || typeof prop !== 'string') return value;
        return async (...args: unknown[]) => {
          this.calls.push(prop);
          if (this.gate && (this.slow.has(prop) || this.slow.has('*'))) {
            this.signal();
            await this.gate;
          }
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
  }
}

describe('the 3-second rule: the ack comes before any slow work', () => {
  let h: Awaited<ReturnType<typeof slackHarness>>;
  let slow: SlowStore;
  afterEach(async () => {
    slow.release();
    await h.cleanup();
  });

  it('answers a slash command with HTTP 200 at once while the store is still loading', async () => {
    slow = new SlowStore(new Set(['load', 'prefetch']));
    h = await slackHarness({ store: (s) => slow.wrap(s) });
    await h.run('coord', 'project new Demo');
    slow.arm();
    const sent = await h.slash('coord', 'status');
    expect(sent.status).toBe(200);
    expect(sent.ms).toBeLessThan(1500);
    await slow.reached;
    expect(h.fake.calls.filter((c) => c.method === 'response_url')).toHaveLength(0);
    slow.release();
    const [reply] = await h.fake.waitForMethod('response_url');
    expect(JSON.stringify(reply?.body.blocks)).toContain('Status: Demo');
  });

  it('answers a button click with HTTP 200 at once, and updates the message when the store answers', async () => {
    slow = new SlowStore(new Set(['load', 'prefetch']));
    h = await slackHarness({ store: (s) => slow.wrap(s) });
    await h.run('coord', 'project new Demo');
    await h.run('coord', `signoff functional <@${PEOPLE.anna.id}>`);
    const request = h.lastPosted();
    slow.arm();
    const sent = await h.slack.interaction(h.clickPayload('anna', request, 'signoff.approve'));
    expect(sent.status).toBe(200);
    expect(sent.ms).toBeLessThan(1500);
    await slow.reached;
    expect(h.fake.answered('chat.update')).toHaveLength(0);
    slow.release();
    const [update] = await h.fake.waitForMethod('chat.update');
    expect(update?.body).toMatchObject({ channel: CHANNEL, ts: request.ts });
    await h.adapter.idle();
    const trail = await h.store.auditTrail(TEAM, await h.projectId());
    expect(trail.filter((e) => e.action === 'signoff.approve')).toHaveLength(1);
  });

  it("returns a modal's inline error without touching the store at all", async () => {
    slow = new SlowStore(new Set(['*']));
    h = await slackHarness({ store: (s) => slow.wrap(s) });
    await h.run('coord', 'project new Demo');
    await h.run('coord', `signoff functional <@${PEOPLE.anna.id}>`);
    await h.slack.interaction(h.clickPayload('anna', h.lastPosted(), 'signoff.reject'));
    const [opened] = await h.fake.waitForMethod('views.open');
    await h.adapter.idle();
    slow.arm();
    const sent = await h.slack.interaction(h.submitPayload('anna', opened!, { reason: ' ' }));
    expect(sent.status).toBe(200);
    expect(sent.ms).toBeLessThan(1500);
    expect(JSON.parse(sent.text)).toMatchObject({ response_action: 'errors' });
    expect(slow.calls).toEqual([]);
    slow.release();
  });
});
