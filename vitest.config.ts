import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Browser tests poll the page for what a click changes; on a busy two-core machine a page can
    // take seconds to answer, so give each poll 15 s instead of 1 s (it returns as soon as it holds).
    expect: { poll: { timeout: 15_000 } },
    // PGlite instances are memory-hungry WASM; two cores, so keep the pool small.
    maxWorkers: 2,
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
