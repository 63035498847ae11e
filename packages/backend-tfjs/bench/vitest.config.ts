import { defineConfig, mergeConfig } from 'vitest/config';
import base from '../vitest.config.js';

// Measurements, not tests: `npx vitest run --config bench/vitest.config.ts` (TFJS_BACKEND=cpu|wasm).
export default mergeConfig(
  base,
  defineConfig({
    root: new URL('..', import.meta.url).pathname,
    test: { include: ['bench/**/*.measure.ts'], testTimeout: 600_000 },
  }),
);
