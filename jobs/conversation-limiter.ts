import type { Cluster, Redis } from 'ioredis';
import type { Platform } from '../src/domain/types.js';
import type { RateLimitScope } from './delivery-errors.js';
import type { JobKeys } from './job-keys.js';

/** At most `max` sends in any `ms` milliseconds. */
export interface RateWindow {
  ms: number;
  max: number;
}

/**
 * Each platform's documented pace per conversation. Slack: chat.postMessage about one message a second
 * per channel. Teams (per bot per conversation): 7 a second, 8 in 2 seconds, 60 in 30 seconds, 1,800 an hour.
 */
export const PLATFORM_LIMITS: Readonly<Record<Platform, readonly RateWindow[]>> = {
  slack: [{ ms: 1_000, max: 1 }],
  teams: [
    { ms: 1_000, max: 7 },
    { ms: 2_000, max: 8 },
    { ms: 30_000, max: 60 },
    { ms: 3_600_000, max: 1_800 },
  ],
  console: [],
};

// The instant both scripts work in: ARGV[1] when a test passes one, else the Redis server's TIME in ms.
const NOW = `local now = tonumber(ARGV[1])
if not now then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
`;

// Sliding windows over one sorted set of send times per conversation, shared by every worker process.
// Returns 0 and records the send when it fits every window (and no 429 holds the conversation or the
// workspace back); otherwise the milliseconds until it would fit, recording nothing. Time is the
// server's (TIME), so processes with skewed clocks still agree; tests may pass ARGV[1] instead.
const ACQUIRE = `
${NOW}local wait = 0
for k = 2, 3 do
  local u = tonumber(redis.call('GET', KEYS[k]) or '0')
  if u > now and u - now > wait then wait = u - now end
end
if wait > 0 then return wait end
local longest = 0
for i = 3, #ARGV, 2 do
  local ms, max = tonumber(ARGV[i]), tonumber(ARGV[i + 1])
  if ms > longest then longest = ms end
  local from = '(' .. string.format('%d', now - ms)
  local n = redis.call('ZCOUNT', KEYS[1], from, '+inf')
  if n >= max then
    local r = redis.call('ZRANGEBYSCORE', KEYS[1], from, '+inf', 'WITHSCORES', 'LIMIT', n - max, 1)
    local w = tonumber(r[2]) + ms - now
    if w > wait then wait = w end
  end
end
if wait > 0 then return wait end
if longest > 0 then
  redis.call('ZADD', KEYS[1], now, ARGV[2])
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', string.format('%d', now - longest))
  redis.call('PEXPIRE', KEYS[1], longest)
end
return 0`;

// Holds a conversation (or a workspace) back until an instant, never shortening a longer hold.
const BLOCK = `
${NOW}local untilMs = now + tonumber(ARGV[2])
local cur = tonumber(redis.call('GET', KEYS[1]) or '0')
if untilMs > cur then redis.call('SET', KEYS[1], string.format('%d', untilMs), 'PX', ARGV[2]) end
return untilMs`;

type Client = Redis | Cluster;
interface Scripts {
  lvRateAcquire(rate: string, block: string, blockAll: string, now: string, member: string, ...windows: string[]): Promise<number>;
  lvRateBlock(block: string, now: string, ms: string): Promise<number>;
}

/** Paces sends per conversation across every worker process, with one Lua step per send on the tenant's keys. */
export class ConversationLimiter {
  private readonly limits: Readonly<Record<Platform, readonly RateWindow[]>>;

  constructor(private readonly redis: Client, private readonly keys: JobKeys, limits: Partial<Record<Platform, readonly RateWindow[]>> = {}) {
    this.limits = { ...PLATFORM_LIMITS, ...limits };
    redis.defineCommand('lvRateAcquire', { numberOfKeys: 3, lua: ACQUIRE });
    redis.defineCommand('lvRateBlock', { numberOfKeys: 1, lua: BLOCK });
  }

  /** Takes a send slot in the conversation: 0 when it may send now, else how many ms to wait (nothing taken). */
  async acquire(tenant: string, platform: Platform, conversation: string, member: string, now?: number): Promise<number> {
    const windows = this.limits[platform];
    const args = windows.flatMap((w) => [String(w.ms), String(w.max)]);
    return Number(
      await (this.redis as unknown as Scripts).lvRateAcquire(
        this.keys.rate(tenant, platform, conversation), this.keys.rateBlock(tenant, platform, conversation), this.keys.rateBlock(tenant, platform),
        now === undefined ? '' : String(now), member, ...args,
      ),
    );
  }

  /** After a 429: holds the conversation (or the whole workspace) back for the platform's Retry-After. */
  async block(tenant: string, platform: Platform, conversation: string, ms: number, scope: RateLimitScope, now?: number): Promise<void> {
    const key = scope === 'workspace' ? this.keys.rateBlock(tenant, platform) : this.keys.rateBlock(tenant, platform, conversation);
    await (this.redis as unknown as Scripts).lvRateBlock(key, now === undefined ? '' : String(now), String(Math.max(1, Math.ceil(ms))));
  }
}
