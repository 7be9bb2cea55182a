import { Redis } from 'ioredis';
import { EmbeddedRedis } from './embedded-redis.js';

/** A connected Redis and how to let it go: the given server, or a private one started for this run. */
export interface RedisHandle {
  redis: Redis;
  url: string;
  embedded: boolean;
  close(): Promise<void>;
}

/**
 * Connects to REDIS_URL when given; otherwise starts a private redis-server with append-only
 * persistence in `<dataDir>/redis`, so a single machine needs nothing else installed.
 */
export async function connectRedis(url: string | undefined, dataDir: string): Promise<RedisHandle> {
  let embedded: EmbeddedRedis | undefined;
  let target = url;
  if (!target) {
    embedded = new EmbeddedRedis({ dataDir: `${dataDir}/redis`, persistence: 'aof' });
    target = (await embedded.start()).url;
  }
  const redis = new Redis(target, { maxRetriesPerRequest: 2, enableOfflineQueue: true, connectTimeout: 5_000 });
  await redis.ping();
  return {
    redis,
    url: target,
    embedded: Boolean(embedded),
    async close() {
      await redis.quit().catch(() => redis.disconnect());
      await embedded?.stop();
    },
  };
}
