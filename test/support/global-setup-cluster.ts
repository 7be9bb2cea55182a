import type { TestProject } from 'vitest/node';
import { startTestCluster } from './redis-server.js';

let stopCluster: (() => Promise<void>) | undefined;

/** Vitest globalSetup of `npm run test:cluster`: a throwaway three-node Redis Cluster, provided as 'redisUrl' (`redis+cluster://…`). */
export async function setup(project: TestProject): Promise<void> {
  const { url, stop } = await startTestCluster();
  stopCluster = stop;
  project.provide('redisUrl', url);
}

/** Vitest globalTeardown: stops the cluster's nodes and removes their node files. */
export async function teardown(): Promise<void> {
  await stopCluster?.();
}
