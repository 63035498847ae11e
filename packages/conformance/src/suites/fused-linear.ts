/**
 * The optional fused Linear kernel (core's FusedKernels.Linear), on backends that register it:
 * `nn.linear` through it must give exactly what `matmul(x, w, { transposeB: true }).add(b)` gives
 * (the kernel is rounded as those two), with the same gradients, second derivatives and tangents,
 * over shapes that cut the product's tiles and blocks, with 0-sized dims, leading dims, non-finite
 * biases, and nothing left behind.
 */
import { FusedKernels, getKernel, grad, jvp, matmul, nn, type Tensor, tensor, tidy } from '@surrograd/core';
import { describe, expect } from 'vitest';
import { test } from '../declare.js';
import type { KitContext } from '../options.js';
import { expectSameMemory, snapshot } from '../snapshot.js';

const composite = (x: Tensor, w: Tensor, b: Tensor) => matmul(x, w, { transposeB: true }).add(b);

/** Deterministic values in [-1, 1) of `shape`. */
function values(shape: number[], seed: number): Tensor {
  let s = seed;
  const n = shape.reduce((a, b) => a * b, 1);
  const data = Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return (s / 2 ** 31) * 2 - 1;
  });
  return tensor(data, { shape });
}

async function expectSame(label: string, actual: Tensor, expected: Tensor): Promise<void> {
  expect(actual.shape, label).toEqual(expected.shape);
  const [a, e] = [await actual.data(), await expected.data()];
  for (let i = 0; i < e.length; i++) {
    if (!Object.is(a[i], e[i])) throw new Error(`${label}: [${i}] is ${a[i]}, the composite gives ${e[i]}`);
  }
}

async function expectClose(label: string, actual: Tensor, expected: Tensor, rtol = 1e-5, atol = 1e-6): Promise<void> {
  expect(actual.shape, label).toEqual(expected.shape);
  const [a, e] = [await actual.data(), await expected.data()];
  for (let i = 0; i < e.length; i++) {
    const [u, v] = [a[i] as number, e[i] as number];
    if (!(Math.abs(u - v) <= atol + rtol * Math.abs(v))) throw new Error(`${label}: [${i}] is ${u}, the composite gives ${v}`);
  }
}

export function fusedLinearSuite(kit: KitContext): void {
  if (getKernel(FusedKernels.Linear, kit.backend) === undefined) return;
  describe('fused Linear', () => {
    test(kit, 'fused/linear/takes-the-fused-function', async () => {
      const before = snapshot();
      const [x, w, b] = [values([2, 3], 1), values([4, 3], 2).requiresGrad_(true), values([4], 3)];
      const y = nn.linear(x, w, b);
      expect(y.gradFn?.name).toBe('Linear');
      for (const t of [x, w, b, y]) t.dispose();
      expectSameMemory('fused/linear', before, snapshot());
    });

    // [M, K, N]: tiles of 4×8 cut at every edge, K over one and several blocks, the MLP's layer 1,
    // and each dim 0.
    const shapes: [number, number, number][] = [
      [1, 1, 1],
      [5, 3, 9],
      [4, 8, 8],
      [33, 300, 17],
      [128, 784, 256],
      [260, 40, 12],
      [0, 4, 3],
      [4, 0, 3],
      [4, 3, 0],
    ];
    for (const [m, k, n] of shapes) {
      test(kit, `fused/linear/${m}x${k}-to-${n}`, async () => {
        const before = snapshot();
        const [x, w, b] = [values([m, k], m + 1), values([n, k], k + 2), values([n], n + 3)];
        const dy = values([m, n], 7);
        const run = (f: typeof composite) =>
          tidy(() => {
            const [gx, gw, gb] = grad((xi: Tensor, wi: Tensor, bi: Tensor) => f(xi, wi, bi).mul(dy).sum(), { argnums: [0, 1, 2] })(
              x,
              w,
              b,
            ) as Tensor[];
            return [f(x, w, b), gx, gw, gb] as Tensor[];
          });
        const fused = run(nn.linear);
        const reference = run(composite);
        const names = ['y', 'dx', 'dw', 'db'];
        for (let i = 0; i < 4; i++) await expectSame(`${names[i]} of ${m}×${k} to ${n}`, fused[i] as Tensor, reference[i] as Tensor);
        for (const t of [x, w, b, dy, ...fused, ...reference]) t.dispose();
        expectSameMemory(`fused/linear/${m}x${k}-to-${n}`, before, snapshot());
      });
    }

    test(kit, 'fused/linear/leading-dims-and-vectors', async () => {
      const [w, b] = [values([6, 5], 1), values([6], 2)];
      for (const shape of [[2, 3, 5], [5], [1, 1, 4, 5]]) {
        const x = values(shape, shape.length);
        const [f, c] = [nn.linear(x, w, b), tidy(() => composite(x, w, b))];
        await expectSame(`linear of ${shape}`, f, c);
        for (const t of [x, f, c]) t.dispose();
      }
      w.dispose();
      b.dispose();
    });

    test(kit, 'fused/linear/non-finite-bias-and-inputs', async () => {
      const x = tensor([
        [1, Number.NaN, 2],
        [Number.POSITIVE_INFINITY, 0, 1],
      ]);
      const w = values([5, 3], 4);
      const b = tensor([Number.NEGATIVE_INFINITY, Number.NaN, 0, -0, Number.POSITIVE_INFINITY]);
      const [f, c] = [nn.linear(x, w, b), tidy(() => composite(x, w, b))];
      await expectSame('non-finite', f, c);
      for (const t of [x, w, b, f, c]) t.dispose();
    });

    test(kit, 'fused/linear/second-derivatives-and-tangents', async () => {
      const [x, w, b] = [values([3, 4], 11), values([5, 4], 12), values([5], 13)];
      const v = values([3, 5], 14);
      // d/dw of sum(d/dx (tanh(linear) · v)): the fused backward, recorded, must be the composite's.
      const hvp = (f: typeof composite) =>
        tidy(() => grad((wi: Tensor) => (grad((xi: Tensor) => f(xi, wi, b).tanh().mul(v).sum())(x) as Tensor).square().sum())(w) as Tensor);
      const [hf, hc] = [hvp(nn.linear), hvp(composite)];
      await expectClose('second derivative', hf, hc);
      const [tx, tw, tb] = [values([3, 4], 15), values([5, 4], 16), values([5], 17)];
      const tangents = (f: typeof composite) => tidy(() => jvp(f, [x, w, b], [tx, tw, tb])[1]);
      const [jf, jc] = [tangents(nn.linear), tangents(composite)];
      await expectClose('tangent', jf, jc);
      // Only the bias moving: a tangent of the output's shape.
      const onlyBias = tidy(() => jvp((bi: Tensor) => nn.linear(x, w, bi), [b], [tb])[1]);
      const spread = tb.broadcastTo([3, 5]);
      await expectSame('tangent of the bias alone', onlyBias, spread);
      for (const t of [x, w, b, v, hf, hc, tx, tw, tb, jf, jc, onlyBias, spread]) t.dispose();
    });
  });
}
