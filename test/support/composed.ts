import { compose, type ComposeOptions, type Composed } from '../../app/compose.js';
import { loadConfig } from '../../src/config.js';
import { freshRedis, type FreshRedis } from './redis.js';

/** A composed lv-bot on the test Redis under a fresh key prefix, and how to take it down again. */
export interface ComposedOnTestRedis {
  app: Composed;
  fresh: FreshRedis;
  /** Stops the app, then (unless the caller gave the Redis) deletes its keys and closes the connection. */
  cleanup(): Promise<void>;
}

/**
 * Composes lv-bot exactly as `npm start` does (app/compose.ts), from an environment of the test's choosing,
 * on the run's throwaway Redis: no nightly plan, HTTP on a free loopback port. Not started: call app.start().
 */
export async function composeOnTestRedis(
  env: Record<string, string | undefined> = {},
  options: Omit<ComposeOptions, 'redis'> & { fresh?: FreshRedis } = {},
): Promise<ComposedOnTestRedis> {
  const { fresh: given, ...rest } = options;
  const fresh = given ?? freshRedis();
  const config = loadConfig({
    LV_REDIS_PREFIX: fresh.prefix,
    LV_DAILY_PLAN: 'off',
    HOST: '127.0.0.1',
    PORT: '0',
    NODE_ENV: 'test',
    ...env,
  });
  const app = await compose(config, { ...rest, redis: fresh.redis });
  return {
    app,
    fresh,
    async cleanup() {
      await app.stop();
      if (!given) await fresh.cleanup();
    },
  };
}
