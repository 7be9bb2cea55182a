import { EmbeddedRedis } from './embedded-redis.js';
import { createRedisClient, type RedisClient } from './redis-client.js';

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
 * persistence in `<dataDir>/redis`, so a single machine needs nothing else installed.
 */
export async function connectRedis(url: string | undefined, dataDir: string): Promise<RedisHandle> {
  let embedded: EmbeddedRedis | undefined;
  let target = url;
  if (!target) {
    embedded = new EmbeddedRedis({ dataDir: `${dataDir}/redis`, persistence: 'aof' });
    target = (await embedded.start()).url;
  }
  const redis = createRedisClient(target, { maxRetriesPerRequest: 2, enableOfflineQueue: true, connectTimeout: 5_000 });
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
