/**
 * The whole kit on plain (unshared) memory and one thread: what a browser page without
 * cross-origin isolation gets, and any runtime without SharedArrayBuffer.
 */

import { runConformance } from '@surrograd/conformance';
import { currentBackend, setBackend } from '@surrograd/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmBackend, type WasmBackend } from '../../src/index.js';

registerWasmBackend({ name: 'wasm-plain', sharedMemory: false }, 0);

describe('the single-thread fallback', () => {
  beforeAll(async () => {
    await setBackend('wasm-plain');
  });
  it('runs on plain memory, one thread', () => {
    const backend = currentBackend() as WasmBackend;
    expect(backend.shared).toBeNull();
    expect(backend.threads).toBe(1);
    expect(backend.kernels.memory.buffer instanceof SharedArrayBuffer).toBe(false);
  });
});

runConformance({ backend: 'wasm-plain', inPlaceKernels: true });
