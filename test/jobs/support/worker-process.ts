/**
 * A worker process for the kill tests, run as `node --import tsx worker-process.ts` with REDIS_URL,
 * LV_PREFIX and FAKE_NS set: lv-bot's workers with a fake Slack API kept in Redis (so the test, and the
 * next worker process, see what it posted). Prints "ready" once its workers run; on SIGTERM it closes
 * them gracefully (active jobs finish) and exits 0.
 */
import { adapterFor } from './recording-chat.js';
import { RedisChatPort } from './redis-chat.js';
import { env, runWorkerProcess } from './worker-main.js';

await runWorkerProcess({
  adapters: (redis) => [
    adapterFor(
      new RedisChatPort(redis, env('FAKE_NS'), 'slack', {
        rateLimitEvery: 5,
        retryAfterMs: 150,
        latencyMs: Number(process.env.FAKE_LATENCY_MS ?? 25),
      }),
    ),
  ],
});
