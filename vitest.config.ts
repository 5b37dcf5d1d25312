import { defineConfig } from 'vitest/config';

// Simulation tests are CPU-bound; two cores, so keep forks few and timeouts generous.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'bench/**/*.test.ts', 'bin/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    globalSetup: ['./vitest.global-setup.ts'],
  },
});
