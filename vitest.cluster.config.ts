import { defineConfig } from 'vitest/config';

/**
 * `npm run test:cluster`: the store, queue and delivery tests on a throwaway three-node Redis Cluster on
 * loopback, proving every atomic step keeps its keys in one hash slot.
 */
export default defineConfig({
  test: {
    include: ['test/use-cases/**/*.test.ts', 'test/exports/**/*.test.ts', 'test/jobs/**/*.test.ts'],
    globalSetup: ['test/support/global-setup-cluster.ts'],
    testTimeout: 30_000,
    hookTimeout: 40_000,
    pool: 'forks',
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
