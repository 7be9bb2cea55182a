/**
 * Outbound traffic to the Bot Framework connector: Teams' per-conversation limits and retries.
 * Everything the adapter sends (replies, updates, proactive posts, new conversations, member look-ups)
 * goes through `GovernedHttpClient`, which sits at the bottom of the connector's HTTP pipeline, so each
 * attempt on the wire is counted and each throttled answer is seen before anything else retries it.
 */

import { AsyncLocalStorage } from 'node:async_hooks';
import { isPermanent, isRateLimited, PermanentDeliveryError, RateLimitedError } from '../../src/ports/errors.js';

/** One sliding window: at most `max` operations in any `ms` milliseconds. */
export interface RateWindow {
  ms: number;
  max: number;
}

/** Teams, per bot per conversation (thread): 7 a second, 8 in 2 seconds, 60 in 30 seconds, 1,800 an hour. */
export const TEAMS_CONVERSATION_LIMITS: readonly RateWindow[] = [
  { ms: 1_000, max: 7 },
  { ms: 2_000, max: 8 },
  { ms: 30_000, max: 60 },
  { ms: 3_600_000, max: 1_800 },
];

export type Sleep = (ms: number) => Promise<void>;
export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/**
 * A sliding-window limiter per key (a conversation), in process. Callers of one key are served in
 * order; each waits until a slot is free in every window, then takes it.
 */
export class SlidingWindowLimiter {
  private readonly sent = new Map<string, number[]>();
  private readonly queues = new Map<string, Promise<void>>();
  private readonly longest: number;

  constructor(
    private readonly windows: readonly RateWindow[] = TEAMS_CONVERSATION_LIMITS,
    private readonly now: () => number = Date.now,
    private readonly sleep: Sleep = realSleep,
  ) {
    this.longest = Math.max(0, ...windows.map((w) => w.ms));
  }

  /** How long from `at` until one more operation on the key fits in every window (0: now). */
  delayFor(key: string, at: number = this.now()): number {
    const times = this.prune(key, at);
    let wait = 0;
    for (const w of this.windows) {
      const inWindow = times.filter((t) => t > at - w.ms);
      if (inWindow.length >= w.max) {
        const oldestThatMustLeave = inWindow[inWindow.length - w.max] ?? at;
        wait = Math.max(wait, oldestThatMustLeave + w.ms - at);
      }
    }
    return wait;
  }

  /**
   * Waits for a free slot on the key and takes it. Call the returned function when the request has been
   * answered: the slot then counts from that moment, since the request reached Teams somewhere in between.
   */
  async acquire(key: string): Promise<() => void> {
    const before = this.queues.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = before.then(() => mine);
    this.queues.set(key, tail);
    await before;
    const slot = { at: 0 };
    try {
      for (let wait = this.delayFor(key); wait > 0; wait = this.delayFor(key)) await this.sleep(wait);
      slot.at = this.now();
      const times = this.sent.get(key) ?? [];
      times.push(slot.at);
      this.sent.set(key, times);
    } finally {
      release();
      if (this.queues.get(key) === tail) this.queues.delete(key);
    }
    return () => {
      const times = this.sent.get(key);
      const i = times?.lastIndexOf(slot.at) ?? -1;
      if (!times || i < 0) return;
      times[i] = Math.max(slot.at, this.now());
      times.sort((a, b) => a - b);
    };
  }

  private prune(key: string, at: number): number[] {
    const times = this.sent.get(key);
    if (!times) return [];
    const kept = times.filter((t) => t > at - this.longest);
    if (kept.length === 0) this.sent.delete(key);
    else this.sent.set(key, kept);
    return kept;
  }
}

/** When and how often a throttled or failed send is tried again. */
export interface RetryOptions {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** First backoff when the answer has no Retry-After; doubles each attempt, with jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this is not waited for: the send fails instead. */
  maxRetryAfterMs: number;
  statuses: readonly number[];
  /** A request the connector does not answer in this time is abandoned (the SDK sets no timeout of its own). */
  timeoutMs?: number;
}

export const DEFAULT_RETRY: RetryOptions = {
  maxAttempts: 5,
  baseDelayMs: 500,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 120_000,
  statuses: [429, 412, 502, 504],
};

/** Retry-After as milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | undefined {
  if (!value) return undefined;
  const v = value.trim();
  if (/^\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1000);
  const date = Date.parse(v);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Exponential backoff with jitter for attempt n (1 = the first retry). */
export function backoff(n: number, opts: Pick<RetryOptions, 'baseDelayMs' | 'maxDelayMs'>, random: () => number = Math.random): number {
  const ceiling = Math.min(opts.maxDelayMs, opts.baseDelayMs * 2 ** (n - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

const engineOwned = new AsyncLocalStorage<true>();

/**
 * Runs a send the delivery engine owns: inside it the governor tries each request once, since a hidden
 * retry would post again where the engine's ledger cannot see it, and would hold a worker through a
 * Retry-After. A 429 is thrown as RateLimitedError (nothing was posted: the engine waits, without using an
 * attempt, and holds the conversation for every worker); any other failure is thrown for the engine to retry.
 */
export function withoutRetries<T>(send: () => Promise<T>): Promise<T> {
  return engineOwned.run(true, send);
}

/** Connector statuses after which a proactive post can never succeed as it is: a bad activity, the bot removed or blocked, the conversation gone. */
export const PERMANENT_TEAMS_STATUSES: ReadonlySet<number> = new Set([400, 401, 403, 404]);

/**
 * Turns a failed proactive send into what the delivery engine understands: a 400/401/403/404 from the
 * connector into PermanentDeliveryError (its reason starts with Teams' error code, e.g.
 * BotNotInConversationRoster, which `comms status` explains); anything else (5xx, 412, timeouts, network
 * errors: outcome unknown) is returned unchanged for the engine to retry.
 */
export function classifyTeamsError(e: unknown): unknown {
  if (isRateLimited(e) || isPermanent(e)) return e;
  const status = (e as { statusCode?: unknown } | null)?.statusCode;
  if (typeof status !== 'number' || !PERMANENT_TEAMS_STATUSES.has(status)) return e;
  const code = (e as { code?: unknown }).code;
  return new PermanentDeliveryError(
    `${typeof code === 'string' && code ? code : `HTTP ${status}`} (the Teams connector answered ${status})`,
  );
}

/** A send the connector kept refusing; the status tells why. */
export class ConnectorSendError extends Error {
  readonly code = 'LV_TEAMS_SEND';
  constructor(
    readonly statusCode: number,
    readonly attempts: number,
    message: string,
  ) {
    super(message);
  }
}

/** The conversation a connector request posts to, for the limiter; undefined for reads. */
export function conversationOf(method: string, url: string): string | undefined {
  if (method !== 'POST' && method !== 'PUT') return undefined;
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    return undefined;
  }
  const m = /\/v3\/conversations\/([^/]+)\/activities(?:\/|$)/.exec(path);
  if (m?.[1]) return decodeURIComponent(m[1]);
  if (/\/v3\/conversations\/?$/.test(path)) return '(create conversation)';
  return undefined;
}

/** A logger with the calls this module makes (pino's shape). */
export interface GovernorLog {
  warn(obj: object, msg: string): void;
}

/** The parts of an Azure compat WebResource the client reads. */
interface WebResourceLike {
  url: string;
  method: string;
  headers: { rawHeaders(): Record<string, string> };
  body?: unknown;
  timeout?: number;
  abortSignal?: unknown;
}

/** Response headers in the Azure compat shape (`HttpHeadersLike`). */
class CompatHeaders {
  private readonly map = new Map<string, { name: string; value: string }>();
  constructor(init?: Iterable<[string, string]>) {
    for (const [name, value] of init ?? []) this.set(name, value);
  }
  set(name: string, value: string | number): void {
    this.map.set(name.toLowerCase(), { name, value: String(value) });
  }
  get(name: string): string | undefined {
    return this.map.get(name.toLowerCase())?.value;
  }
  contains(name: string): boolean {
    return this.map.has(name.toLowerCase());
  }
  remove(name: string): boolean {
    return this.map.delete(name.toLowerCase());
  }
  rawHeaders(): Record<string, string> {
    return this.toJson({ preserveCase: true });
  }
  headersArray(): Array<{ name: string; value: string }> {
    return [...this.map.values()];
  }
  headerNames(): string[] {
    return this.headersArray().map((h) => h.name);
  }
  headerValues(): string[] {
    return this.headersArray().map((h) => h.value);
  }
  clone(): CompatHeaders {
    return new CompatHeaders(this.headersArray().map((h) => [h.name, h.value] as [string, string]));
  }
  toJson(opts: { preserveCase?: boolean } = {}): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [key, h] of this.map) out[opts.preserveCase ? h.name : key] = h.value;
    return out;
  }
}

const TRANSIENT_NETWORK = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'UND_ERR_SOCKET']);

/** The connector's HTTP client: rate-limits writes per conversation and retries throttled or failed sends. */
export class GovernedHttpClient {
  constructor(
    private readonly limiter: SlidingWindowLimiter,
    private readonly retry: RetryOptions = DEFAULT_RETRY,
    private readonly log?: GovernorLog,
    private readonly sleep: Sleep = realSleep,
  ) {}

  async sendRequest(
    request: WebResourceLike,
  ): Promise<{ request: WebResourceLike; status: number; headers: CompatHeaders; bodyAsText: string }> {
    const method = request.method.toUpperCase();
    const conversation = conversationOf(method, request.url);
    const once = engineOwned.getStore() === true;
    const body =
      request.body === undefined || request.body === null
        ? undefined
        : typeof request.body === 'string'
          ? request.body
          : JSON.stringify(request.body);
    for (let attempt = 1; ; attempt++) {
      const answered = conversation ? await this.limiter.acquire(conversation) : () => {};
      let res: Response;
      let text: string;
      try {
        res = await fetch(request.url, {
          method,
          headers: request.headers.rawHeaders(),
          ...(body !== undefined && method !== 'GET' && method !== 'HEAD' ? { body } : {}),
          ...signalOf(request, this.retry.timeoutMs),
        });
        text = await res.text();
      } catch (e) {
        answered();
        const code = networkCode(e);
        if (!once && code && TRANSIENT_NETWORK.has(code) && attempt < this.retry.maxAttempts) {
          const delay = backoff(attempt, this.retry);
          this.log?.warn({ url: request.url, code, attempt, delay }, 'teams connector unreachable; retrying');
          await this.sleep(delay);
          continue;
        }
        throw e;
      }
      answered();
      // A 5xx given back to the SDK is posted again by its own retry policy: for a send the engine owns that
      // is a hidden retry (a second copy if the first was applied), so it is thrown, for the engine to look up.
      if (this.retry.statuses.includes(res.status) || (once && res.status >= 500)) {
        const retryAfter = parseRetryAfter(res.headers.get('retry-after'));
        const delay = retryAfter ?? backoff(attempt, this.retry);
        if (once && res.status === 429)
          throw new RateLimitedError(
            retryAfter ?? 1_000,
            'conversation',
            `Teams connector answered 429 to ${method} ${new URL(request.url).pathname}; retry after ${retryAfter ?? 1_000} ms`,
          );
        if (!once && attempt < this.retry.maxAttempts && delay <= this.retry.maxRetryAfterMs) {
          this.log?.warn(
            { url: request.url, status: res.status, attempt, delay, conversation },
            'teams connector throttled or failed; retrying',
          );
          await this.sleep(delay);
          continue;
        }
        // Thrown rather than returned, so the SDK's own retry policy does not start over.
        throw new ConnectorSendError(
          res.status,
          attempt,
          `Teams connector answered ${res.status} to ${method} ${new URL(request.url).pathname} after ${attempt} attempts: ${text.slice(0, 200)}`,
        );
      }
      return { request, status: res.status, headers: new CompatHeaders(res.headers.entries()), bodyAsText: text };
    }
  }
}

/** A request the connector does not answer in this time is abandoned (the SDK sets no timeout of its own). */
const DEFAULT_TIMEOUT_MS = 30_000;

function signalOf(request: WebResourceLike, timeoutMs = DEFAULT_TIMEOUT_MS): { signal: AbortSignal } {
  const timeout = AbortSignal.timeout(typeof request.timeout === 'number' && request.timeout > 0 ? request.timeout : timeoutMs);
  return { signal: request.abortSignal instanceof AbortSignal ? AbortSignal.any([request.abortSignal, timeout]) : timeout };
}

function networkCode(e: unknown): string | undefined {
  const cause = e instanceof Error ? (e as Error & { cause?: unknown }).cause : undefined;
  const code = (cause as { code?: unknown } | undefined)?.code ?? (e as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}
