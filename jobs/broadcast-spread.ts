import type { Platform } from '../src/domain/types.js';
import type { OutboundMessage } from '../src/ports/jobs.js';
import { PLATFORM_WIDE_LIMITS, type RateWindow } from './conversation-limiter.js';

/** The steadiest spacing (ms) a platform's pace over one workspace or tenant allows: its strictest window's. */
export function paceSpacingMs(windows: readonly RateWindow[]): number {
  return windows.reduce((most, w) => Math.max(most, w.ms / w.max), 0);
}

/**
 * When each message of a batch is due (ms after the batch is queued): in turn at its workspace's pace, first
 * the first message of every conversation, then the second of each, and so on. Queued all at once, a batch
 * of 600 sat in one FIFO ahead of another workspace's, and the worker's slots waited on one workspace's pace
 * while the other's messages waited behind them; due in turn, two workspaces' batches interleave in the
 * queue by time and each runs at its own pace. The pace itself (lua/rate-acquire.lua) still decides each
 * send's instant; this only orders the queue. Messages to one conversation keep their order.
 */
export function spreadBatch<M extends Pick<OutboundMessage, 'target'>>(
  messages: readonly M[],
  wide: Readonly<Record<Platform, readonly RateWindow[]>> = PLATFORM_WIDE_LIMITS,
): Array<{ message: M; dueMs: number }> {
  const seen = new Map<string, number>();
  const rounds = messages.map((message) => {
    const id = `${message.target.platform}\u0000${message.target.conversation}`;
    const round = seen.get(id) ?? 0;
    seen.set(id, round + 1);
    return { message, round };
  });
  // A stable sort: within a round, the batch's own order (groups, channels, languages as the project lists them).
  rounds.sort((a, b) => a.round - b.round);
  const next = new Map<Platform, number>();
  return rounds.map(({ message }) => {
    const platform = message.target.platform;
    const rank = next.get(platform) ?? 0;
    next.set(platform, rank + 1);
    return { message, dueMs: rank * paceSpacingMs(wide[platform]) };
  });
}
