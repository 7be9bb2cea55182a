import type { Cluster, Redis } from 'ioredis';
import type { Platform } from '../src/domain/types.js';
import type { RateLimitScope } from '../src/ports/errors.js';
import { loadLua } from '../src/infra/redis/lua-scripts.js';
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

/** Reserves a send slot in the conversation's and the workspace's sliding windows (lua/rate-acquire.lua). */
const ACQUIRE = loadLua(import.meta.url, 'lua/rate-acquire.lua');
/** Admits a send right before its post, over the instants sends really started (lua/rate-admit.lua). */
const ADMIT = loadLua(import.meta.url, 'lua/rate-admit.lua');
/** Holds a conversation or workspace back after a 429, never shortening a longer hold (lua/rate-block.lua). */
const BLOCK = loadLua(import.meta.url, 'lua/rate-block.lua');

type Client = Redis | Cluster;
interface Scripts {
  lvRateAcquire(
    rate: string,
    block: string,
    blockAll: string,
    rateAll: string,
    now: string,
    member: string,
    reserve: string,
    conversationWindows: string,
    ...windows: string[]
  ): Promise<[number, number]>;
  lvRateBlock(block: string, now: string, ms: string): Promise<number>;
  lvRateAdmit(
    rate: string,
    block: string,
    blockAll: string,
    started: string,
    now: string,
    member: string,
    conversationWindows: string,
    ...windows: string[]
  ): Promise<number>;
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
    return this.runAdmit(
      [
        this.keys.rate(tenant, platform, conversation),
        this.keys.rateBlock(tenant, platform, conversation),
        this.keys.rateBlock(tenant, platform),
        started,
      ],
      own,
      this.caps[platform],
      member,
      now,
    );
  }

  /** The platform's cap alone over the sends really started: 0 (recorded) or the ms until it has room. */
  async admit(tenant: string, platform: Platform, member: string, now?: number): Promise<number> {
    if (this.caps[platform].length === 0) return 0;
    const started = `${this.keys.rate(tenant, platform, '*')}:sent`;
    const hold = this.keys.rateBlock(tenant, platform);
    return this.runAdmit([started, hold, hold, started], [], this.caps[platform], member, now);
  }

  private async runAdmit(
    keys: [string, string, string, string],
    own: readonly RateWindow[],
    wide: readonly RateWindow[],
    member: string,
    now?: number,
  ): Promise<number> {
    const windows = [...own, ...wide].flatMap((w) => [String(w.ms), String(w.max)]);
    return Number(
      await (this.redis as unknown as Scripts).lvRateAdmit(
        ...keys,
        now === undefined ? '' : String(now),
        member,
        String(own.length),
        ...windows,
      ),
    );
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

  private async take(
    tenant: string,
    platform: Platform,
    conversation: string,
    member: string,
    wide: readonly RateWindow[],
    now?: number,
  ): Promise<Slot> {
    const own = this.limits[platform];
    const reserve = wide.length > 0;
    const windows = [...own, ...wide].flatMap((w) => [String(w.ms), String(w.max)]);
    const [wait, inMs] = await (this.redis as unknown as Scripts).lvRateAcquire(
      this.keys.rate(tenant, platform, conversation),
      this.keys.rateBlock(tenant, platform, conversation),
      this.keys.rateBlock(tenant, platform),
      // '*' stands for every conversation of the workspace, as in the workspace's hold key.
      this.keys.rate(tenant, platform, '*'),
      now === undefined ? '' : String(now),
      member,
      reserve ? '1' : '0',
      String(own.length),
      ...windows,
    );
    return Number(wait) > 0 ? { wait: Number(wait) } : { inMs: Number(inMs) };
  }

  /** After a 429: holds the conversation (or the whole workspace) back for the platform's Retry-After. */
  async block(tenant: string, platform: Platform, conversation: string, ms: number, scope: RateLimitScope, now?: number): Promise<void> {
    const key = scope === 'workspace' ? this.keys.rateBlock(tenant, platform) : this.keys.rateBlock(tenant, platform, conversation);
    await (this.redis as unknown as Scripts).lvRateBlock(key, now === undefined ? '' : String(now), String(Math.max(1, Math.ceil(ms))));
  }
}
