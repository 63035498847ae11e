import { defineConfig } from 'vitest/config';

// The CLI tests run the built CLI (dist/), so `pnpm test` builds first (turbo's test depends on build).
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
