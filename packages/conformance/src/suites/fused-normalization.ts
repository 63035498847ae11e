/**
 * The optional fused normalization kernels (core's FusedKernels.LayerNorm, BatchNorm and their
 * gradients), on backends that register them: `layerNorm` and `batchNorm` in training through them
 * must agree with the composed ops they replace — values, the gradients of x, weight and bias,
 * second derivatives and tangents, batch norm's running statistics — over rows and channels that
 * cut the SIMD lanes, sizes enough to share between threads, every affine combination, constant
 * and non-finite rows, and leave nothing behind.
 */
import {
  batchNorm,
  FusedKernels,
  getKernel,
  grad,
  groupNorm,
  jvp,
  layerNorm,
  noGrad,
  ones,
  rsqrt,
  type Tensor,
  tensor,
  tidy,
  zeros,
} from '@surrograd/core';
import { describe, expect } from 'vitest';
import { test } from '../declare.js';
import type { KitContext } from '../options.js';
import { expectSameMemory, snapshot } from '../snapshot.js';

type Affine = { weight: Tensor | null; bias: Tensor | null };

/** What layerNorm computes without the fused kernels: norm.ts's composed ops. */
function composite(x: Tensor, normalized: number[], { weight, bias }: Affine, eps: number): Tensor {
  const axes = normalized.map((_, i) => x.rank - normalized.length + i);
  const centered = x.sub(x.mean(axes, true));
  let y = centered.mul(rsqrt(centered.square().mean(axes, true).add(eps)));
  if (weight) y = y.mul(weight);
  return bias ? y.add(bias) : y;
}

const fused = (x: Tensor, normalized: number[], { weight, bias }: Affine, eps: number) => layerNorm(x, normalized, { weight, bias, eps });

/** Deterministic values in [offset − scale, offset + scale) of `shape`. */
function values(shape: number[], seed: number, scale = 1, offset = 0): Tensor {
  let s = seed;
  const n = shape.reduce((a, b) => a * b, 1);
  const data = Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return offset + ((s / 2 ** 31) * 2 - 1) * scale;
  });
  return tensor(data, { shape });
}

/**
 * Within `rtol` of the composite's largest magnitude, NaN where it is NaN: the row statistics are
 * sums in another order (and more accurate), so the last bits differ, and a gradient's small
 * elements are differences of large ones.
 */
async function expectClose(label: string, actual: Tensor, expected: Tensor, rtol = 2e-5): Promise<void> {
  expect(actual.shape, label).toEqual(expected.shape);
  const [a, e] = [await actual.data(), await expected.data()];
  let scale = 0;
  for (const v of e) if (Number.isFinite(v)) scale = Math.max(scale, Math.abs(v));
  for (let i = 0; i < e.length; i++) {
    const [u, v] = [a[i] as number, e[i] as number];
    if (Object.is(u, v) || (Number.isNaN(u) && Number.isNaN(v))) continue;
    if (!(Math.abs(u - v) <= rtol * Math.max(scale, 1e-30))) throw new Error(`${label}: [${i}] is ${u}, the composite gives ${v}`);
  }
}

export function fusedNormalizationSuite(kit: KitContext): void {
  const has = (...names: string[]) => names.every((name) => getKernel(name, kit.backend) !== undefined);
  if (has(FusedKernels.LayerNorm, FusedKernels.LayerNormGrad)) layerNormTests(kit);
  if (has(FusedKernels.BatchNorm, FusedKernels.BatchNormGrad)) batchNormTests(kit);
}

function layerNormTests(kit: KitContext): void {
  describe('fused layer norm', () => {
    test(kit, 'fused/layerNorm/takes-the-fused-function', async () => {
      const before = snapshot();
      const x = values([2, 3], 1).requiresGrad_(true);
      const y = layerNorm(x, [3]);
      expect(y.gradFn?.name).toBe('LayerNorm');
      for (const t of [x, y]) t.dispose();
      expectSameMemory('fused/layerNorm', before, snapshot());
    });

    // [input shape, normalized shape]: one element, rows shorter and longer than the lanes with a
    // tail, rows enough to share between threads, leading dims, two normalized dims.
    const cases: [number[], number[]][] = [
      [[1, 1], [1]],
      [[3, 5], [5]],
      [[4, 1027], [1027]],
      [[300, 700], [700]],
      [[5, 4, 8], [8]],
      [
        [2, 3, 7],
        [3, 7],
      ],
    ];
    const affines = ['none', 'weight', 'bias', 'both'] as const;
    for (const [shape, normalized] of cases) {
      for (const affine of affines) {
        const name = `fused/layerNorm/${shape.join('x')}-over-${normalized.join('x')}-${affine}`;
        test(kit, name, async () => {
          const before = snapshot();
          const x = values(shape, shape.length + normalized.length, 2, 0.5);
          const weight = affine === 'weight' || affine === 'both' ? values(normalized, 5, 1.5) : null;
          const bias = affine === 'bias' || affine === 'both' ? values(normalized, 6) : null;
          const dy = values(shape, 7);
          const params = [weight, bias].filter((t): t is Tensor => t !== null);
          const run = (f: typeof composite) =>
            tidy(() => {
              const loss = (xi: Tensor, ...p: Tensor[]) => {
                const [w, b] = [weight ? p[0] : null, bias ? p[weight ? 1 : 0] : null];
                return f(xi, normalized, { weight: w ?? null, bias: b ?? null }, 1e-5)
                  .mul(dy)
                  .sum();
              };
              const grads = grad(loss, { argnums: params.map((_, i) => i + 1).concat([0]) })(x, ...params) as Tensor[];
              return [f(x, normalized, { weight, bias }, 1e-5), ...grads];
            });
          const [got, want] = [run(fused), run(composite)];
          const names = ['y', ...params.map((p) => (p === weight ? 'dweight' : 'dbias')), 'dx'];
          for (let i = 0; i < want.length; i++) await expectClose(`${names[i]} of ${name}`, got[i] as Tensor, want[i] as Tensor);
          for (const t of [x, dy, ...params, ...got, ...want]) t.dispose();
          expectSameMemory(name, before, snapshot());
        });
      }
    }

    // groupNorm is layer norm over each group's values, then the per-channel affine.
    for (const [shape, groups] of [
      [[2, 6, 5], 3],
      [[4, 8, 4, 4], 2],
      [[3, 4], 4],
    ] as [number[], number][]) {
      const name = `fused/groupNorm/${shape.join('x')}-in-${groups}-groups`;
      test(kit, name, async () => {
        const before = snapshot();
        const c = shape[1] as number;
        const channel = [1, c, ...shape.slice(2).map(() => 1)];
        const [x, weight, bias, dy] = [values(shape, 41, 2, 0.5), values([c], 42, 1.5), values([c], 43), values(shape, 44)];
        const composed = (xi: Tensor, wi: Tensor, bi: Tensor) => {
          const grouped = xi.reshape([shape[0] as number, groups, -1]);
          const centered = grouped.sub(grouped.mean(2, true));
          const y = centered.mul(rsqrt(centered.square().mean(2, true).add(1e-5))).reshape(shape);
          return y.mul(wi.reshape(channel)).add(bi.reshape(channel));
        };
        const viaGroupNorm = (xi: Tensor, wi: Tensor, bi: Tensor) => groupNorm(xi, groups, { weight: wi, bias: bi });
        const run = (f: typeof composed) =>
          tidy(() => [
            f(x, weight, bias),
            ...(grad((xi: Tensor, wi: Tensor, bi: Tensor) => f(xi, wi, bi).mul(dy).sum(), { argnums: [0, 1, 2] })(
              x,
              weight,
              bias,
            ) as Tensor[]),
          ]);
        const [got, want] = [run(viaGroupNorm), run(composed)];
        const names = ['y', 'dx', 'dweight', 'dbias'];
        for (let i = 0; i < want.length; i++) await expectClose(`${names[i]} of ${name}`, got[i] as Tensor, want[i] as Tensor);
        for (const t of [x, weight, bias, dy, ...got, ...want]) t.dispose();
        expectSameMemory(name, before, snapshot());
      });
    }

    test(kit, 'fused/layerNorm/eps-constant-and-offset-rows', async () => {
      const before = snapshot();
      // A constant row (variance 0: rstd is 1/√eps), a large eps, and rows far from 0.
      const x = tensor([
        [3, 3, 3, 3, 3],
        [1, 2, 3, 4, 5],
        [1000.5, 1000.25, 999.75, 1000, 1000.125],
      ]).requiresGrad_(true);
      const dy = values([3, 5], 9);
      for (const eps of [1e-5, 0.5]) {
        const run = (f: typeof composite) =>
          tidy(() => {
            const y = f(x, [5], { weight: null, bias: null }, eps);
            return [y, grad((xi: Tensor) => f(xi, [5], { weight: null, bias: null }, eps).mul(dy).sum())(x) as Tensor];
          });
        const [got, want] = [run(fused), run(composite)];
        await expectClose(`y, eps ${eps}`, got[0] as Tensor, want[0] as Tensor, 1e-4);
        await expectClose(`dx, eps ${eps}`, got[1] as Tensor, want[1] as Tensor, 1e-4);
        for (const t of [...got, ...want]) t.dispose();
      }
      for (const t of [x, dy]) t.dispose();
      expectSameMemory('fused/layerNorm/eps', before, snapshot());
    });

    test(kit, 'fused/layerNorm/only-some-inputs-need-gradients', async () => {
      const before = snapshot();
      const [x, weight, bias, dy] = [values([7, 10], 21, 3), values([10], 22), values([10], 23), values([7, 10], 24)];
      // A frozen input with the weight and bias learning, the bias alone, and the input alone.
      const picks: [string, number[]][] = [
        ['weight and bias', [1, 2]],
        ['bias', [2]],
        ['input', [0]],
      ];
      for (const [label, argnums] of picks) {
        const run = (f: typeof composite) =>
          tidy(
            () =>
              grad((xi: Tensor, wi: Tensor, bi: Tensor) => f(xi, [10], { weight: wi, bias: bi }, 1e-5).mul(dy).sum(), { argnums })(
                x,
                weight,
                bias,
              ) as Tensor[],
          );
        const [got, want] = [run(fused), run(composite)];
        for (let i = 0; i < want.length; i++) await expectClose(`${label}: gradient ${i}`, got[i] as Tensor, want[i] as Tensor);
        for (const t of [...got, ...want]) t.dispose();
      }
      for (const t of [x, weight, bias, dy]) t.dispose();
      expectSameMemory('fused/layerNorm/some-gradients', before, snapshot());
    });

    test(kit, 'fused/layerNorm/non-finite-rows', async () => {
      const x = tensor([
        [Number.NaN, 1, 2],
        [Number.POSITIVE_INFINITY, 0, 1],
        [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, 0],
        [1e30, 0, 0],
        [-2, 0.5, 4],
      ]);
      const weight = tensor([1, -2, 0.5]);
      const bias = tensor([0, 1, -1]);
      const [f, c] = [fused(x, [3], { weight, bias }, 1e-5), tidy(() => composite(x, [3], { weight, bias }, 1e-5))];
      const [got, want] = [await f.data(), await c.data()];
      // NaN and ±Inf rows are NaN; a row whose squares overflow float32 has rstd 0: its outputs are the bias.
      for (let i = 0; i < 12; i++)
        expect(Object.is(got[i], want[i]) || (Number.isNaN(got[i]) && Number.isNaN(want[i])), `[${i}]`).toBe(true);
      await expectClose('finite row', f, c);
      for (const t of [x, weight, bias, f, c]) t.dispose();
    });

    test(kit, 'fused/layerNorm/inference-keeps-nothing', async () => {
      const before = snapshot();
      const [x, weight] = [values([6, 9], 3).requiresGrad_(true), values([9], 4).requiresGrad_(true)];
      const y = noGrad(() => layerNorm(x, [9], { weight }));
      const reference = tidy(() => noGrad(() => composite(x, [9], { weight, bias: null }, 1e-5)));
      expect(y.gradFn).toBeNull();
      await expectClose('inference', y, reference);
      for (const t of [x, weight, y, reference]) t.dispose();
      expectSameMemory('fused/layerNorm/inference', before, snapshot());
    });

    test(kit, 'fused/layerNorm/second-derivatives-and-tangents', async () => {
      const before = snapshot();
      const [x, w, b] = [values([3, 6], 11, 1.5), values([6], 12), values([6], 13)];
      const v = values([3, 6], 14);
      const f = (g: typeof composite) => (xi: Tensor, wi: Tensor, bi: Tensor) => g(xi, [6], { weight: wi, bias: bi }, 1e-5);
      // d/dx and d/dw of sum((d/dx sum(tanh(layerNorm) · v))²): the fused backward, recorded, must be the composite's.
      const hvp = (g: typeof composite) =>
        tidy(
          () =>
            grad((xi: Tensor, wi: Tensor) => (grad((xj: Tensor) => f(g)(xj, wi, b).tanh().mul(v).sum())(xi) as Tensor).square().sum(), {
              argnums: [0, 1],
            })(x, w) as Tensor[],
        );
      const [hf, hc] = [hvp(fused), hvp(composite)];
      await expectClose('second derivative, x', hf[0] as Tensor, hc[0] as Tensor, 1e-4);
      await expectClose('second derivative, weight', hf[1] as Tensor, hc[1] as Tensor, 1e-4);
      const [tx, tw, tb] = [values([3, 6], 15), values([6], 16), values([6], 17)];
      const tangents = (g: typeof composite) => tidy(() => jvp(f(g), [x, w, b], [tx, tw, tb])[1]);
      const [jf, jc] = [tangents(fused), tangents(composite)];
      await expectClose('tangent', jf, jc);
      // Only the bias moving: its tangent spread over the rows.
      const onlyBias = tidy(() => jvp((bi: Tensor) => layerNorm(x, [6], { weight: w, bias: bi }), [b], [tb])[1]);
      const spread = tb.broadcastTo([3, 6]);
      await expectClose('tangent of the bias alone', onlyBias, spread, 0);
      for (const t of [x, w, b, v, ...hf, ...hc, tx, tw, tb, jf, jc, onlyBias, spread]) t.dispose();
      expectSameMemory('fused/layerNorm/second', before, snapshot());
    });
  });
}

/** What batchNorm in training computes without the fused kernels: norm.ts's composed ops, and its batch statistics. */
function batchComposite(x: Tensor, { weight, bias }: Affine, eps: number): { y: Tensor; mean: Tensor; variance: Tensor } {
  const axes = [0, ...x.shape.slice(2).map((_, i) => i + 2)];
  const channel = [1, x.shape[1] as number, ...x.shape.slice(2).map(() => 1)];
  const mean = x.mean(axes, true);
  const centered = x.sub(mean);
  const variance = centered.square().mean(axes, true);
  let y = centered.mul(rsqrt(variance.add(eps)));
  if (weight) y = y.mul(weight.reshape(channel));
  if (bias) y = y.add(bias.reshape(channel));
  return { y, mean: mean.reshape([-1]), variance: variance.reshape([-1]) };
}

const batchFused = (x: Tensor, { weight, bias }: Affine, eps: number) => batchNorm(x, null, null, { weight, bias, eps, training: true });
const batchComposed = (x: Tensor, affine: Affine, eps: number) => batchComposite(x, affine, eps).y;

function batchNormTests(kit: KitContext): void {
  describe('fused batch norm', () => {
    test(kit, 'fused/batchNorm/takes-the-fused-function', async () => {
      const before = snapshot();
      const x = values([2, 3, 4], 1).requiresGrad_(true);
      const y = batchFused(x, { weight: null, bias: null }, 1e-5);
      expect(y.gradFn?.name).toBe('BatchNorm');
      for (const t of [x, y]) t.dispose();
      expectSameMemory('fused/batchNorm', before, snapshot());
    });

    // [N, C, …]: a channel of three values (with two, x̂ is ±1 whatever x is and dx is 0, rounding
    // alone), BatchNorm1d's [N, C] (runs of one), runs shorter than the lanes with a tail, an image
    // batch, one big enough to share between threads.
    const shapes: number[][] = [
      [1, 1, 3],
      [6, 5],
      [3, 2, 7],
      [2, 3, 4, 5],
      [8, 32, 16, 16],
    ];
    const affines = ['none', 'weight', 'bias', 'both'] as const;
    for (const shape of shapes) {
      for (const affine of affines) {
        const name = `fused/batchNorm/${shape.join('x')}-${affine}`;
        test(kit, name, async () => {
          const before = snapshot();
          const c = shape[1] as number;
          const x = values(shape, shape.length + c, 2, 0.5);
          const weight = affine === 'weight' || affine === 'both' ? values([c], 5, 1.5) : null;
          const bias = affine === 'bias' || affine === 'both' ? values([c], 6) : null;
          // A seed of its own: dy drawn as x was would be affine in x̂, and dx 0 up to rounding.
          const dy = values(shape, 1007);
          const params = [weight, bias].filter((t): t is Tensor => t !== null);
          const run = (f: typeof batchComposed) =>
            tidy(() => {
              const loss = (xi: Tensor, ...p: Tensor[]) => {
                const [w, b] = [weight ? p[0] : null, bias ? p[weight ? 1 : 0] : null];
                return f(xi, { weight: w ?? null, bias: b ?? null }, 1e-5)
                  .mul(dy)
                  .sum();
              };
              const grads = grad(loss, { argnums: params.map((_, i) => i + 1).concat([0]) })(x, ...params) as Tensor[];
              return [f(x, { weight, bias }, 1e-5), ...grads];
            });
          const [got, want] = [run(batchFused), run(batchComposed)];
          const names = ['y', ...params.map((p) => (p === weight ? 'dweight' : 'dbias')), 'dx'];
          for (let i = 0; i < want.length; i++) await expectClose(`${names[i]} of ${name}`, got[i] as Tensor, want[i] as Tensor);
          for (const t of [x, dy, ...params, ...got, ...want]) t.dispose();
          expectSameMemory(name, before, snapshot());
        });
      }
    }

    test(kit, 'fused/batchNorm/running-statistics', async () => {
      const before = snapshot();
      const x = values([4, 3, 5], 31, 2, 1);
      const [runningMean, runningVar] = [values([3], 32), ones([3])];
      const expected = tidy(() => {
        const { mean, variance } = batchComposite(x, { weight: null, bias: null }, 1e-5);
        // PyTorch's update: the mean as is, the variance unbiased (× count / (count − 1)).
        return [runningMean.mul(0.7).add(mean.mul(0.3)), runningVar.mul(0.7).add(variance.mul((0.3 * 20) / 19))];
      });
      const y = batchNorm(x, runningMean, runningVar, { training: true, momentum: 0.3 });
      await expectClose('running mean', runningMean, expected[0] as Tensor);
      await expectClose('running variance', runningVar, expected[1] as Tensor);
      for (const t of [x, runningMean, runningVar, y, ...expected]) t.dispose();
      expectSameMemory('fused/batchNorm/running', before, snapshot());
    });

    test(kit, 'fused/batchNorm/only-some-inputs-need-gradients', async () => {
      const before = snapshot();
      const [x, weight, bias, dy] = [values([5, 4, 6], 21, 3), values([4], 22), values([4], 23), values([5, 4, 6], 24)];
      const picks: [string, number[]][] = [
        ['weight and bias', [1, 2]],
        ['bias', [2]],
        ['input', [0]],
      ];
      for (const [label, argnums] of picks) {
        const run = (f: typeof batchComposed) =>
          tidy(
            () =>
              grad((xi: Tensor, wi: Tensor, bi: Tensor) => f(xi, { weight: wi, bias: bi }, 1e-5).mul(dy).sum(), { argnums })(
                x,
                weight,
                bias,
              ) as Tensor[],
          );
        const [got, want] = [run(batchFused), run(batchComposed)];
        for (let i = 0; i < want.length; i++) await expectClose(`${label}: gradient ${i}`, got[i] as Tensor, want[i] as Tensor);
        for (const t of [...got, ...want]) t.dispose();
      }
      for (const t of [x, weight, bias, dy]) t.dispose();
      expectSameMemory('fused/batchNorm/some-gradients', before, snapshot());
    });

    test(kit, 'fused/batchNorm/constant-and-non-finite-channels', async () => {
      // Channel 0 constant (variance 0), 1 with a NaN, 2 with +Inf, 3 overflowing float32's squares, 4 ordinary.
      const x = tensor([
        [
          [2, 2],
          [Number.NaN, 1],
          [Number.POSITIVE_INFINITY, 0],
          [1e30, 0],
          [-2, 0.5],
        ],
        [
          [2, 2],
          [3, 4],
          [1, 2],
          [0, 0],
          [4, 1],
        ],
      ]);
      const [weight, bias] = [tensor([1, -2, 0.5, 3, 1]), tensor([0, 1, -1, 0.25, 0])];
      const [f, c] = [batchFused(x, { weight, bias }, 1e-5), tidy(() => batchComposed(x, { weight, bias }, 1e-5))];
      const [got, want] = [await f.data(), await c.data()];
      for (let i = 0; i < got.length; i++) {
        const [u, v] = [got[i] as number, want[i] as number];
        const same = Object.is(u, v) || (Number.isNaN(u) && Number.isNaN(v)) || Math.abs(u - v) <= 1e-5 * Math.max(1, Math.abs(v));
        expect(same, `[${i}]: ${u}, the composite gives ${v}`).toBe(true);
      }
      for (const t of [x, weight, bias, f, c]) t.dispose();
    });

    test(kit, 'fused/batchNorm/second-derivatives-and-tangents', async () => {
      const before = snapshot();
      const [x, w, b] = [values([4, 3, 5], 11, 1.5), values([3], 12), values([3], 13)];
      const v = values([4, 3, 5], 14);
      const f = (g: typeof batchComposed) => (xi: Tensor, wi: Tensor, bi: Tensor) => g(xi, { weight: wi, bias: bi }, 1e-5);
      const hvp = (g: typeof batchComposed) =>
        tidy(
          () =>
            grad((xi: Tensor, wi: Tensor) => (grad((xj: Tensor) => f(g)(xj, wi, b).tanh().mul(v).sum())(xi) as Tensor).square().sum(), {
              argnums: [0, 1],
            })(x, w) as Tensor[],
        );
      const [hf, hc] = [hvp(batchFused), hvp(batchComposed)];
      await expectClose('second derivative, x', hf[0] as Tensor, hc[0] as Tensor, 1e-4);
      await expectClose('second derivative, weight', hf[1] as Tensor, hc[1] as Tensor, 1e-4);
      const [tx, tw, tb] = [values([4, 3, 5], 15), values([3], 16), values([3], 17)];
      const tangents = (g: typeof batchComposed) => tidy(() => jvp(f(g), [x, w, b], [tx, tw, tb])[1]);
      const [jf, jc] = [tangents(batchFused), tangents(batchComposed)];
      await expectClose('tangent', jf, jc);
      for (const t of [x, w, b, v, ...hf, ...hc, tx, tw, tb, jf, jc]) t.dispose();
      expectSameMemory('fused/batchNorm/second', before, snapshot());
    });

    test(kit, 'fused/batchNorm/inference-keeps-nothing', async () => {
      const before = snapshot();
      const [x, weight] = [values([3, 4, 6], 3).requiresGrad_(true), values([4], 4).requiresGrad_(true)];
      const runningMean = zeros([4]);
      const y = noGrad(() => batchNorm(x, runningMean, null, { weight, training: true }));
      const reference = tidy(() => noGrad(() => batchComposed(x, { weight, bias: null }, 1e-5)));
      expect(y.gradFn).toBeNull();
      await expectClose('inference', y, reference);
      for (const t of [x, weight, runningMean, y, reference]) t.dispose();
      expectSameMemory('fused/batchNorm/inference', before, snapshot());
    });
  });
}
