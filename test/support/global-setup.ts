import type { TestProject } from 'vitest/node';
import { startTestRedis } from './redis-server.js';

let stopRedis: (() => Promise<void>) | undefined;

/** Vitest globalSetup: starts the shared throwaway Redis once and provides its URL as 'redisUrl'. */
export async function setup(project: TestProject): Promise<void> {
  const { url, stop } = await startTestRedis();
  stopRedis = stop;
  project.provide('redisUrl', url);
}

/** Vitest globalTeardown: stops the shared Redis after all test files ran. */
export async function teardown(): Promise<void> {
  await stopRedis?.();
}
