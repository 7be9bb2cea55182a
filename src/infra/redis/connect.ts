import { DataFolderLock } from './data-folder-lock.js';
import { EmbeddedRedis } from './embedded-redis.js';
import type { RedisOptions } from 'ioredis';
import type { Logger } from '../../ports/logger.js';
import { createRedisClient, type RedisClient } from './redis-client.js';

/**
 * The app connection's options, chosen so a Redis that goes away never makes a person wait long and its
 * return needs no restart of the bot: a command sent while Redis is down waits for one reconnect attempt
 * (`maxRetriesPerRequest: 1`; attempts every 100 to 500 ms, never given up: about a second in all), then fails, and the bot answers
 * "temporarily unavailable"; a Redis that accepts the connection but does not answer fails a command after
 * `commandTimeout`. BullMQ workers duplicate this connection with `maxRetriesPerRequest: null` and no
 * command timeout, since they block and must wait out an outage (jobs/job-workers.ts).
 */
export const RESILIENT_REDIS_OPTIONS: RedisOptions = {
  maxRetriesPerRequest: 1,
  enableOfflineQueue: true, // queued while reconnecting, failed after one retry: no hang, and no error on a blip
  connectTimeout: 5_000,
  commandTimeout: 5_000,
  retryStrategy: (times: number) => Math.min(100 * times, 500),
};

/** A connected Redis and how to let it go: the given server, or a private one started for this run. */
export interface RedisHandle {
  /** One Redis, or a Redis Cluster when the URL is `redis+cluster://…`. */
  redis: RedisClient;
  url: string;
  embedded: boolean;
  close(): Promise<void>;
}

/**
 * Connects to REDIS_URL when given (a `redis+cluster://` URL connects to a cluster); otherwise starts a private redis-server with append-only
 * persistence in `<dataDir>/redis`, so a single machine needs nothing else installed. The folder is locked first (DataFolderLock): a second
 * start on it is refused while the first runs, and a start after a `kill -9` stops the dead bot's redis-server before starting its own.
 */
export async function connectRedis(url: string | undefined, dataDir: string, log?: Pick<Logger, 'warn' | 'info'>): Promise<RedisHandle> {
  let embedded: EmbeddedRedis | undefined;
  let lock: DataFolderLock | undefined;
  let target = url;
  if (!target) {
    const dir = `${dataDir}/redis`;
    const held = await DataFolderLock.acquire(dir, { folder: dataDir, ...(log ? { log } : {}) });
    lock = held;
    embedded = new EmbeddedRedis({
      dataDir: dir,
      persistence: 'aof',
      dieWithParent: true,
      onSpawn: (pid, port) => held.recordRedis(pid, port),
    });
    try {
      target = (await embedded.start()).url;
    } catch (e) {
      held.release();
      throw e;
    }
  }
  const redis = createRedisClient(target, RESILIENT_REDIS_OPTIONS);
  // One line when Redis goes away and one when it is back, not one per reconnect attempt.
  let down = false;
  redis.on('error', (err: Error) => {
    if (down) return;
    down = true;
    log?.warn({ err }, 'redis unreachable: people are told the bot is temporarily unavailable until it is back');
  });
  redis.on('ready', () => {
    if (!down) return;
    down = false;
    log?.info({}, 'redis reachable again');
  });
  await redis.ping();
  return {
    redis,
    url: target,
    embedded: Boolean(embedded),
    async close() {
      await redis.quit().catch(() => redis.disconnect());
      await embedded?.stop();
      lock?.release();
    },
  };
}
