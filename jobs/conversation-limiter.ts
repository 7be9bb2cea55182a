import type { Cluster, Redis } from 'ioredis';
import type { Platform } from '../src/domain/types.js';
import type { RateLimitScope } from '../src/ports/errors.js';
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

/**
 * Each platform's pace over all its conversations of one workspace (Slack) or tenant (Teams), kept a little
 * under the limit so the web process's own replies fit beside the broadcast. Slack: a workspace-wide limit
 * for chat.postMessage whose value Slack does not publish (about 100 a second is the figure in use); Teams:
 * 30 requests a second per app per tenant (the lower of the two documented values).
 */
export const PLATFORM_WIDE_LIMITS: Readonly<Record<Platform, readonly RateWindow[]>> = {
  slack: [{ ms: 1_000, max: 95 }],
  teams: [{ ms: 1_000, max: 29 }],
  console: [],
};

/**
 * The cap checked right before each post over the instants sends really started: between the pace above and
 * the platform's limit. Sends are reserved at the pace; checking them against the same pace held back every
 * send a worker started a few ms early (Slack ran at 91 a second). It stays under the limit because a send
 * admitted on time can still arrive a few ms late behind another: Slack 98 (at 100 the gate met 429s); Teams
 * 29, the pace itself (at 30 its per-app gate met 429s, and its broadcasts end within 1.07 x the minimum).
 */
export const PLATFORM_WIDE_CAPS: Readonly<Record<Platform, readonly RateWindow[]>> = {
  slack: [{ ms: 1_000, max: 98 }],
  teams: [{ ms: 1_000, max: 29 }],
  console: [],
};

// The instant both scripts work in: ARGV[1] when a test passes one, else the Redis server's TIME in ms.
const NOW = `local now = tonumber(ARGV[1])
if not now then
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
`;

// Sliding windows over one sorted set of send times per conversation, and one per workspace (tenant),
// shared by every worker process. KEYS: the conversation's set, its hold, the workspace's hold, the
// workspace's set. ARGV: now, member, reserve (1/0), the number of conversation windows, then ms/max pairs
// of the conversation's windows followed by the workspace's. Returns {wait, 0} when a 429 holds the
// conversation or workspace back or the conversation's windows are full (nothing recorded). Otherwise the
// workspace's windows give the earliest instant at or after now that fits: sends are recorded in time
// order, evenly spaced (ms/max apart) and never more than max in a window, so a broadcast reaches the
// platform as a smooth stream that a late worker cannot bunch over the limit. With reserve=1, or when
// that instant is now, the instant is recorded in the workspace's set and {0, in} returned (in = ms until
// the reserved instant); the conversation's own send is recorded by ADMIT when it really starts. With
// reserve=0 (no workspace windows) the send is recorded in the conversation's set now, or {wait, 0}. Time is the server's (TIME), so processes
// with skewed clocks still agree; tests may pass ARGV[1] instead.
const ACQUIRE = `
${NOW}local wait = 0
for k = 2, 3 do
  local u = tonumber(redis.call('GET', KEYS[k]) or '0')
  if u > now and u - now > wait then wait = u - now end
end
if wait > 0 then return {wait, 0} end
local convEnd = 4 + 2 * tonumber(ARGV[4])
local longest = 0
for i = 5, convEnd, 2 do
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
if wait > 0 then return {wait, 0} end
local at = now
local widest = 0
for i = convEnd + 1, #ARGV, 2 do
  local ms, max = tonumber(ARGV[i]), tonumber(ARGV[i + 1])
  if ms > widest then widest = ms end
  local n = redis.call('ZCARD', KEYS[4])
  if n >= max then
    local r = redis.call('ZRANGE', KEYS[4], n - max, n - max, 'WITHSCORES')
    local t = tonumber(r[2]) + ms
    if t > at then at = t end
  end
  if n > 0 then
    local last = redis.call('ZRANGE', KEYS[4], -1, -1, 'WITHSCORES')
    local t = tonumber(last[2]) + ms / max
    if t > at then at = t end
  end
end
if at > now and ARGV[3] ~= '1' then return {math.ceil(at - now), 0} end
if longest > 0 and ARGV[3] ~= '1' then
  redis.call('ZADD', KEYS[1], now, ARGV[2])
  redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', string.format('%d', now - longest))
  redis.call('PEXPIRE', KEYS[1], longest)
end
if widest > 0 then
  redis.call('ZADD', KEYS[4], at, ARGV[2])
  redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', string.format('%d', now - widest))
  redis.call('PEXPIRE', KEYS[4], math.ceil(widest + at - now))
end
return {0, math.ceil(at - now)}`;

// Right before a post: the holds, the conversation's windows (KEYS[1]) and the workspace's windows over
// the instants sends really started (KEYS[4]), whatever was reserved, so a worker that ran late neither
// bunches the workspace's sends nor two of one conversation. KEYS: conversation set, its hold, the
// workspace's hold, the workspace's started set. ARGV: now, member, the number of conversation windows,
// then ms/max pairs (the conversation's, then the workspace's). Returns 0 and records the send in both
// sets, or the ms until it fits (nothing recorded).
const ADMIT = `
${NOW}local wait = 0
for k = 2, 3 do
  local u = tonumber(redis.call('GET', KEYS[k]) or '0')
  if u > now and u - now > wait then wait = u - now end
end
if wait > 0 then return wait end
local convEnd = 3 + 2 * tonumber(ARGV[3])
local longest = {0, 0}
for i = 4, #ARGV, 2 do
  local key = i <= convEnd and KEYS[1] or KEYS[4]
  local slot = i <= convEnd and 1 or 2
  local ms, max = tonumber(ARGV[i]), tonumber(ARGV[i + 1])
  if ms > longest[slot] then longest[slot] = ms end
  local from = '(' .. string.format('%d', now - ms)
  local n = redis.call('ZCOUNT', key, from, '+inf')
  if n >= max then
    local r = redis.call('ZRANGEBYSCORE', key, from, '+inf', 'WITHSCORES', 'LIMIT', n - max, 1)
    local w = tonumber(r[2]) + ms - now
    if w > wait then wait = w end
  end
end
if wait > 0 then return wait end
for slot = 1, 2 do
  local key = slot == 1 and KEYS[1] or KEYS[4]
  if longest[slot] > 0 then
    redis.call('ZADD', key, now, ARGV[2])
    redis.call('ZREMRANGEBYSCORE', key, '-inf', string.format('%d', now - longest[slot]))
    redis.call('PEXPIRE', key, longest[slot])
  end
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
  lvRateAcquire(rate: string, block: string, blockAll: string, rateAll: string, now: string, member: string, reserve: string, conversationWindows: string, ...windows: string[]): Promise<[number, number]>;
  lvRateBlock(block: string, now: string, ms: string): Promise<number>;
  lvRateAdmit(rate: string, block: string, blockAll: string, started: string, now: string, member: string, conversationWindows: string, ...windows: string[]): Promise<number>;
}

/** A send slot: `wait` ms until the conversation is free (nothing taken), or taken at an instant `inMs` from now (0: now). */
export type Slot = { wait: number } | { inMs: number };

/** Paces sends per conversation and per workspace across every worker process, with one Lua step per send on the tenant's keys. */
export class ConversationLimiter {
  private readonly limits: Readonly<Record<Platform, readonly RateWindow[]>>;
  private readonly wide: Readonly<Record<Platform, readonly RateWindow[]>>;
  private readonly caps: Readonly<Record<Platform, readonly RateWindow[]>>;

  /** `wide` sets a platform's pace; its cap is then the same unless `caps` sets it too. */
  constructor(
    private readonly redis: Client,
    private readonly keys: JobKeys,
    limits: Partial<Record<Platform, readonly RateWindow[]>> = {},
    wide: Partial<Record<Platform, readonly RateWindow[]>> = {},
    caps: Partial<Record<Platform, readonly RateWindow[]>> = {},
  ) {
    this.limits = { ...PLATFORM_LIMITS, ...limits };
    this.wide = { ...PLATFORM_WIDE_LIMITS, ...wide };
    this.caps = { ...PLATFORM_WIDE_CAPS, ...wide, ...caps };
    redis.defineCommand('lvRateAcquire', { numberOfKeys: 4, lua: ACQUIRE });
    redis.defineCommand('lvRateBlock', { numberOfKeys: 1, lua: BLOCK });
    redis.defineCommand('lvRateAdmit', { numberOfKeys: 4, lua: ADMIT });
  }

  /**
   * Right before a post: 0 when the conversation's windows and the platform's cap over the sends really
   * started have room (the send is recorded in both), else the ms until they have. A reservation spreads a
   * broadcast; this keeps a worker that ran late from bunching sends over either limit.
   */
  async admitSend(tenant: string, platform: Platform, conversation: string, member: string, now?: number): Promise<number> {
    const own = this.limits[platform];
    const started = `${this.keys.rate(tenant, platform, '*')}:sent`;
    return this.runAdmit([this.keys.rate(tenant, platform, conversation), this.keys.rateBlock(tenant, platform, conversation), this.keys.rateBlock(tenant, platform), started], own, this.caps[platform], member, now);
  }

  /** The platform's cap alone over the sends really started: 0 (recorded) or the ms until it has room. */
  async admit(tenant: string, platform: Platform, member: string, now?: number): Promise<number> {
    if (this.caps[platform].length === 0) return 0;
    const started = `${this.keys.rate(tenant, platform, '*')}:sent`;
    const hold = this.keys.rateBlock(tenant, platform);
    return this.runAdmit([started, hold, hold, started], [], this.caps[platform], member, now);
  }

  private async runAdmit(keys: [string, string, string, string], own: readonly RateWindow[], wide: readonly RateWindow[], member: string, now?: number): Promise<number> {
    const windows = [...own, ...wide].flatMap((w) => [String(w.ms), String(w.max)]);
    return Number(await (this.redis as unknown as Scripts).lvRateAdmit(...keys, now === undefined ? '' : String(now), member, String(own.length), ...windows));
  }

  /** Takes a send slot in the conversation, by its own windows only: 0 when it may send now, else how many ms to wait (nothing taken). */
  async acquire(tenant: string, platform: Platform, conversation: string, member: string, now?: number): Promise<number> {
    const slot = await this.take(tenant, platform, conversation, member, [], now);
    return 'wait' in slot ? slot.wait : 0;
  }

  /**
   * When the conversation is free now, reserves the workspace's earliest free instant for the send (to be
   * confirmed by `admit` right before the post): a broadcast to many conversations is then spread over the
   * workspace's pace with one delay per message, instead of every waiting message retrying at each freed
   * slot. `wait` when the conversation is busy.
   */
  reserve(tenant: string, platform: Platform, conversation: string, member: string, now?: number): Promise<Slot> {
    return this.take(tenant, platform, conversation, member, this.wide[platform], now);
  }

  private async take(tenant: string, platform: Platform, conversation: string, member: string, wide: readonly RateWindow[], now?: number): Promise<Slot> {
    const own = this.limits[platform];
    const reserve = wide.length > 0;
    const windows = [...own, ...wide].flatMap((w) => [String(w.ms), String(w.max)]);
    const [wait, inMs] = await (this.redis as unknown as Scripts).lvRateAcquire(
      this.keys.rate(tenant, platform, conversation), this.keys.rateBlock(tenant, platform, conversation), this.keys.rateBlock(tenant, platform),
      // '*' stands for every conversation of the workspace, as in the workspace's hold key.
      this.keys.rate(tenant, platform, '*'),
      now === undefined ? '' : String(now), member, reserve ? '1' : '0', String(own.length), ...windows,
    );
    return Number(wait) > 0 ? { wait: Number(wait) } : { inMs: Number(inMs) };
  }

  /** After a 429: holds the conversation (or the whole workspace) back for the platform's Retry-After. */
  async block(tenant: string, platform: Platform, conversation: string, ms: number, scope: RateLimitScope, now?: number): Promise<void> {
    const key = scope === 'workspace' ? this.keys.rateBlock(tenant, platform) : this.keys.rateBlock(tenant, platform, conversation);
    await (this.redis as unknown as Scripts).lvRateBlock(key, now === undefined ? '' : String(now), String(Math.max(1, Math.ceil(ms))));
  }
}
