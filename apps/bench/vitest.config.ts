import { defineConfig } from 'vitest/config';

// The test runs the built CLI in a child process (turbo builds before testing), so the backends
// and core load from their dist as a user's run does: nothing here aliases sources.
export default defineConfig({
  test: { testTimeout: 300_000 },
});
