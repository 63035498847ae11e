import { defineConfig } from 'vitest/config';

// The CLI tests run the built CLI (dist/), so `pnpm test` builds first (turbo's test depends on build).
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
