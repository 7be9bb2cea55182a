import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { createRedisClient, scanNodes, type RedisClient } from '../../src/infra/redis/redis-client.js';
import type {} from './redis-server.js'; // brings in the ProvidedContext augmentation

/** A per-test Redis client plus a unique key namespace, so tests share one server without FLUSHALL. */
export interface FreshRedis {
  /** A Redis client, or a Cluster client when the run is on a cluster (`npm run test:cluster`). */
  redis: RedisClient;
  prefix: string;
  cleanup(): Promise<void>;
}

/** A new client of the run's Redis (one server or the cluster), as another process would open: the caller quits it. */
export function testRedisClient(): RedisClient {
  return createRedisClient(inject('redisUrl'));
}

/** Connects to the run's shared throwaway Redis; cleanup() deletes only keys containing this test's prefix. */
export function freshRedis(): FreshRedis {
  const redis = testRedisClient();
  const prefix = `t${randomUUID()}`;
  return {
    redis,
    prefix,
    async cleanup() {
      // A cluster's keys are spread over its masters, and one DEL may not span slots: each node is
      // scanned and each key unlinked on its own (in one pipeline per batch).
      for (const node of scanNodes(redis)) {
        let cursor = '0';
        do {
          const [next, keys] = await node.scan(cursor, 'MATCH', `*${prefix}*`, 'COUNT', 500);
          cursor = next;
          if (keys.length > 0) {
            const pipeline = node.pipeline();
            for (const key of keys) pipeline.unlink(key);
            await pipeline.exec();
          }
        } while (cursor !== '0');
      }
      await redis.quit();
    },
  };
}
