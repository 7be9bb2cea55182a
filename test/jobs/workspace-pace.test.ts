import { afterEach, describe, expect, it } from 'vitest';
import { ConversationLimiter, PLATFORM_WIDE_CAPS, PLATFORM_WIDE_LIMITS } from '../../jobs/conversation-limiter.js';
import { JobKeys } from '../../jobs/job-keys.js';
import { freshRedis, type FreshRedis } from '../support/redis.js';

describe('the workspace-wide pace of a broadcast', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c();
  });
  const fresh = (): FreshRedis => {
    const f = freshRedis();
    cleanups.push(() => f.cleanup());
    return f;
  };

  it('spreads an announcement to 300 Slack channels evenly under the workspace limit, each channel still once a second', async () => {
    const f = fresh();
    const limiter = new ConversationLimiter(f.redis, new JobKeys(f.prefix));
    const [{ ms, max }] = PLATFORM_WIDE_LIMITS.slack as [{ ms: number; max: number }];
    const t0 = 1_800_000_000_000;
    const at: number[] = [];
    for (let i = 0; i < 300; i++) {
      const slot = await limiter.reserve('T1', 'slack', `C${i}`, `m${i}`, t0);
      expect(slot).toHaveProperty('inMs');
      at.push(t0 + (slot as { inMs: number }).inMs);
    }
    // Evenly spaced, so no second ever holds more than the workspace's share, and 300 take 299 × ms/max, not
    // a rounded-up step each (at 95 a second, 11 ms instead of 10.5: the broadcast ran at 91 a second).
    for (let i = 1; i < at.length; i++) expect(at[i]! - at[i - 1]!).toBeGreaterThanOrEqual(Math.floor(ms / max));
    for (let i = max; i < at.length; i++) expect(at[i]! - at[i - max]!).toBeGreaterThanOrEqual(ms);
    expect(at.at(-1)! - t0).toBeLessThanOrEqual(Math.ceil((299 * ms) / max) + 1);
    // A channel's send counts when it really starts: then the channel is busy for a second.
    expect(await limiter.admitSend('T1', 'slack', 'C299', 'm299', at[299])).toBe(0);
    expect(await limiter.reserve('T1', 'slack', 'C299', 'again', at[299]! + 400)).toEqual({ wait: 600 });
    expect(await limiter.admitSend('T1', 'slack', 'C299', 'again', at[299]! + 400)).toBe(600);
    // Another workspace has its own pace.
    expect(await limiter.reserve('T2', 'slack', 'C0', 'other', t0)).toEqual({ inMs: 0 });
  });

  it("lets no more than the platform's limit start in any second, however late the workers ran", async () => {
    const f = fresh();
    const limiter = new ConversationLimiter(f.redis, new JobKeys(f.prefix));
    const [{ max }] = PLATFORM_WIDE_CAPS.teams as [{ ms: number; max: number }];
    const t0 = 1_800_000_000_000;
    for (let i = 0; i < max; i++) expect(await limiter.admitSend('T1', 'teams', `19:c${i}`, `m${i}`, t0 + i)).toBe(0);
    expect(await limiter.admitSend('T1', 'teams', '19:late', 'late', t0 + 500)).toBe(500);
    expect(await limiter.admit('T1', 'teams', 'late', t0 + 500)).toBe(500);
    expect(await limiter.admitSend('T1', 'teams', '19:late', 'late', t0 + 1_000)).toBe(0);
  });
});
