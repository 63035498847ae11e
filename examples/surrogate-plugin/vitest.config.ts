import { defineConfig } from 'vitest/config';

// No aliases: the tests import @surrograd/* as a plugin's users do, through the packages' exports
// (built first by turbo's build task), so the plugin, the backend and the kit share one core.
export default defineConfig({ test: { testTimeout: 30_000 } });
