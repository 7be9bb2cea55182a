/**
 * Every error lv-bot raises on purpose carries a stable `code`, so callers (the bot's answer, the delivery
 * engine, the composition root) decide by code and class, never by matching message text. Modelled on
 * vercel/chat's `ChatError` and Bolt's `CodedError`.
 */

/** The codes, in one place: a log line or a test names an error by its code. */
export const ERROR_CODES = {
  config: 'LV_CONFIG',
  redisNotFound: 'LV_REDIS_NOT_FOUND',
  dataFolderInUse: 'LV_DATA_FOLDER_IN_USE',
  storeUnavailable: 'LV_STORE_UNAVAILABLE',
  contention: 'LV_CONTENTION',
  rateLimited: 'LV_RATE_LIMITED',
  deliveryPermanent: 'LV_DELIVERY_PERMANENT',
} as const;

/** One of lv-bot's error codes. */
export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

/** The base of every coded error: the code says what happened, the message says what to do about it. */
export abstract class LvError extends Error {
  abstract readonly code: ErrorCode;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Whether `e` is an LvError with this code; also across two copies of this module (a worker loaded twice). */
export function hasCode(e: unknown, code: ErrorCode): boolean {
  return e instanceof Error && (e as { code?: unknown }).code === code;
}

/** Raised when the environment is wrong: the message names each setting, what it expects and an example. */
export class ConfigError extends LvError {
  readonly code = ERROR_CODES.config;
  constructor(readonly problems: string[]) {
    super(`lv-bot cannot start; fix these settings:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** No `redis-server` to start a private Redis with: the message says how to install one or point elsewhere. */
export class RedisNotFoundError extends LvError {
  readonly code = ERROR_CODES.redisNotFound;
  constructor(binary: string) {
    super(
      `Could not find "${binary}" to start a private Redis: install one (sudo apt-get install redis-server, ` +
        `or brew install redis on macOS) or set REDIS_URL to an existing Redis server.`,
    );
  }
}

/** What holds a data folder: the lv-bot process and, once started, its private redis-server. */
export interface DataFolderHolder {
  pid: number;
  since: string;
  redisPid?: number;
  port?: number;
}

/** Another running lv-bot holds the data folder: a second private Redis on its append-only file would lose changes. */
export class DataFolderInUseError extends LvError {
  readonly code = ERROR_CODES.dataFolderInUse;
  constructor(
    readonly folder: string,
    readonly holder: DataFolderHolder,
    lockFile: string,
  ) {
    const redis = holder.port ? `, whose private Redis listens on 127.0.0.1:${holder.port}` : '';
    super(
      `The data folder ${folder} is in use by another lv-bot (process ${holder.pid}, since ${holder.since})${redis}. ` +
        `Two bots on one folder would write one append-only file twice and lose changes, so this one does not start. ` +
        `Leave the other one first ("quit" or Ctrl+C there), or give this one a folder of its own (LV_DATA_DIR=.data-2 npm start)` +
        (holder.port ? `, or share the other one's Redis while it runs (REDIS_URL=redis://127.0.0.1:${holder.port} npm start)` : '') +
        `. If no lv-bot runs as process ${holder.pid}, delete ${lockFile}.`,
    );
  }
}

/** The store cannot be reached right now (connection refused or lost, a timeout, a cluster failing over): try again later. */
export class StoreUnavailableError extends LvError {
  readonly code = ERROR_CODES.storeUnavailable;
  constructor(cause: unknown) {
    super(`the store is unavailable: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/** A project was changed by others faster than one change could land; the caller answers "try again". */
export class ContentionError extends LvError {
  readonly code = ERROR_CODES.contention;
}

/** How far a 429 reaches: the one conversation, or every conversation of the workspace or tenant on that platform. */
export type RateLimitScope = 'conversation' | 'workspace';

/** The platform answered 429 (nothing was posted): the engine waits `retryAfterMs` and tries again, without using an attempt. */
export class RateLimitedError extends LvError {
  readonly code = ERROR_CODES.rateLimited;
  constructor(
    readonly retryAfterMs: number,
    readonly scope: RateLimitScope = 'conversation',
    message = `rate limited; retry after ${retryAfterMs} ms`,
  ) {
    super(message);
  }
}

/** Sending can never succeed (channel gone, bot removed, user blocked the bot): recorded as failed with the reason, not retried. */
export class PermanentDeliveryError extends LvError {
  readonly code = ERROR_CODES.deliveryPermanent;
  constructor(readonly reason: string) {
    super(reason);
  }
}

/** Recognises a RateLimitedError also across two copies of this module (by code and shape). */
export function isRateLimited(e: unknown): e is RateLimitedError {
  return e instanceof RateLimitedError || (hasCode(e, ERROR_CODES.rateLimited) && typeof (e as RateLimitedError).retryAfterMs === 'number');
}

/** Recognises a PermanentDeliveryError also across two copies of this module. */
export function isPermanent(e: unknown): e is PermanentDeliveryError {
  return e instanceof PermanentDeliveryError || hasCode(e, ERROR_CODES.deliveryPermanent);
}

/** Recognises a StoreUnavailableError also across two copies of this module. */
export function isStoreUnavailable(e: unknown): e is StoreUnavailableError {
  return e instanceof StoreUnavailableError || hasCode(e, ERROR_CODES.storeUnavailable);
}
