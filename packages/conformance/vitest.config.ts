import { defineConfig } from 'vitest/config';

// Tests run against core's and backend-cpu's sources, so they don't wait for a build. Both
// aliases are needed: the backend must register into the same core module the kit imports.
export default defineConfig({
  resolve: {
    alias: {
      '@surrograd/core': new URL('../core/src/index.ts', import.meta.url).pathname,
      '@surrograd/backend-cpu': new URL('../backend-cpu/src/index.ts', import.meta.url).pathname,
    },
  },
  test: { testTimeout: 180_000 },
});
