import { defineConfig } from 'vitest/config';

/** Test runner config: one shared throwaway Redis via globalSetup, generous timeouts for real I/O. */
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
