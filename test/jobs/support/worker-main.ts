/**
 * The part every worker child process of the kill tests shares: its environment, its Redis, lv-bot composed
 * as `npm run worker` composes it with short lock and stall times, "ready" on stdout once the workers run,
 * and a graceful stop on SIGTERM (active jobs finish, then exit 0). Each script only says which platform its
 * deliveries go through: one the config names, or a fake adapter of its own.
 */
import { compose, type Tuning } from '../../../app/compose.js';
import { loadConfig } from '../../../src/config.js';
import { createRedisClient, type RedisClient } from '../../../src/infra/redis/redis-client.js';
import type { ChatAdapter } from '../../../src/ports/chat-adapter.js';

/** A required variable of the child's environment. */
export const env = (name: string): string => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
};

/**
 * Runs a worker process: `env` adds to its configuration (LV_ADAPTERS and the platform's settings), or
 * `adapters` gives its platform; `tune` adds adapter settings. LV_MAX_STALLED in the environment sets how
 * often a delivery may stall before it fails (a test of that path sets 0).
 */
export async function runWorkerProcess(o: {
  env?: Record<string, string>;
  adapters?: (redis: RedisClient) => ChatAdapter[];
  tune?: Pick<Tuning, 'slack' | 'teams'>;
}): Promise<void> {
  const redis = createRedisClient(env('REDIS_URL'));
  const config = loadConfig({ REDIS_URL: env('REDIS_URL'), LV_REDIS_PREFIX: env('LV_PREFIX'), LV_DAILY_PLAN: 'off', ...(o.env ?? {}) });
  const app = await compose(config, {
    role: 'worker',
    redis,
    ...(o.adapters ? { adapters: o.adapters(redis) } : {}),
    tune: {
      queues: { retry: { baseDelayMs: 50 } },
      workers: {
        lockDurationMs: 1_500,
        stalledIntervalMs: 500,
        ...(process.env.LV_MAX_STALLED ? { maxStalledCount: Number(process.env.LV_MAX_STALLED) } : {}),
      },
      ...(o.tune ?? {}),
    },
  });
  await app.start();
  process.once('SIGTERM', () => {
    void app.stop().then(async () => {
      await redis.quit();
      process.exit(0);
    });
  });
  process.stdout.write('ready\n');
}
