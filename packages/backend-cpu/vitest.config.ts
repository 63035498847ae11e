import { defineConfig } from 'vitest/config';

// Tests run against core's sources, so they don't wait for core to be built.
export default defineConfig({
  resolve: { alias: { '@surrograd/core': new URL('../core/src/index.ts', import.meta.url).pathname } },
});
