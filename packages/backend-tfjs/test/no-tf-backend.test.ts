// No TensorFlow.js backend imported in this file (vitest gives each file its own modules):
// setBackend('tfjs') must fail there, naming the packages, and leave the current backend usable.
import '@surrograd/backend-cpu';
import { getBackend, setBackend, tensor } from '@surrograd/core';
import { describe, expect, it } from 'vitest';
import '../src/index.js';

describe("setBackend('tfjs') without a TensorFlow.js backend", () => {
  it('fails in setBackend, naming the packages to import', async () => {
    await setBackend('cpu');
    await expect(setBackend('tfjs')).rejects.toThrow(
      "setBackend('tfjs'): TensorFlow.js has no backend registered. Import one first: '@tensorflow/tfjs-backend-cpu', '@tensorflow/tfjs-backend-wasm'",
    );
    expect(getBackend()).toBe('cpu');
    const t = tensor([1, 2]);
    expect(Array.from(await t.add(1).data())).toEqual([2, 3]);
  });
});
