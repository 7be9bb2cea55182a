/**
 * A worker process for the kill tests, run as `node --import tsx worker-process.ts` with REDIS_URL,
 * LV_PREFIX and FAKE_NS set: the real startWorkers with a fake Slack API kept in Redis (so the test,
 * and the next worker process, see what it posted). Prints "ready" once its workers run; on SIGTERM it
 * closes them gracefully (active jobs finish) and exits 0.
 */
import { WorkingDayCalendar } from '../../../src/domain/calendar.js';
import { createRedisClient } from '../../../src/infra/redis/redis-client.js';
import { RedisStore } from '../../../src/infra/redis/redis-store.js';
import { systemClock } from '../../../src/ports/clock.js';
import { startWorkers } from '../../../jobs/job-workers.js';
import { RedisChatPort } from './redis-chat.js';

const env = (name: string): string => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
};

const redis = createRedisClient(env('REDIS_URL'));
const prefix = env('LV_PREFIX');
const chat = new RedisChatPort(redis, env('FAKE_NS'), 'slack', { rateLimitEvery: 5, retryAfterMs: 150, latencyMs: Number(process.env.FAKE_LATENCY_MS ?? 25) });
const workers = await startWorkers({
  redis,
  prefix,
  store: new RedisStore(redis, prefix),
  clock: systemClock,
  calendar: new WorkingDayCalendar(),
  chats: new Map([['slack', chat]]),
  dailyPlan: false,
  lockDurationMs: 1_500,
  stalledIntervalMs: 500,
  retry: { baseDelayMs: 50 },
});
process.once('SIGTERM', () => {
  void workers.close().then(async () => {
    await redis.quit();
    process.exit(0);
  });
});
process.stdout.write('ready\n');
