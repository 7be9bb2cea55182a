/**
 * The errors a ChatPort throws so the delivery engine can tell "not sent, try later" from "never will be
 * sent" from "don't know". Anything else a port throws counts as the third kind: a 5xx, a timeout or a
 * network error, where the message may or may not have been posted.
 */

/** How far a 429 reaches: the one conversation, or every conversation of the workspace or tenant on that platform. */
export type RateLimitScope = 'conversation' | 'workspace';

/** The platform answered 429 (nothing was posted): the engine waits `retryAfterMs` and tries again, without using an attempt. */
export class RateLimitedError extends Error {
  override readonly name = 'RateLimitedError';
  constructor(
    readonly retryAfterMs: number,
    readonly scope: RateLimitScope = 'conversation',
    message = `rate limited; retry after ${retryAfterMs} ms`,
  ) {
    super(message);
  }
}

/** Sending can never succeed (channel gone, bot removed, user blocked the bot): recorded as failed with the reason, not retried. */
export class PermanentDeliveryError extends Error {
  override readonly name = 'PermanentDeliveryError';
  constructor(readonly reason: string) {
    super(reason);
  }
}

/** Recognises a RateLimitedError also across two copies of this module (by name and shape). */
export function isRateLimited(e: unknown): e is RateLimitedError {
  return e instanceof RateLimitedError || (e instanceof Error && e.name === 'RateLimitedError' && typeof (e as RateLimitedError).retryAfterMs === 'number');
}

/** Recognises a PermanentDeliveryError also across two copies of this module. */
export function isPermanent(e: unknown): e is PermanentDeliveryError {
  return e instanceof PermanentDeliveryError || (e instanceof Error && e.name === 'PermanentDeliveryError');
}
