import { describe, expect, it } from 'vitest';
import {
  backoff,
  conversationOf,
  parseRetryAfter,
  SlidingWindowLimiter,
  TEAMS_CONVERSATION_LIMITS,
} from '../../adapters/teams/send-governor.js';
import { fixture } from './teams-harness.js';

/** A clock that only moves when the limiter sleeps, so windows can be checked exactly. */
function virtualTime() {
  let now = 1_000_000;
  const slept: number[] = [];
  return {
    now: () => now,
    sleep: async (ms: number) => {
      slept.push(ms);
      now += ms;
    },
    advance: (ms: number) => {
      now += ms;
    },
    slept,
    get t() {
      return now;
    },
  };
}

describe('Teams per-conversation limits', () => {
  it('are the documented ones: 7 a second, 8 in 2 seconds, 60 in 30 seconds, 1,800 an hour', () => {
    const documented = fixture('rate-limits.json').per_bot_per_thread.filter((r: any) => r.scenario === 'Send to conversation');
    expect(TEAMS_CONVERSATION_LIMITS.map((w) => ({ seconds: w.ms / 1000, max_operations: w.max }))).toEqual(
      documented.map((r: any) => ({ seconds: r.seconds, max_operations: r.max_operations })),
    );
  });

  it('lets 7 through at once, holds the 8th a second and the 9th two seconds', async () => {
    const clock = virtualTime();
    const limiter = new SlidingWindowLimiter(TEAMS_CONVERSATION_LIMITS, clock.now, clock.sleep);
    const start = clock.t;
    const at: number[] = [];
    for (let i = 0; i < 9; i++) {
      (await limiter.acquire('conv'))();
      at.push(clock.t - start);
    }
    expect(at).toEqual([0, 0, 0, 0, 0, 0, 0, 1000, 2000]);
  });

  it('never lets more than the windows allow in any stretch of time over a long run', async () => {
    const clock = virtualTime();
    const limiter = new SlidingWindowLimiter(TEAMS_CONVERSATION_LIMITS, clock.now, clock.sleep);
    const at: number[] = [];
    for (let i = 0; i < 200; i++) {
      (await limiter.acquire('conv'))();
      at.push(clock.t);
      if (i % 17 === 0) clock.advance(123);
    }
    for (const w of TEAMS_CONVERSATION_LIMITS) {
      for (let i = 0; i < at.length; i++) {
        const inWindow = at.filter((t) => t >= at[i]! && t < at[i]! + w.ms).length;
        expect(inWindow).toBeLessThanOrEqual(w.max);
      }
    }
    // 60 in 30 seconds: the 61st waits for the first to leave the 30-second window.
    expect(at[60]! - at[0]!).toBeGreaterThanOrEqual(30_000);
  });

  it('keeps conversations apart', async () => {
    const clock = virtualTime();
    const limiter = new SlidingWindowLimiter(TEAMS_CONVERSATION_LIMITS, clock.now, clock.sleep);
    for (let i = 0; i < 7; i++) (await limiter.acquire('a'))();
    for (let i = 0; i < 7; i++) (await limiter.acquire('b'))();
    expect(clock.slept).toEqual([]);
    expect(limiter.delayFor('a')).toBe(1000);
    expect(limiter.delayFor('c')).toBe(0);
  });

  it('counts a slot from when its request was answered', async () => {
    const clock = virtualTime();
    const limiter = new SlidingWindowLimiter([{ ms: 1000, max: 1 }], clock.now, clock.sleep);
    const answered = await limiter.acquire('conv');
    clock.advance(300); // the request took 300 ms
    answered();
    expect(limiter.delayFor('conv')).toBe(1000);
  });

  it('serves concurrent callers of one conversation in order', async () => {
    const clock = virtualTime();
    const limiter = new SlidingWindowLimiter([{ ms: 1000, max: 2 }], clock.now, clock.sleep);
    const order: number[] = [];
    await Promise.all(Array.from({ length: 5 }, (_, i) => limiter.acquire('conv').then((done) => (done(), order.push(i)))));
    expect(order).toEqual([0, 1, 2, 3, 4]);
  });
});

describe('retry timing', () => {
  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-11-23T10:00:00Z');
    expect(parseRetryAfter('2', now)).toBe(2000);
    expect(parseRetryAfter('0.5', now)).toBe(500);
    expect(parseRetryAfter('Mon, 23 Nov 2026 10:00:03 GMT', now)).toBe(3000);
    expect(parseRetryAfter('Mon, 23 Nov 2026 09:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it('backs off exponentially with jitter, capped', () => {
    const opts = { baseDelayMs: 500, maxDelayMs: 30_000 };
    expect([1, 2, 3, 4].map((n) => backoff(n, opts, () => 0))).toEqual([250, 500, 1000, 2000]);
    expect([1, 2, 3, 4].map((n) => backoff(n, opts, () => 1))).toEqual([500, 1000, 2000, 4000]);
    expect(backoff(20, opts, () => 1)).toBe(30_000);
  });

  it('limits the writes to a conversation, not the reads', () => {
    const base = 'https://smba.trafficmanager.net/emea/';
    expect(conversationOf('POST', `${base}v3/conversations/19%3Aabc%40thread.tacv2/activities`)).toBe('19:abc@thread.tacv2');
    expect(conversationOf('POST', `${base}v3/conversations/19%3Aabc%40thread.tacv2%3Bmessageid%3D1/activities/1`)).toBe(
      '19:abc@thread.tacv2;messageid=1',
    );
    expect(conversationOf('PUT', `${base}v3/conversations/a%3A1/activities/2`)).toBe('a:1');
    expect(conversationOf('POST', `${base}v3/conversations`)).toBe('(create conversation)');
    expect(conversationOf('GET', `${base}v3/conversations/a%3A1/members/29%3Ax`)).toBeUndefined();
  });
});
