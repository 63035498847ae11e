import { defineConfig } from 'vitest/config';

// Packing, npm installs and tsc runs are slow on a loaded 2-core machine; one file at a time keeps
// the two test files from packing the same package into the same place at once.
export default defineConfig({
  test: { include: ['test/**/*.test.mjs'], fileParallelism: false, testTimeout: 600_000, hookTimeout: 600_000 },
});
