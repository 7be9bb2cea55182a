import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { inject } from 'vitest';
import type {} from './redis-server.js'; // brings in the ProvidedContext augmentation

/** A per-test Redis client plus a unique key namespace, so tests share one server without FLUSHALL. */
export interface FreshRedis {
  redis: Redis;
  prefix: string;
  cleanup(): Promise<void>;
}

/** Connects to the run's shared throwaway Redis; cleanup() deletes only keys containing this test's prefix. */
export function freshRedis(): FreshRedis {
  const redis = new Redis(inject('redisUrl'));
  const prefix = `t${randomUUID()}`;
  return {
    redis,
    prefix,
    async cleanup() {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `*${prefix}*`, 'COUNT', 500);
        cursor = next;
        if (keys.length > 0) await redis.del(...keys);
      } while (cursor !== '0');
      await redis.quit();
    },
  };
}
