import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
    environment: 'node',
    // tfjs training tests are CPU-bound; a 2-core machine needs the headroom.
    testTimeout: 120_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
