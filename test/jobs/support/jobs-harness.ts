import type { Job } from 'bullmq';
import type { Tuning } from '../../../app/compose.js';
import { WorkingDayCalendar } from '../../../src/domain/calendar.js';
import type { Platform } from '../../../src/domain/types.js';
import type { Reply } from '../../../messages/card.js';
import { createQueues } from '../../../jobs/job-queues.js';
import { startWorkers, type RunningWorkers } from '../../../jobs/job-workers.js';
import { RedisStore } from '../../../src/infra/redis/redis-store.js';
import { systemClock } from '../../../src/ports/clock.js';
import type { ReminderJobData } from '../../../jobs/project-planner.js';
import { TestClock } from '../../support/bot-harness.js';
import { composeOnTestRedis } from '../../support/composed.js';
import { freshRedis, type FreshRedis } from '../../support/redis.js';
import { adapterFor, RecordingChatPort } from './recording-chat.js';
import { waitFor } from './wait.js';

/** The calendar every jobs test uses. */
export const calendar = new WorkingDayCalendar();

/** Helsinki wall-clock "YYYY-MM-DD HH:mm" of an instant, for assertions. */
export function helsinki(instant: string | Date): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Europe/Helsinki',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(instant));
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}

/** lv-bot composed on the test Redis under a fresh prefix, workers running, its one platform a recording chat (`chat`, or a new one). */
export async function jobsHarness(
  opts: { now: Date; platform?: Platform; workers?: Tuning['workers']; fresh?: FreshRedis; chat?: RecordingChatPort } = { now: new Date() },
) {
  const fresh = opts.fresh ?? freshRedis();
  const clock = new TestClock(opts.now);
  const platform = opts.platform ?? 'console';
  const chat = opts.chat ?? new RecordingChatPort(platform);
  const { app } = await composeOnTestRedis(
    {},
    {
      fresh,
      clock,
      adapters: [adapterFor(chat)],
      tune: { queues: { retry: { baseDelayMs: 20 } }, ...(opts.workers ? { workers: opts.workers } : {}) },
    },
  );
  await app.start();
  const running: RunningWorkers = app.workers!;
  const { store, queues, bot } = app;
  const base = (user: string) => ({ actor: { tenant: 'T1', userId: user, name: user, platform }, channel: { platform, id: 'C1' } });

  /** Waits until nothing is waiting, running or (deliveries, plans) delayed: the planned reminders may stay delayed. */
  async function idle(): Promise<void> {
    let quiet = 0;
    await waitFor(
      'the queues to drain',
      async () => {
        const [p, r, d] = await Promise.all([
          queues.planner.getJobCounts('waiting', 'active', 'delayed', 'prioritized'),
          queues.reminders.getJobCounts('waiting', 'active', 'prioritized'),
          queues.deliveries.getJobCounts('waiting', 'active', 'delayed', 'prioritized'),
        ]);
        const busy = [p, r, d].some((c) => Object.values(c).some((n) => n > 0));
        quiet = busy ? 0 : quiet + 1;
        return quiet >= 3;
      },
      20_000,
      20,
    );
  }

  return {
    fresh,
    store,
    clock,
    chat,
    running,
    queues,
    bot,
    say(user: string, text: string): Promise<Reply> {
      return bot.handle({ ...base(user), input: { kind: 'text', text } });
    },
    click(user: string, action: string, value: string, fields?: Record<string, string>): Promise<Reply> {
      return bot.handle({ ...base(user), input: { kind: 'action', action, value, ...(fields ? { fields } : {}) } });
    },
    async projectId(): Promise<string> {
      const id = await store.projectIdFor('T1', { platform, id: 'C1' });
      if (!id) throw new Error('no project in C1');
      return id;
    },
    /** Sets the clock to a Helsinki wall-clock time. */
    at(date: string, time: string): Date {
      clock.current = calendar.at(date, time);
      return clock.current;
    },
    /** Plans a date as the nightly job does (at 00:05 Helsinki that day) and waits for the plan to finish. */
    async planDay(date: string, time = '00:05'): Promise<void> {
      clock.current = calendar.at(date, time);
      await queues.planDay(date);
      await idle();
    },
    /** The reminder jobs waiting for their time. */
    async delayed(): Promise<Array<Job<ReminderJobData>>> {
      return (await queues.reminders.getDelayed()) as Array<Job<ReminderJobData>>;
    },
    /** Moves the clock to a Helsinki time and runs every planned reminder due by then (promoted, not waited for). */
    async runUntil(date: string, time: string): Promise<void> {
      clock.current = calendar.at(date, time);
      for (const job of (await queues.reminders.getDelayed()) as Array<Job<ReminderJobData>>) {
        // A job listed here can be gone by the time it is promoted: a re-plan of a change just made removed or replaced it.
        if (Date.parse(job.data.at) <= clock.current.getTime())
          await job.promote().catch((e: unknown) => {
            if (!String(e).includes('is not in the delayed state')) throw e;
          });
      }
      await idle();
    },
    idle,
    async close(): Promise<void> {
      await app.stop();
      await fresh.cleanup();
    },
  };
}

/** The harness's type. */
export type JobsHarness = Awaited<ReturnType<typeof jobsHarness>>;

/**
 * The delivery engine alone on a fresh Redis prefix: workers whose one platform is `chat`, and the queues a web
 * process sends batches with. Each piece is stopped by `cleanups`, last started first.
 */
export async function deliveryEngine(chat: RecordingChatPort, cleanups: Array<() => Promise<void>>) {
  const f = freshRedis();
  cleanups.push(() => f.cleanup());
  const workers = await startWorkers({
    redis: f.redis,
    prefix: f.prefix,
    store: new RedisStore(f.redis, f.prefix),
    clock: systemClock,
    calendar,
    dailyPlan: false,
    chats: new Map([[chat.platform, chat]]),
  });
  cleanups.push(() => workers.close());
  const queues = createQueues({ redis: f.redis, prefix: f.prefix });
  cleanups.push(() => queues.close());
  return { workers, queues };
}
