/** Both builds in one process: the plain one on request, and matmul agreeing between them. */
import { currentBackend, randn, setBackend, type Tensor } from '@surrograd/core';
import { describe, expect, it } from 'vitest';
import { registerWasmBackend, type WasmBackend } from '../../src/index.js';

registerWasmBackend({ name: 'wasm-plain', relaxedSimd: false }, 0);
registerWasmBackend({ name: 'wasm-relaxed' }, 0);

async function product(backend: string, m: number, k: number, n: number): Promise<{ variant: string; values: Float32Array }> {
  await setBackend(backend);
  const a = randn([m, k], { seed: m * 7 + k });
  const b = randn([n, k], { seed: n * 13 + k });
  const c: Tensor = a.matmul(b.transpose());
  const values = (await c.data()) as Float32Array;
  const variant = (currentBackend() as WasmBackend).variant;
  for (const t of [a, b, c]) t.dispose();
  return { variant, values };
}

describe('the two builds', () => {
  for (const [m, k, n] of [
    [1, 1, 1],
    [5, 13, 7],
    [128, 784, 256],
    [33, 257, 70],
  ] as const) {
    it(`agree on ${m}×${k}·${k}×${n}ᵀ within float32 rounding of the sums`, async () => {
      const plain = await product('wasm-plain', m, k, n);
      const relaxed = await product('wasm-relaxed', m, k, n);
      expect(plain.variant).toBe('simd');
      expect(relaxed.variant).toBe('relaxed-simd');
      // One rounding per multiply-add instead of two: differences scale with sqrt(k) · eps · |terms|.
      const tol = 4 * Math.sqrt(k) * 2 ** -23 * k;
      for (let i = 0; i < plain.values.length; i++) {
        const d = Math.abs((plain.values[i] as number) - (relaxed.values[i] as number));
        if (d > tol) throw new Error(`element ${i}: plain ${plain.values[i]}, relaxed ${relaxed.values[i]}`);
      }
    });
  }
});
