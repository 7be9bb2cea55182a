import { Queue, type JobsOptions } from 'bullmq';
import type { Cluster, Redis } from 'ioredis';
import type { Logger } from '../src/ports/logger.js';
import type { Deliveries, LedgerEntry, OutboundMessage, Scheduler } from '../src/ports/jobs.js';
import { storeCall } from '../src/infra/redis/unavailable.js';
import { JITTER_BACKOFF } from './backoff.js';
import { spreadBatch } from './broadcast-spread.js';
import { DeliveryLedger } from './delivery-ledger.js';
import { JobKeys, QUEUE_NAMES } from './job-keys.js';

/** What the queues need: the app's Redis (commands only; BullMQ never blocks on it) and the key prefix. */
export interface QueueDeps {
  redis: Redis | Cluster;
  /** The store's key prefix (LV_REDIS_PREFIX); BullMQ's is `{<prefix>-jobs}`. */
  prefix: string;
  log?: Logger;
  /** Attempts and first backoff of a delivery that meets 5xx or network errors. */
  retry?: { attempts?: number; baseDelayMs?: number };
}

/** A delivery job's data: everything the worker needs to send one message, with no lookup. */
export interface DeliveryJobData extends OutboundMessage {
  tenant: string;
  batch: string;
  /** How many 429s this message has met (they do not use attempts, so they are counted here). */
  rateLimited?: number;
  /** When the pace reserved this message a later slot: the instant (ms) it was moved to delayed until. */
  slotAt?: number;
}

/** A planner job: plan one date for every tenant (fan-out), or one project now or for a date. */
export type PlannerJobData =
  | { kind: 'plan-day'; date?: string }
  | { kind: 'plan-chunk'; date: string; projects: Array<[tenant: string, projectId: string]> }
  | { kind: 'plan-project'; tenant: string; projectId: string; date?: string };

const DAY_S = 24 * 3600;
/**
 * Delivery jobs queued ahead of the rest of a batch, and per addBulk after them. Small steps: serialising
 * 500 jobs holds the event loop ~0.1 s, and a worker in the same process could not start the first send meanwhile.
 */
const FIRST_JOBS = 20;
const JOBS_PER_ADD = 50;

/**
 * The three queues, and the side of the jobs layer a web process needs: the use-cases' Scheduler
 * (re-plan a changed project) and Deliveries (send a batch once, read its ledger). Enqueue-only:
 * nothing here processes a job, so any number of web processes can share one Redis with the workers.
 * The Deliveries methods turn Redis being unreachable into StoreUnavailableError, as the store does.
 */
export class JobQueues implements Scheduler, Deliveries {
  readonly keys: JobKeys;
  readonly planner: Queue<PlannerJobData>;
  readonly reminders: Queue;
  readonly deliveries: Queue<DeliveryJobData>;
  readonly ledgerStore: DeliveryLedger;
  private readonly deliveryOpts: JobsOptions;

  constructor(private readonly deps: QueueDeps) {
    this.keys = new JobKeys(deps.prefix);
    const base = { connection: deps.redis, prefix: this.keys.bullPrefix };
    // Completed jobs are kept for a while on purpose: a job id that still exists is not added again, which
    // is what makes planning the same day twice (two processes, a retry) add each reminder once.
    this.planner = new Queue(QUEUE_NAMES.planner, {
      ...base,
      defaultJobOptions: {
        removeOnComplete: { age: 2 * DAY_S },
        removeOnFail: { age: 7 * DAY_S },
        attempts: 5,
        backoff: { type: JITTER_BACKOFF, delay: 2_000 },
      },
    });
    this.reminders = new Queue(QUEUE_NAMES.reminders, {
      ...base,
      defaultJobOptions: {
        removeOnComplete: { age: 3 * DAY_S },
        removeOnFail: { age: 14 * DAY_S },
        attempts: 5,
        backoff: { type: JITTER_BACKOFF, delay: 5_000 },
      },
    });
    this.deliveries = new Queue(QUEUE_NAMES.deliveries, {
      ...base,
      defaultJobOptions: { removeOnComplete: { age: 7 * DAY_S }, removeOnFail: { age: 30 * DAY_S } },
    });
    this.deliveryOpts = { attempts: deps.retry?.attempts ?? 8, backoff: { type: JITTER_BACKOFF, delay: deps.retry?.baseDelayMs ?? 2_000 } };
    this.ledgerStore = new DeliveryLedger(deps.redis, this.keys);
  }

  async projectChanged(tenant: string, projectId: string, version: number): Promise<void> {
    try {
      // One re-plan per project at a time: changes made while one waits are covered by it (planning reads the
      // project when it runs), and one made while it runs queues exactly one more after it, so the latest is never lost.
      await this.planner.add(
        'plan-project',
        { kind: 'plan-project', tenant, projectId },
        {
          jobId: JobKeys.planProjectJobId(tenant, projectId, `v${version}`),
          deduplication: { id: JobKeys.planProjectJobId(tenant, projectId, 'changed'), keepLastIfActive: true },
        },
      );
    } catch (err) {
      // The change is committed; its reminders are re-planned by the next daily plan at the latest,
      // and a reminder planned for the old state is dropped when it fires.
      this.deps.log?.error({ err, tenant, projectId }, 'could not queue the re-plan of a changed project');
    }
  }

  async replan(tenant: string, projectId: string): Promise<void> {
    // A job id of its own (the moment it was asked), so a plan already done for the project's version does not stand in for it.
    await this.projectChanged(tenant, projectId, -Date.now());
  }

  /** Plans one date (default: today where the worker runs) for every tenant; the cron job does this each night. */
  async planDay(date?: string): Promise<void> {
    await this.planner.add('plan-day', { kind: 'plan-day', ...(date ? { date } : {}) }, date ? { jobId: JobKeys.planDayJobId(date) } : {});
  }

  async send(tenant: string, batch: string, messages: OutboundMessage[]): Promise<void> {
    return storeCall(async () => {
      if (messages.length === 0) return;
      await this.ledgerStore.register(tenant, batch, messages);
      const queuedAt = Date.now();
      const due = spreadBatch(messages);
      // The first few go in on their own, so the workers start sending while the rest of a large batch is queued.
      for (let i = 0; i < due.length; i = i === 0 ? FIRST_JOBS : i + JOBS_PER_ADD) {
        const now = Date.now();
        await this.deliveries.addBulk(
          due.slice(i, i === 0 ? FIRST_JOBS : i + JOBS_PER_ADD).map(({ message: m, dueMs }) => {
            const delay = Math.round(queuedAt + dueMs - now);
            return {
              name: 'deliver',
              data: { tenant, batch, key: m.key, target: m.target, card: m.card, lang: m.lang },
              opts: { ...this.deliveryOpts, jobId: JobKeys.deliveryJobId(tenant, m.key), ...(delay > 0 ? { delay } : {}) },
            };
          }),
        );
      }
    });
  }

  ledger(tenant: string, batch: string): Promise<LedgerEntry[]> {
    return storeCall(() => this.ledgerStore.entries(tenant, batch));
  }

  /**
   * Queues the batch's failed messages again, each with its attempts and its 429 count reset. The ledger
   * entry goes back to `pending` keeping `mayBePosted`, so a message an earlier attempt may have posted
   * (an answer lost, a job that stalled too often) is looked up before it is posted again.
   */
  async retryFailed(tenant: string, batch: string): Promise<number> {
    return storeCall(async () => {
      let queued = 0;
      for (const e of await this.ledgerStore.entries(tenant, batch)) {
        if (e.state !== 'failed') continue;
        const job = await this.deliveries.getJob(JobKeys.deliveryJobId(tenant, e.key));
        if (!job || !(await job.isFailed())) continue;
        await this.ledgerStore.pending(tenant, batch, e.key, 'retry requested');
        // A message that failed after 25 429s would otherwise fail again at its first 429.
        const { rateLimited: _hits, slotAt: _slot, ...data } = job.data;
        if (_hits !== undefined || _slot !== undefined) await job.updateData(data);
        await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
        queued++;
      }
      return queued;
    });
  }

  /**
   * Waits until the queues have nothing left to do soon: no plan, reminder or delivery waiting or running, and
   * none delayed to within `soonMs` (a future reminder is not waited for). A change's re-plan queues reminders
   * and a reminder queues deliveries, so it takes a few quiet looks in a row. Gives up after `timeoutMs`; says
   * whether it settled. The console calls it at the end of piped input, so the notices of its last commands show.
   */
  async settled(opts: { soonMs?: number; timeoutMs?: number; pollMs?: number } = {}): Promise<boolean> {
    const soon = opts.soonMs ?? 5_000;
    const deadline = Date.now() + (opts.timeoutMs ?? 15_000);
    const poll = opts.pollMs ?? 50;
    // A delayed job counts when it is due soon: a future reminder or tomorrow's nightly plan does not. A job moved
    // back to delayed (a busy project, a send held for its pace) has its delay from the move, so it counts as sooner
    // than it is, which only waits longer.
    const busy = async (q: Queue): Promise<boolean> => {
      const { delayed = 0, ...rest } = await q.getJobCounts('waiting', 'active', 'prioritized', 'waiting-children', 'delayed');
      if (Object.values(rest).some((n) => n > 0)) return true;
      if (delayed === 0) return false;
      const jobs = (await q.getDelayed(0, 200)) as Array<{ timestamp: number; delay: number }>;
      return jobs.some((j) => j.timestamp + j.delay <= Date.now() + soon);
    };
    let quiet = 0;
    while (Date.now() < deadline) {
      const any = await Promise.all([busy(this.planner), busy(this.reminders), busy(this.deliveries)]);
      quiet = any.some(Boolean) ? 0 : quiet + 1;
      if (quiet >= 3) return true;
      await new Promise((r) => setTimeout(r, poll));
    }
    return false;
  }

  /** Closes the queues (not the Redis connection, which the caller owns). */
  async close(): Promise<void> {
    await Promise.all([this.planner.close(), this.reminders.close(), this.deliveries.close()]);
  }
}

/** The web side of the jobs layer: queues to enqueue on; call close() on shutdown. */
export function createQueues(deps: QueueDeps): JobQueues {
  return new JobQueues(deps);
}
