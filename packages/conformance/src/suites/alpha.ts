/**
 * PyTorch's `alpha` of add, sub, add_ and sub_ on every backend: values (float and int32),
 * broadcasting, gradients, tangents, and its rules (a number; an integer for int32; none for
 * bool), each error naming the op and leaving memory where it was. On backends that register the
 * optional FusedKernels.AddScaled, the fused pass must give exactly the bits of b·alpha then a +
 * that, for every alpha and non-finite value, on sizes cut into slices for threads.
 */
import { add, FusedKernels, getKernel, grad, jvp, noGrad, sub, type Tensor, tensor, tidy } from '@surrograd/core';
import { describe, expect } from 'vitest';
import { badInput, disposeAll } from '../bad-input-case.js';
import { test } from '../declare.js';
import type { KitContext } from '../options.js';
import { expectSameMemory, snapshot } from '../snapshot.js';

/** Deterministic values in [-2, 2) with zeros, ±0, ±Inf and NaN sprinkled in. */
function values(n: number, seed: number): Float32Array {
  let s = seed;
  const special = [0, -0, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NaN, 1e-40, 3e38];
  return Float32Array.from({ length: n }, (_, i) => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return i % 97 === 5 ? (special[((i / 97) % special.length) | 0] as number) : (s / 2 ** 31) * 4 - 2;
  });
}

async function expectBits(label: string, actual: Tensor, expected: Tensor): Promise<void> {
  expect(actual.shape, label).toEqual(expected.shape);
  const [a, e] = [await actual.data(), await expected.data()];
  for (let i = 0; i < e.length; i++) {
    if (!Object.is(a[i], e[i])) throw new Error(`${label}: [${i}] is ${a[i]}, b·alpha then a + that gives ${e[i]}`);
  }
}

export function alphaSuite(kit: KitContext): void {
  describe('alpha (torch.add / torch.sub)', () => {
    test(kit, 'alpha/values', async () => {
      const before = snapshot();
      const a = tensor([
        [1, 2, 3],
        [4, 5, 6],
      ]);
      const b = tensor([10, 20, 30]);
      const i = tensor([1, 2, 3], { dtype: 'int32' });
      const results = tidy(() => [
        add(a, b, { alpha: 0.5 }),
        sub(a, b, { alpha: 0.5 }),
        a.add(b, { alpha: -2 }),
        a.sub(2, { alpha: 3 }),
        i.add(i, { alpha: 3 }),
        i.sub(i, { alpha: 2 }),
        add(a, b, { alpha: 1 }),
        add(a, a, { alpha: 0 }),
      ]);
      const expected = [
        [6, 12, 18, 9, 15, 21],
        [-4, -8, -12, -1, -5, -9],
        [-19, -38, -57, -16, -35, -54],
        [-5, -4, -3, -2, -1, 0],
        [4, 8, 12],
        [-1, -2, -3],
        [11, 22, 33, 14, 25, 36],
        [1, 2, 3, 4, 5, 6],
      ];
      for (const [k, r] of results.entries()) expect(Array.from(await r.data()), `case ${k}`).toEqual(expected[k]);
      expect(results[4]?.dtype).toBe('int32');
      disposeAll(a, b, i, ...results);
      expectSameMemory('alpha/values', before, snapshot());
    });

    test(kit, 'alpha/gradients-and-tangents', async () => {
      const before = snapshot();
      const a = tensor([
        [1, 2, 3],
        [4, 5, 6],
      ]);
      const b = tensor([1, -1, 2]);
      const [ga, gb] = grad((x: Tensor, y: Tensor) => sub(x, y, { alpha: 2.5 }).square().sum(), { argnums: [0, 1] })(a, b) as Tensor[];
      // d/da = 2(a − 2.5b); d/db = −2.5 · Σ_rows 2(a − 2.5b).
      expect(Array.from(await (ga as Tensor).data())).toEqual([-3, 9, -4, 3, 15, 2]);
      // (+ 0: the first column's sum is an exact zero, −2.5 · 0 = −0.)
      expect(Array.from(await (gb as Tensor).data(), (v) => v + 0)).toEqual([0, -60, 5]);
      const [ta, tb] = [tensor([1, 1, 1, 1, 1, 1], { shape: [2, 3] }), tensor([1, 0, 2])];
      const [y, t] = jvp((x: Tensor, z: Tensor) => add(x, z, { alpha: -3 }), [a, b], [ta, tb]);
      expect(Array.from(await t.data())).toEqual([-2, 1, -5, -2, 1, -5]);
      disposeAll(a, b, ga as Tensor, gb as Tensor, y, t, ta, tb);
      expectSameMemory('alpha/gradients-and-tangents', before, snapshot());
    });

    test(kit, 'alpha/in-place', async () => {
      const before = snapshot();
      const p = tensor([1, 2, 3]);
      const g = tensor([10, 20, 30]);
      noGrad(() => {
        p.add_(g, { alpha: -0.5 });
        p.sub_(g, { alpha: 0.25 });
      });
      expect(Array.from(await p.data())).toEqual([-6.5, -13, -19.5]);
      disposeAll(p, g);
      expectSameMemory('alpha/in-place', before, snapshot());
    });

    badInput(kit, 'alpha/rules', () => {
      const a = tensor([1, 2]);
      const i = tensor([1, 2], { dtype: 'int32' });
      const flags = a.gt(1);
      const longer = tensor([1, 2, 3]);
      expect(() => add(a, a, { alpha: '2' as unknown as number })).toThrow('add: alpha must be a number, got "2"');
      expect(() => a.sub(a, 2 as unknown as { alpha: number })).toThrow(
        'sub: the third argument must be options such as { alpha: 2 }, got 2',
      );
      expect(() => i.add(i, { alpha: 0.5 })).toThrow(
        'add: alpha must be an integer for int32 operands, got 0.5; cast them to float32 first',
      );
      expect(() => i.sub_(i, { alpha: 1.5 })).toThrow('sub_: alpha must be an integer for int32 operands, got 1.5');
      expect(() => flags.add(flags, { alpha: 2 })).toThrow('add: alpha is not supported for bool operands (got alpha 2); cast them first');
      expect(() => a.sub(longer, { alpha: 2 })).toThrow('sub: shapes [2] and [3] cannot be broadcast together');
      disposeAll(a, i, flags, longer);
    });

    if (getKernel(FusedKernels.AddScaled, kit.backend) === undefined) return;

    test(kit, 'alpha/fused/takes-the-fused-function', async () => {
      const before = snapshot();
      const a = tensor([1, 2, 3], { requiresGrad: true });
      const b = tensor([4, 5, 6]);
      const y = a.add(b, { alpha: 2 });
      expect(y.gradFn?.name).toBe('AddScaled');
      disposeAll(a, b, y);
      expectSameMemory('alpha/fused', before, snapshot());
    });

    // Sizes: under a SIMD lane group, a lane group and a tail, and one cut into slices for threads.
    for (const n of [1, 3, 4, 37, 300_001]) {
      test(kit, `alpha/fused/bits-of-${n}`, async () => {
        const before = snapshot();
        const a = tensor(values(n, n + 1));
        const b = tensor(values(n, n + 2));
        for (const alpha of [-0.01, 2.5, 0, -0, 1e30, Number.NaN, Number.NEGATIVE_INFINITY, 1 / 3]) {
          const [fused, reference] = tidy(() => [add(a, b, { alpha }), a.add(b.mul(alpha))]);
          await expectBits(`a + ${alpha}·b on ${n}`, fused as Tensor, reference as Tensor);
          disposeAll(fused as Tensor, reference as Tensor);
        }
        disposeAll(a, b);
        expectSameMemory(`alpha/fused/bits-of-${n}`, before, snapshot());
      });
    }
  });
}
