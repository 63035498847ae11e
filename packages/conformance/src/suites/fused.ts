/**
 * The optional fused kernels (core's FusedKernels), on backends that register them: crossEntropy
 * through the fused Function must equal the composite it replaces — values, gradients and second
 * derivatives — at edges (one row, one class, large logits, ±Inf, NaN), and leave nothing behind.
 */
import { arange, FusedKernels, getKernel, grad, logSoftmax, nn, type Tensor, tensor, tidy, where } from '@surrograd/core';
import { describe, expect } from 'vitest';
import { test } from '../declare.js';
import type { KitContext } from '../options.js';
import { expectSameMemory, snapshot } from '../snapshot.js';

/** What crossEntropy computes without the fused kernels. */
function composite(logits: Tensor, labels: number[]): Tensor {
  const [n, c] = logits.shape as [number, number];
  const isLabel = tensor(labels, { dtype: 'int32' })
    .reshape([n, 1])
    .eq(arange(c).reshape([1, c]));
  return where(isLabel, logSoftmax(logits, 1), 0).sum().div(-n);
}

const fused = (logits: Tensor, labels: number[]) => nn.crossEntropy(logits, labels);

/** Deterministic logits in [-scale, scale) and labels. */
function problem(n: number, c: number, scale: number, seed: number): { logits: number[]; labels: number[] } {
  let s = seed;
  const next = () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
  return {
    logits: Array.from({ length: n * c }, () => (next() * 2 - 1) * scale),
    labels: Array.from({ length: n }, () => Math.floor(next() * c)),
  };
}

function expectClose(label: string, actual: ArrayLike<number>, expected: ArrayLike<number>, rtol = 2e-5, atol = 2e-6): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const [a, e] = [actual[i] as number, expected[i] as number];
    if (Number.isNaN(e) && Number.isNaN(a)) continue;
    if (a === e) continue;
    if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e))) throw new Error(`${label}: [${i}] is ${a}, the composite gives ${e}`);
  }
}

async function values(t: Tensor): Promise<number[]> {
  return Array.from(await t.data());
}

export function fusedSuite(kit: KitContext): void {
  const has = (name: string) => getKernel(name, kit.backend) !== undefined;
  if (!has(FusedKernels.SoftmaxCrossEntropy) || !has(FusedKernels.SoftmaxCrossEntropyGrad)) return;
  describe('fused kernels', () => {
    test(kit, 'fused/crossEntropy/takes-the-fused-function', async () => {
      const before = snapshot();
      const x = tensor([[1, 2, 3]], { requiresGrad: true });
      const loss = fused(x, [2]);
      expect(loss.gradFn?.name).toBe('SoftmaxCrossEntropy');
      loss.dispose();
      x.dispose();
      expectSameMemory('fused/crossEntropy', before, snapshot());
    });

    const shapes: [number, number, number][] = [
      [1, 1, 1],
      [1, 5, 1],
      [7, 3, 1],
      [128, 10, 4],
      [3, 1000, 1],
      [5, 7, 60],
    ];
    for (const [n, c, scale] of shapes) {
      test(kit, `fused/crossEntropy/${n}x${c}-scale-${scale}`, async () => {
        const before = snapshot();
        const { logits, labels } = problem(n, c, scale, n * 31 + c);
        const x = tensor(logits, { shape: [n, c] });
        const [lf, gf] = tidy(() => {
          const g = grad((v: Tensor) => fused(v, labels))(x) as Tensor;
          return [fused(x, labels), g];
        });
        const [lc, gc] = tidy(() => {
          const g = grad((v: Tensor) => composite(v, labels))(x) as Tensor;
          return [composite(x, labels), g];
        });
        expectClose('loss', await values(lf), await values(lc));
        expectClose('dlogits', await values(gf), await values(gc));
        for (const t of [x, lf, gf, lc, gc]) t.dispose();
        expectSameMemory(`fused/crossEntropy/${n}x${c}`, before, snapshot());
      });
    }

    test(kit, 'fused/crossEntropy/non-finite-logits', async () => {
      // Rows: +Inf at the label, +Inf elsewhere, -Inf at the label, -Inf elsewhere (a masked
      // class: finite loss and gradient), NaN. Label 0 throughout.
      const inf = Number.POSITIVE_INFINITY;
      const rows = [
        [inf, 0, 1],
        [0, inf, 1],
        [-inf, 0, 1],
        [0, -inf, 1],
        [Number.NaN, 0, 1],
      ];
      for (const row of rows) {
        const x = tensor([row]);
        const f = fused(x, [0]);
        const c = tidy(() => composite(x, [0]));
        expectClose(`loss of [${row}]`, await values(f), await values(c));
        for (const t of [x, f, c]) t.dispose();
      }
      const masked = tensor([[0, -inf, 1]]);
      const gf = grad((v: Tensor) => fused(v, [0]))(masked) as Tensor;
      const gc = grad((v: Tensor) => composite(v, [0]))(masked) as Tensor;
      const e = 1 + Math.E;
      expectClose('dlogits with a masked class', await values(gf), [1 / e - 1, 0, Math.E / e]);
      expectClose('dlogits with a masked class (composite)', await values(gc), [1 / e - 1, 0, Math.E / e]);
      for (const t of [masked, gf, gc]) t.dispose();
    });

    test(kit, 'fused/crossEntropy/second-derivatives', async () => {
      // d/dx of sum(dlogits · v): the fused Function's backward, recorded, must be the composite's.
      const { logits, labels } = problem(4, 6, 2, 7);
      const x = tensor(logits, { shape: [4, 6] });
      const v = tensor(problem(4, 6, 1, 8).logits, { shape: [4, 6] });
      const hvp = (loss: (t: Tensor, l: number[]) => Tensor) =>
        tidy(() => grad((t: Tensor) => (grad((u: Tensor) => loss(u, labels))(t) as Tensor).mul(v).sum())(x) as Tensor);
      const hf = hvp(fused);
      const hc = hvp(composite);
      expectClose('second derivative', await values(hf), await values(hc), 1e-4, 1e-6);
      for (const t of [x, v, hf, hc]) t.dispose();
    });
  });
}
