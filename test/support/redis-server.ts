import { EmbeddedRedis } from '../../src/infra/redis/embedded-redis.js';

declare module 'vitest' {
  /** Values handed from globalSetup to test workers via provide/inject. */
  export interface ProvidedContext {
    redisUrl: string;
  }
}

/** Starts the one throwaway, non-persistent Redis shared by a whole test run (never the developer's :6379). */
export async function startTestRedis(): Promise<{ url: string; stop: () => Promise<void> }> {
  const server = new EmbeddedRedis({ persistence: 'none' });
  const { url } = await server.start();
  return { url, stop: () => server.stop() };
}
