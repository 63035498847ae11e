import { defineConfig } from 'vitest/config';

// Node 20 (V8 11.3) has relaxed SIMD only behind a flag; the wasm backend picks its plain SIMD build then.
export default defineConfig({
  test: { testTimeout: 120_000 },
});
