import { defineConfig } from 'vitest/config';

// Tests run against the sources of core, the conformance kit and the reference cpu backend, so
// they don't wait for a build; the aliases also make every package register into the same core.
const src = (pkg: string) => new URL(`../${pkg}/src/index.ts`, import.meta.url).pathname;

export default defineConfig({
  resolve: {
    alias: {
      '@surrograd/core': src('core'),
      '@surrograd/conformance': src('conformance'),
      '@surrograd/backend-cpu': src('backend-cpu'),
    },
  },
  test: { testTimeout: 180_000 },
});
