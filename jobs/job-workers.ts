import { Worker, type Job } from 'bullmq';
import type { Cluster, Redis } from 'ioredis';
import type { WorkingDayCalendar } from '../src/domain/calendar.js';
import { HELSINKI } from '../src/domain/calendar.js';
import type { Platform } from '../src/domain/types.js';
import type { Clock } from '../src/ports/clock.js';
import { duplicateClient } from '../src/infra/redis/redis-client.js';
import { withLogIds } from '../src/infra/log-context.js';
import type { Logger } from '../src/ports/logger.js';
import type { ProjectStore } from '../src/ports/store.js';
import { ProactiveMessages } from '../src/use-cases/proactive-messages.js';
import { AnnouncementReports } from './announcement-reports.js';
import { backoffStrategy } from './backoff.js';
import { ConversationLimiter, type RateWindow } from './conversation-limiter.js';
import type { ChatRegistry } from '../src/ports/chat.js';
import type { Metrics } from '../src/ports/metrics.js';
import { DeliveryProcessor } from './delivery-processor.js';
import { JobQueues, type DeliveryJobData, type PlannerJobData, type QueueDeps } from './job-queues.js';
import { QUEUE_NAMES } from './job-keys.js';
import { PlannerProcessor } from './planner-processor.js';
import { ProjectPlanner, type ReminderJobData } from './project-planner.js';
import { ReminderProcessor } from './reminder-processor.js';
import { TrainingNotices } from './training-notices.js';

/** Everything a worker process needs, wired by the composition root. */
export interface WorkerDeps extends QueueDeps {
  store: ProjectStore;
  clock: Clock;
  calendar: WorkingDayCalendar;
  /** The ChatPort of each platform; the adapters provide them. */
  chats: ChatRegistry;
  /** Counts of delivery outcomes for the operator. */
  metrics?: Metrics;
  /** Override the platforms' pace (tests); defaults are Slack's and Teams' documented limits. */
  limits?: Partial<Record<Platform, readonly RateWindow[]>>;
  concurrency?: { planner?: number; reminders?: number; deliveries?: number };
  /** BullMQ's job lock: a job whose worker stops renewing it (killed) is handed to another after this long. */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  /** How often a delivery may be handed back after its worker stopped renewing its lock before it fails (default 3). */
  maxStalledCount?: number;
  /** The nightly plan's cron pattern in Helsinki time (default 00:05), or false for none (tests plan by hand). */
  dailyPlan?: string | false;
  lateToleranceMs?: number;
}

/** Running workers: the queues they serve, and a graceful stop. */
export interface RunningWorkers {
  queues: JobQueues;
  workers: Worker[];
  planner: ProjectPlanner;
  /** Stops taking jobs, lets active ones finish (SIGTERM handling), then closes queues and connections. */
  close(): Promise<void>;
}

/**
 * Runs a processor as one unit of work, so every line logged while it handles a job carries the job's
 * queue and id; at debug level each job also says when it starts and how it ended (failures are warned
 * about by the worker's failed event).
 */
function asJob<D, R>(
  queue: string,
  run: (job: Job<D>, token?: string) => Promise<R>,
  log?: Logger,
): (job: Job<D>, token?: string) => Promise<R> {
  return (job, token) =>
    withLogIds({ queue, jobId: job.id ?? 'unknown' }, async () => {
      const started = performance.now();
      log?.debug?.({ name: job.name, attempt: job.attemptsMade + 1 }, 'job started');
      const result = await run(job, token);
      log?.debug?.({ name: job.name, ms: Math.round(performance.now() - started) }, 'job done');
      return result;
    });
}

/** The daily plan's job scheduler id: one schedule however many worker processes upsert it. */
export const DAILY_PLAN_ID = 'daily-plan';

/**
 * Starts the planner, reminder and delivery workers of one process. Any number of processes may run
 * them on one Redis: job ids, the plan lock and the delivery ledger keep every effect single.
 */
export async function startWorkers(deps: WorkerDeps): Promise<RunningWorkers> {
  const queues = new JobQueues(deps);
  const messages = new ProactiveMessages({ store: deps.store, calendar: deps.calendar, chats: deps.chats });
  const notices = new TrainingNotices(deps.redis, queues.keys, deps.calendar, messages, queues);
  const planner = new ProjectPlanner({
    ...deps,
    queues,
    notices,
    ...(deps.lateToleranceMs !== undefined ? { lateToleranceMs: deps.lateToleranceMs } : {}),
  });
  const plannerProcessor = new PlannerProcessor({ ...deps, queues, planner });
  const reminderProcessor = new ReminderProcessor({ ...deps, messages, deliveries: queues, keys: queues.keys });
  const deliveryProcessor = new DeliveryProcessor({
    chats: deps.chats,
    ledger: queues.ledgerStore,
    limiter: new ConversationLimiter(deps.redis, queues.keys, deps.limits),
    ...(deps.log ? { log: deps.log } : {}),
    ...(deps.metrics ? { metrics: deps.metrics } : {}),
  });

  // Workers block on their own connections, which must retry forever (maxRetriesPerRequest: null) and
  // have no command timeout (a blocking pop waits longer); on a cluster each is a Cluster client of its
  // own, as BullMQ's blocking commands need.
  const connections: Array<Redis | Cluster> = [];
  const connection = () => {
    const c = duplicateClient(deps.redis, { maxRetriesPerRequest: null, commandTimeout: undefined });
    connections.push(c);
    return c;
  };
  const common = {
    prefix: queues.keys.bullPrefix,
    settings: { backoffStrategy },
    ...(deps.lockDurationMs ? { lockDuration: deps.lockDurationMs } : {}),
    ...(deps.stalledIntervalMs ? { stalledInterval: deps.stalledIntervalMs } : {}),
  };
  const workers = [
    new Worker<PlannerJobData>(
      QUEUE_NAMES.planner,
      asJob(QUEUE_NAMES.planner, (job: Job<PlannerJobData>, token?: string) => plannerProcessor.process(job, token), deps.log),
      { ...common, connection: connection(), concurrency: deps.concurrency?.planner ?? 8 },
    ),
    new Worker<ReminderJobData>(
      QUEUE_NAMES.reminders,
      asJob(QUEUE_NAMES.reminders, (job: Job<ReminderJobData>) => reminderProcessor.process(job), deps.log),
      { ...common, connection: connection(), concurrency: deps.concurrency?.reminders ?? 5 },
    ),
    // A delivery may outlive a killed worker more than once before it is given up on.
    new Worker<DeliveryJobData>(
      QUEUE_NAMES.deliveries,
      asJob(QUEUE_NAMES.deliveries, (job: Job<DeliveryJobData>, token?: string) => deliveryProcessor.process(job, token), deps.log),
      { ...common, connection: connection(), concurrency: deps.concurrency?.deliveries ?? 10, maxStalledCount: deps.maxStalledCount ?? 3 },
    ),
  ];
  // A delivery BullMQ gives up on outside the processor still gets its ledger entry: one that stalled too
  // often is failed by the next worker that takes it, with an UnrecoverableError, before the processor runs.
  // The entry keeps `mayBePosted` (the stalled run may have posted), so `comms retry` looks before it posts.
  // Once every message of an announcement has ended, its report goes to the project's conversation.
  const reports = new AnnouncementReports(deps.store, queues, deps.log, (tenant, batch) => queues.ledgerStore.open(tenant, batch));
  workers[2]!.on('completed', (job) => {
    const d = job.data as DeliveryJobData;
    void reports.settled(d.tenant, d.batch);
  });
  workers[2]!.on('failed', (job, err) => {
    if (!job) return;
    const d = job.data as DeliveryJobData;
    if (!(err.name === 'UnrecoverableError' || /stalled more than/i.test(err.message))) return void reports.settled(d.tenant, d.batch);
    void queues.ledgerStore
      .get(d.tenant, d.batch, d.key)
      .then((e) =>
        e && e.state !== 'sent' && e.state !== 'failed' ? queues.ledgerStore.failed(d.tenant, d.batch, d.key, err.message) : undefined,
      )
      .then(() => reports.settled(d.tenant, d.batch))
      .catch((e2: unknown) => deps.log?.error({ err: e2 }, 'could not record a failed delivery'));
  });
  for (const w of workers) {
    w.on('failed', (job, err) => withLogIds({ queue: w.name, jobId: job?.id ?? 'unknown' }, () => deps.log?.warn({ err }, 'job failed')));
    w.on('error', (err) => deps.log?.error({ queue: w.name, err }, 'worker error'));
  }
  await Promise.all(workers.map((w) => w.waitUntilReady()));
  if (deps.dailyPlan !== false) {
    await queues.planner.upsertJobScheduler(
      DAILY_PLAN_ID,
      { pattern: deps.dailyPlan ?? '5 0 * * *', tz: HELSINKI },
      { name: 'plan-day', data: { kind: 'plan-day' } },
    );
    // Tenants whose projects predate the tenants index join it once, at start.
    await deps.store.tenants(true);
  }
  let closing: Promise<void> | undefined;
  return {
    queues,
    workers,
    planner,
    close() {
      closing ??= (async () => {
        await Promise.all(workers.map((w) => w.close()));
        await queues.close();
        await Promise.all(connections.map((c) => c.quit().catch(() => c.disconnect())));
      })();
      return closing;
    },
  };
}
