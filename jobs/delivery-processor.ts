import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import type { Logger } from '../src/ports/logger.js';
import type { ConversationLimiter } from './conversation-limiter.js';
import type { ChatRegistry } from '../src/ports/chat.js';
import { isPermanent, isRateLimited } from '../src/ports/errors.js';
import type { Metrics } from '../src/ports/metrics.js';
import type { DeliveryLedger } from './delivery-ledger.js';
import type { DeliveryJobData } from './job-queues.js';

/** What happened to one delivery. */
export type DeliveryResult = { sent: string } | { skipped: 'already-sent' | 'failed-before' } | { recovered: string };

/** What sending needs. */
export interface DeliveryDeps {
  chats: ChatRegistry;
  ledger: DeliveryLedger;
  limiter: ConversationLimiter;
  log?: Logger;
  /** 429s one message may meet before it is recorded as failed. */
  maxRateLimited?: number;
  /** How long to keep trying to record a message the platform took while Redis is unreachable (below BullMQ's 30 s lock). */
  recordSentPatienceMs?: number;
  /** Counts each attempt's outcome for the operator (sent, retried, rate limited, failed). */
  metrics?: Metrics;
}

/** How far from its reserved instant a run may still use the slot (clock skew between processes and Redis, promotion delay). */
const SLOT_TOLERANCE_MS = 2_000;

/** A reserved slot at most this far away is waited for in the worker rather than in the delayed set. */
const HOLD_MAX_MS = 1_000;

const errorText = (e: unknown): string => (e instanceof Error ? `${e.name}: ${e.message}` : String(e)).slice(0, 500);

/**
 * Sends one proactive message exactly once, although BullMQ runs a job at least once. The ledger says
 * `sending` before the post and `sent` (with the platform's message id) after it: a run that finds
 * `sent` does nothing; one that finds an attempt began before (`sending` after a worker died mid-send or
 * a 5xx, or back to `pending` after a retry or a stalled job, with `mayBePosted`) asks the platform
 * through `findSent` when the port can, else sends again. Pacing per
 * conversation is shared by every process; a full window or a 429 moves the job to delayed without
 * using an attempt; 5xx and network errors use attempts with jittered exponential backoff; a
 * permanent error fails at once. The ledger records every outcome with its reason.
 */
export class DeliveryProcessor {
  constructor(private readonly deps: DeliveryDeps) {}

  /** The worker's processor for the deliveries queue. */
  async process(job: Job<DeliveryJobData>, token?: string): Promise<DeliveryResult> {
    const { tenant, batch, key, target, card } = job.data;
    // Jobs queued before messages carried their language are written in the project's first language, usually Finnish.
    const lang = job.data.lang ?? 'fi';
    const { chats, ledger, limiter } = this.deps;
    const before = await ledger.get(tenant, batch, key);
    if (before?.state === 'sent') return { skipped: 'already-sent' };
    if (before?.state === 'failed') return { skipped: 'failed-before' };
    const port = chats.get(target.platform);
    if (!port) {
      await ledger.failed(tenant, batch, key, `no chat adapter for ${target.platform}`);
      throw new UnrecoverableError(`no chat adapter for ${target.platform}`);
    }
    // Any attempt that began before may have reached the platform, whatever state the entry is in now:
    // `sending` (a worker died mid-send, a 5xx), or `pending` again after `comms retry` or a stalled job.
    // Such a message is looked up before it is posted again. `earlier` stays true when nobody could look.
    let earlier = before !== undefined && (before.state === 'sending' || before.mayBePosted);
    if (earlier && port.findSent) {
      let found;
      let looked = true;
      try {
        found = await port.findSent(target, key);
      } catch (e) {
        // On the last attempt a look-up that keeps failing gives way to posting again: the message may then
        // arrive twice, but it is never lost for want of a look-up. A 429 or a permanent refusal still counts.
        if (!isLastAttempt(job) || isRateLimited(e) || isPermanent(e)) return this.lookupFailed(job, token, e);
        looked = false;
        this.deps.log?.warn(
          { job: job.id, reason: errorText(e) },
          'could not look for the message sent before; posting it again rather than losing it',
        );
      }
      if (found) {
        await ledger.sent(tenant, batch, key, found.messageId);
        return { recovered: found.messageId };
      }
      if (looked) earlier = false;
    }
    // A slot reserved by an earlier run (moved to delayed until then) is this run's; a stale one (the job
    // stalled or failed since) is not, and a new one is taken.
    const { slotAt, ...data } = job.data;
    const member = `${job.id}:${job.attemptsStarted}:${Date.now()}:${Math.random()}`;
    if (slotAt !== undefined) await job.updateData(data);
    if (slotAt === undefined || Math.abs(Date.now() - slotAt) > SLOT_TOLERANCE_MS) {
      const slot = await limiter.reserve(tenant, target.platform, target.conversation, member);
      if ('wait' in slot) return this.later(job, token, slot.wait);
      // A slot moments away is waited for here: the job holds its worker, so reservations run at most
      // `concurrency` slots ahead and the queue is consumed at the platform's pace, in order. A slot far
      // away (many processes reserving at once) is waited for in the delayed set.
      if (slot.inMs > HOLD_MAX_MS) {
        await job.updateData({ ...data, slotAt: Date.now() + slot.inMs });
        return this.later(job, token, slot.inMs);
      }
      if (slot.inMs > 0) await new Promise((resolve) => setTimeout(resolve, slot.inMs));
    }
    // The slot is this run's; the conversation's and the workspace's pace over the sends really started have the last word.
    const late = await limiter.admitSend(tenant, target.platform, target.conversation, member);
    if (late > 0) {
      await job.updateData({ ...data, slotAt: Date.now() + late });
      return this.later(job, token, late);
    }
    const prior = await ledger.begin(tenant, batch, key, target);
    if (prior === 'sent') return { skipped: 'already-sent' };
    if (prior === 'failed') return { skipped: 'failed-before' };
    let messageId: string;
    try {
      messageId = (await port.post(target, card, { lang, idempotencyKey: key })).messageId;
    } catch (e) {
      return this.failedAttempt(job, token, e, earlier);
    }
    await this.recordSent(job, messageId);
    this.deps.metrics?.delivery(target.platform, 'sent', tenant);
    return { sent: messageId };
  }

  /**
   * Records `sent` for a message the platform took. If Redis is away at that moment (restarting, failing
   * over), giving up would leave `sending`, and a port that cannot look (no findSent, or Teams without the Graph permissions) would post it again: so
   * the write is tried again with backoff while the job still holds its lock, and only then thrown.
   */
  private async recordSent(job: Job<DeliveryJobData>, messageId: string): Promise<void> {
    const { tenant, batch, key } = job.data;
    const deadline = Date.now() + (this.deps.recordSentPatienceMs ?? 20_000);
    for (let delay = 100; ; delay = Math.min(delay * 2, 2_000)) {
      try {
        await this.deps.ledger.sent(tenant, batch, key, messageId);
        return;
      } catch (e) {
        if (Date.now() + delay > deadline) throw e;
        this.deps.log?.warn({ job: job.id, err: e, messageId }, 'delivered, but Redis did not take the record; trying again');
        await new Promise((r) => setTimeout(r, delay));
      }
    }
  }

  /**
   * A post that threw. `earlier`: an attempt before this one may have reached the platform (and nobody
   * could look), so a 429 or a refusal of this post does not make the entry certainly unposted.
   */
  private async failedAttempt(job: Job<DeliveryJobData>, token: string | undefined, e: unknown, earlier: boolean): Promise<never> {
    const { tenant, batch, key, target } = job.data;
    const { ledger, limiter } = this.deps;
    const count = (outcome: 'retried' | 'failed' | 'rate_limited') => this.deps.metrics?.delivery(target.platform, outcome, tenant);
    if (isRateLimited(e)) {
      count('rate_limited');
      // Nothing was posted: back to pending, hold the conversation (or workspace) for Retry-After.
      const hits = Number(job.data.rateLimited ?? 0) + 1;
      if (hits > (this.deps.maxRateLimited ?? 25)) {
        await ledger.failed(tenant, batch, key, `rate limited ${hits} times`, earlier);
        count('failed');
        throw new UnrecoverableError(`rate limited ${hits} times`);
      }
      await job.updateData({ ...job.data, rateLimited: hits });
      await ledger.pending(tenant, batch, key, `429, retry after ${e.retryAfterMs} ms`, earlier);
      await limiter.block(tenant, target.platform, target.conversation, e.retryAfterMs, e.scope);
      return this.later(job, token, e.retryAfterMs + Math.floor(Math.random() * 100));
    }
    if (isPermanent(e)) {
      await ledger.failed(tenant, batch, key, e.reason, earlier);
      count('failed');
      throw new UnrecoverableError(e.reason);
    }
    // Unknown outcome (5xx, timeout, network): stay `sending`, so the next attempt checks before it resends.
    const reason = errorText(e);
    const last = isLastAttempt(job);
    if (last) await ledger.failed(tenant, batch, key, reason);
    else await ledger.uncertain(tenant, batch, key, reason);
    count(last ? 'failed' : 'retried');
    this.deps.log?.warn(
      { job: job.id, reason, attempt: job.attemptsMade + 1 },
      last ? 'delivery failed for good' : 'delivery failed; retrying with backoff',
    );
    throw e instanceof Error ? e : new Error(reason);
  }

  /**
   * The look-up after an interrupted send failed: the entry stays `sending` (the message may be out), so the
   * next run looks again before it posts. A 429 waits without using an attempt; a permanent error fails it;
   * anything else uses an attempt (the last attempt posts instead of looking: see process).
   */
  private async lookupFailed(job: Job<DeliveryJobData>, token: string | undefined, e: unknown): Promise<never> {
    const { tenant, batch, key, target } = job.data;
    if (isRateLimited(e)) {
      await this.deps.limiter.block(tenant, target.platform, target.conversation, e.retryAfterMs, e.scope);
      return this.later(job, token, e.retryAfterMs + Math.floor(Math.random() * 100));
    }
    if (isPermanent(e)) {
      await this.deps.ledger.failed(tenant, batch, key, e.reason);
      throw new UnrecoverableError(e.reason);
    }
    const reason = `looking for the message sent before: ${errorText(e)}`;
    await this.deps.ledger.uncertain(tenant, batch, key, reason);
    throw e instanceof Error ? e : new Error(reason);
  }

  private async later(job: Job<DeliveryJobData>, token: string | undefined, ms: number): Promise<never> {
    await job.moveToDelayed(Date.now() + Math.max(1, Math.ceil(ms)), token);
    throw new DelayedError();
  }
}

/** Whether this run is the job's last attempt (BullMQ counts the attempts made before it). */
function isLastAttempt(job: Job<DeliveryJobData>): boolean {
  return job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
}
