import { defineConfig } from 'vitest/config';

/**
 * The cluster's fault tests (e2e/cluster/): 3 Préau nodes behind nginx on their own PostgreSQL
 * and Redis, killed and restarted under load. One file, one test at a time.
 */
export default defineConfig({
  test: {
    include: ['e2e/cluster/**/*.cluster.ts'],
    environment: 'node',
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 300_000,
  },
});
