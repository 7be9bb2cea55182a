/**
 * The part every worker child process of the kill tests shares: its environment, its Redis, the real
 * startWorkers with short lock and stall times, "ready" on stdout once they run, and a graceful close on
 * SIGTERM (active jobs finish, then exit 0). Each script only says which chat its deliveries go through.
 */
import type { Cluster, Redis } from 'ioredis';
import { WorkingDayCalendar } from '../../../src/domain/calendar.js';
import { createRedisClient } from '../../../src/infra/redis/redis-client.js';
import { RedisStore } from '../../../src/infra/redis/redis-store.js';
import { systemClock } from '../../../src/ports/clock.js';
import type { ChatPort } from '../../../src/ports/chat.js';
import { startWorkers } from '../../../jobs/job-workers.js';

/** A required variable of the child's environment. */
export const env = (name: string): string => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
};

/** What a worker script builds its chat from. */
export interface WorkerBasics {
  redis: Redis | Cluster;
  prefix: string;
  store: RedisStore;
  calendar: WorkingDayCalendar;
}

/** Runs the workers with the chat `chatFor` builds; `close` runs after the workers stopped, before Redis quits. */
export async function runWorkerProcess(chatFor: (b: WorkerBasics) => { chat: ChatPort; close?: () => Promise<unknown> }): Promise<void> {
  const redis = createRedisClient(env('REDIS_URL'));
  const prefix = env('LV_PREFIX');
  const basics: WorkerBasics = { redis, prefix, store: new RedisStore(redis, prefix), calendar: new WorkingDayCalendar() };
  const { chat, close } = chatFor(basics);
  const workers = await startWorkers({
    redis,
    prefix,
    store: basics.store,
    clock: systemClock,
    calendar: basics.calendar,
    chats: new Map([[chat.platform, chat]]),
    dailyPlan: false,
    lockDurationMs: 1_500,
    stalledIntervalMs: 500,
    retry: { baseDelayMs: 50 },
  });
  process.once('SIGTERM', () => {
    void workers.close().then(async () => {
      await close?.();
      await redis.quit();
      process.exit(0);
    });
  });
  process.stdout.write('ready\n');
}
