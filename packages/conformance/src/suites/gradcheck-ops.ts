/**
 * gradcheck (float64 central differences, PyTorch's tolerances) on every differentiable op one by
 * one, and gradgradcheck on each, since every backward is built from differentiable ops. Inputs
 * avoid kinks (0 for abs/relu, ties for max, clamp bounds) where the derivative is a convention.
 */
import {
  adaptiveAvgPool2d,
  avgPool2d,
  batchNorm,
  clamp,
  concat,
  conv1d,
  conv2d,
  convTranspose2d,
  currentBackend,
  embedding,
  fold,
  gather,
  gradcheck,
  groupNorm,
  interpolate,
  layerNorm,
  leakyRelu,
  matmul,
  maximum,
  maxPool2d,
  minimum,
  nn,
  pad,
  randn,
  stack,
  type Tensor,
  tensor,
  tidy,
  unfold,
  where,
} from '@surrograd/core';
import { describe, expect } from 'vitest';
import { test } from '../declare.js';
import { checkFirstDerivatives, checkSecondDerivatives } from '../derivative-checks.js';
import { finiteDifferenceCheck } from '../finite-difference.js';
import type { KitContext } from '../options.js';

type Case = [name: string, shapes: number[][], fn: (...xs: Tensor[]) => Tensor, opts?: { positive?: boolean }];

const CASES: Case[] = [
  ['add', [[2, 3], [3]], (a, b) => a!.add(b!)],
  [
    'sub',
    [
      [2, 1],
      [1, 3],
    ],
    (a, b) => a!.sub(b!),
  ],
  [
    'mul',
    [
      [2, 3],
      [2, 3],
    ],
    (a, b) => a!.mul(b!),
  ],
  ['div', [[3], [2, 3]], (a, b) => a!.div(b!), { positive: true }],
  ['pow', [[4], [4]], (a, b) => a!.pow(b!), { positive: true }],
  ['pow-scalar', [[4]], (a) => a!.pow(3)],
  ['neg', [[5]], (a) => a!.neg()],
  ['exp', [[5]], (a) => a!.exp()],
  ['log', [[5]], (a) => a!.log(), { positive: true }],
  ['sqrt', [[5]], (a) => a!.sqrt(), { positive: true }],
  ['rsqrt', [[5]], (a) => a!.rsqrt(), { positive: true }],
  ['abs', [[5]], (a) => a!.abs()],
  ['square', [[5]], (a) => a!.square()],
  ['reciprocal', [[5]], (a) => a!.reciprocal(), { positive: true }],
  ['sin', [[5]], (a) => a!.sin()],
  ['cos', [[5]], (a) => a!.cos()],
  ['log1p', [[5]], (a) => a!.log1p(), { positive: true }],
  ['expm1', [[5]], (a) => a!.expm1()],
  ['erf', [[5]], (a) => a!.erf()],
  ['maximum', [[2, 3], [3]], (a, b) => maximum(a!, b!)],
  ['minimum', [[2, 3], [3]], (a, b) => minimum(a!, b!)],
  [
    'where',
    [
      [2, 3],
      [2, 3],
    ],
    (a, b) => where(a!.gt(b!), a!, b!.mul(2)),
  ],
  ['clamp', [[7]], (a) => clamp(a!, -0.5, 0.5)],
  ['relu', [[6]], (a) => a!.relu()],
  ['leakyRelu', [[6]], (a) => leakyRelu(a!, { slope: 0.2 })],
  ['sigmoid', [[6]], (a) => a!.sigmoid()],
  ['tanh', [[6]], (a) => a!.tanh()],
  ['sum-all', [[2, 3]], (a) => a!.sum()],
  ['sum-axes-keepdims', [[2, 3, 2]], (a) => a!.sum([0, 2], true)],
  ['mean', [[2, 3]], (a) => a!.mean(1)],
  ['max', [[3, 4]], (a) => a!.max(1)],
  ['min', [[3, 4]], (a) => a!.min(0, true)],
  ['logSumExp', [[3, 4]], (a) => a!.logSumExp(-1)],
  ['softmax', [[3, 4]], (a) => a!.softmax(1)],
  ['logSoftmax', [[3, 4]], (a) => a!.logSoftmax(0)],
  [
    'matmul',
    [
      [3, 4],
      [4, 2],
    ],
    (a, b) => a!.matmul(b!),
  ],
  [
    'matmul-transposeA',
    [
      [4, 3],
      [4, 2],
    ],
    (a, b) => matmul(a!, b!, { transposeA: true }),
  ],
  [
    'matmul-transposeB',
    [
      [3, 4],
      [2, 4],
    ],
    (a, b) => matmul(a!, b!, { transposeB: true }),
  ],
  [
    'matmul-both-transposed',
    [
      [4, 3],
      [2, 4],
    ],
    (a, b) => matmul(a!, b!, { transposeA: true, transposeB: true }),
  ],
  [
    'matmul-batched-broadcast',
    [
      [2, 3, 4],
      [4, 2],
    ],
    (a, b) => a!.matmul(b!),
  ],
  ['matmul-vector', [[4], [4, 3]], (a, b) => a!.matmul(b!)],
  ['reshape', [[2, 3]], (a) => a!.reshape([3, 2]).mul(a!.reshape([3, 2]))],
  ['transpose', [[2, 3]], (a) => a!.transpose().exp()],
  ['permute', [[2, 3, 4]], (a) => a!.permute([2, 0, 1]).sin()],
  ['broadcastTo', [[3, 1]], (a) => a!.broadcastTo([2, 3, 4]).exp()],
  ['sumToSize', [[2, 3, 4]], (a) => a!.sumToSize([3, 1]).exp()],
  ['slice', [[4, 5]], (a) => a!.slice([1, 2], [2, -1]).exp()],
  [
    'pad',
    [[2, 3]],
    (a) =>
      pad(
        a!,
        [
          [1, 0],
          [0, 2],
        ],
        0.5,
      ).exp(),
  ],
  [
    'concat',
    [
      [2, 3],
      [1, 3],
    ],
    (a, b) => concat([a!, b!], 0).exp(),
  ],
  [
    'stack',
    [
      [2, 3],
      [2, 3],
    ],
    (a, b) => stack([a!, b!], 1).exp(),
  ],
  ['gather', [[4, 3]], (a) => gather(a!, [3, 0, 3], 0).exp()],
  ['clone', [[3]], (a) => a!.clone().exp()],
  ['crossEntropy', [[4, 5]], (a) => nn.crossEntropy(a!, [0, 4, 2, 2])],
  ['mseLoss', [[4], [4]], (a, b) => nn.mseLoss(a!, b!)],
  // The layers' functional forms
  ['conv2d', [[2, 2, 5, 5], [3, 2, 3, 3], [3]], (x, w, b) => conv2d(x!, w!, b, { padding: 1, stride: 2 })],
  [
    'conv2d-groups-dilation',
    [
      [1, 4, 6, 6],
      [4, 2, 2, 2],
    ],
    (x, w) => conv2d(x!, w!, null, { groups: 2, dilation: 2 }),
  ],
  [
    'conv1d-same',
    [
      [2, 2, 7],
      [3, 2, 4],
    ],
    (x, w) => conv1d(x!, w!, null, { padding: 'same' }),
  ],
  [
    'convTranspose2d',
    [[1, 2, 3, 3], [2, 2, 3, 3], [2]],
    (x, w, b) => convTranspose2d(x!, w!, b, { stride: 2, padding: 1, outputPadding: 1 }),
  ],
  ['interpolate-bilinear', [[1, 2, 3, 4]], (x) => interpolate(x!, { size: [5, 3], mode: 'bilinear' }).sin()],
  ['interpolate-nearest', [[1, 1, 3, 3]], (x) => interpolate(x!, { scaleFactor: 2 }).sin()],
  ['fold', [[1, 8, 6]], (x) => fold(x!, [3, 4], 2).sin()],
  ['unfold', [[1, 2, 4, 5]], (x) => unfold(x!, [2, 3], { stride: [1, 2], padding: 1 }).sin()],
  ['maxPool2d', [[1, 2, 5, 5]], (x) => maxPool2d(x!, 3, { stride: 2, padding: 1 }).exp()],
  ['avgPool2d', [[1, 2, 5, 5]], (x) => avgPool2d(x!, 3, { stride: 2, padding: 1, ceilMode: true, countIncludePad: false }).exp()],
  ['adaptiveAvgPool2d', [[1, 2, 5, 7]], (x) => adaptiveAvgPool2d(x!, [2, 3]).exp()],
  ['layerNorm', [[3, 4], [4], [4]], (x, w, b) => layerNorm(x!, [4], { weight: w, bias: b })],
  ['groupNorm', [[2, 4, 3], [4], [4]], (x, w, b) => groupNorm(x!, 2, { weight: w, bias: b })],
  ['batchNorm-training', [[4, 3, 2], [3], [3]], (x, w, b) => batchNorm(x!, null, null, { training: true, weight: w, bias: b })],
  // (paddingIdx's zeroed gradient is a convention, not the Jacobian: its goldens check it.)
  ['embedding', [[5, 3]], (w) => embedding(tensor([0, 2, 2, 4], { dtype: 'int32' }), w!).exp()],
];

/** Inputs with values away from the kinks at 0 and from ties. */
function inputsFor(shapes: number[][], positive: boolean, seed: number, dtype: 'float32' | 'float64'): Tensor[] {
  return shapes.map((shape, i) => {
    const t = tidy(() => {
      const r = randn(shape, { seed: seed + i, dtype });
      const away = r.add(r.sign().mul(0.1));
      return positive ? away.abs().add(0.5) : away;
    });
    t.requiresGrad = true;
    return t;
  });
}

export function gradcheckOpsSuite(kit: KitContext): void {
  describe('gradcheck and gradgradcheck, op by op', () => {
    CASES.forEach(([name, shapes, fn, opts], i) => {
      test(kit, `gradcheck-ops/${name}`, async () => {
        const float64 = kit.float64;
        const xs = inputsFor(shapes, opts?.positive ?? false, 100 + i, float64 ? 'float64' : 'float32');
        try {
          await checkFirstDerivatives(fn, xs, float64);
          await checkSecondDerivatives(fn, xs, float64);
        } finally {
          for (const x of xs) x.dispose();
        }
      });
    });

    test(kit, 'gradcheck-ops/reports-a-wrong-gradient', async () => {
      const [x] = inputsFor([[3]], false, 7, kit.float64 ? 'float64' : 'float32') as [Tensor];
      // Value exp(v), gradient exp(v) + 1: a backward that is not the forward's derivative.
      const wrong = (v: Tensor) => v.exp().add(v.sub(v.detach()));
      try {
        if (currentBackend().readSync) {
          const tol = kit.float64 ? {} : { eps: 1e-2, atol: 5e-2, rtol: 5e-2 };
          expect(gradcheck((v) => v.exp(), [x], tol)).toBe(true);
          expect(() => gradcheck(wrong, [x], tol)).toThrow(/gradcheck: Jacobian mismatch/);
          expect(gradcheck(wrong, [x], { ...tol, raiseException: false })).toBe(false);
        } else {
          await finiteDifferenceCheck((v) => v.exp().sum(), [x]);
          let caught = '';
          await finiteDifferenceCheck((v) => wrong(v).sum(), [x]).catch((err: unknown) => {
            caught = String(err);
          });
          expect(/finite difference/.test(caught)).toBe(true);
        }
      } finally {
        x.dispose();
      }
    });
  });
}
