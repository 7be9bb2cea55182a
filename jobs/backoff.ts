import type { MinimalJob } from 'bullmq';

/** The backoff type name delivery jobs use; the workers' backoffStrategy answers it. */
export const JITTER_BACKOFF = 'lv-jitter';

/** Exponential backoff with jitter: base·2^(n−1) capped, then a random point in its upper half (attempt n ≥ 1). */
export function jitterBackoff(attemptsMade: number, baseMs: number, capMs = 300_000, random: () => number = Math.random): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attemptsMade - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** BullMQ's custom backoff hook: jittered exponential backoff from the job's own base delay. */
export function backoffStrategy(attemptsMade: number, type?: string, _err?: Error, job?: MinimalJob): number {
  const backoff = job?.opts.backoff;
  const base = typeof backoff === 'object' && backoff.delay ? backoff.delay : 1_000;
  return type === JITTER_BACKOFF ? jitterBackoff(attemptsMade, base) : base;
}
