import { defineConfig } from 'vitest/config';

// Node 20 (V8 11.3) has relaxed SIMD only behind a flag; later runtimes enable it by default.
const major = Number(process.versions.node.split('.')[0]);
const relaxedSimdFlag = major < 22 ? ['--experimental-wasm-relaxed-simd'] : [];

// Tests run against core's and the kit's sources, so they don't wait for those builds. Both
// aliases are needed: the backend must register into the same core module the kit imports.
export default defineConfig({
  resolve: {
    alias: {
      '@surrograd/core': new URL('../core/src/index.ts', import.meta.url).pathname,
      '@surrograd/conformance': new URL('../conformance/src/index.ts', import.meta.url).pathname,
      '@surrograd/backend-cpu': new URL('../backend-cpu/src/index.ts', import.meta.url).pathname,
    },
  },
  test: {
    testTimeout: 180_000,
    projects: [
      // What runtimes without relaxed SIMD load: the plain SIMD build (threaded where they share memory).
      { extends: true, test: { name: 'simd', include: ['test/*.test.ts'] } },
      // The fallback for runtimes and pages without SharedArrayBuffer: plain memory, one thread.
      { extends: true, test: { name: 'single-thread', include: ['test/single-thread/*.test.ts'] } },
      // The relaxed-SIMD build (fused multiply-add in matmul), with the kit and the matmul tests.
      {
        extends: true,
        test: {
          name: 'relaxed-simd',
          include: ['test/relaxed-simd/*.test.ts', 'test/matmul-blocking.test.ts'],
          execArgv: relaxedSimdFlag,
        },
      },
    ],
  },
});
