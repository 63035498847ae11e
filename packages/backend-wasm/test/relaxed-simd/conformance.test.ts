/**
 * The whole kit on the relaxed-SIMD build (matmul's fused multiply-add), which runtimes with
 * relaxed SIMD load by default. This project runs with the flag Node 20 needs for it.
 */
import '../../src/index.js';
import { runConformance } from '@surrograd/conformance';
import { currentBackend, setBackend } from '@surrograd/core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { WasmBackend } from '../../src/index.js';

describe('relaxed SIMD build', () => {
  beforeAll(async () => {
    await setBackend('wasm');
  });
  it('is the build this runtime loads', () => {
    expect((currentBackend() as WasmBackend).variant).toBe('relaxed-simd');
  });
});

runConformance({ backend: 'wasm', inPlaceKernels: true });
