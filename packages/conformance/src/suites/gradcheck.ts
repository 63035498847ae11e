/**
 * Gradients of composite, smooth functions checked against finite differences: with core's
 * gradcheck in float64 where the backend stores float64, else with a float32 check (loose tolerance).
 */
import { concat, einsum, gather, gradcheck, nn, rand, randn, type Tensor, tensor } from '@surrograd/core';
import { describe } from 'vitest';
import { test } from '../declare.js';
import { finiteDifferenceCheck } from '../finite-difference.js';
import type { KitContext } from '../options.js';
import { Cube } from '../programs/double-backward.js';

type Init = 'normal' | 'positive';
export interface Check {
  inputs: [number[], Init][];
  fn: (...xs: Tensor[]) => Tensor;
}

const a = (xs: Tensor[]) => xs[0] as Tensor;
const b = (xs: Tensor[]) => xs[1] as Tensor;

export const CHECKS: Record<string, Check> = {
  'softmax times input': { inputs: [[[2, 4], 'normal']], fn: (...x) => a(x).softmax(-1).mul(a(x)).sum() },
  'logSoftmax over axis 0': { inputs: [[[3, 2], 'normal']], fn: (...x) => a(x).logSoftmax(0).mul(a(x).tanh()).sum() },
  'logSumExp squared': { inputs: [[[2, 3], 'normal']], fn: (...x) => a(x).logSumExp(-1).pow(2).sum() },
  'tanh(matmul)': {
    inputs: [
      [[3, 4], 'normal'],
      [[4, 2], 'normal'],
    ],
    fn: (...x) => a(x).matmul(b(x)).tanh().sum(),
  },
  'broadcast batched matmul': {
    inputs: [
      [[2, 3, 4], 'normal'],
      [[4, 2], 'normal'],
    ],
    fn: (...x) => a(x).matmul(b(x)).pow(2).mean(),
  },
  'div and pow': {
    inputs: [
      [[5], 'positive'],
      [[5], 'positive'],
    ],
    fn: (...x) =>
      a(x)
        .div(b(x))
        .add(a(x).pow(b(x)))
        .sum(),
  },
  'sigmoid times tanh': { inputs: [[[6], 'normal']], fn: (...x) => a(x).sigmoid().mul(a(x).tanh()).sum() },
  'sqrt, log, exp': { inputs: [[[4], 'positive']], fn: (...x) => a(x).sqrt().add(a(x).log()).mul(a(x).exp()).sum() },
  'broadcast mul, add': {
    inputs: [
      [[3, 1], 'normal'],
      [[1, 4], 'normal'],
    ],
    fn: (...x) => a(x).mul(b(x)).add(a(x)).pow(2).mean(),
  },
  crossEntropy: { inputs: [[[3, 4], 'normal']], fn: (...x) => nn.crossEntropy(a(x), [0, 3, 1]) },
  mseLoss: {
    inputs: [
      [[2, 3], 'normal'],
      [[2, 3], 'normal'],
    ],
    fn: (...x) => nn.mseLoss(a(x), b(x)),
  },
  'gather, slice, concat': {
    inputs: [[[4, 3], 'normal']],
    fn: (...x) => {
      const picked = gather(a(x), tensor([2, 0, 2], { dtype: 'int32' }), 0);
      return concat([picked, a(x).slice([1, 0], [2, -1])], 0)
        .pow(2)
        .sum();
    },
  },
  'permute, reshape, transpose': {
    inputs: [[[2, 3, 4], 'normal']],
    fn: (...x) => a(x).permute([2, 0, 1]).reshape([4, 6]).transpose().sigmoid().sum(),
  },
  'custom Function Cube': { inputs: [[[5], 'normal']], fn: (...x) => Cube(a(x)).sum() },
  'var, std and the 2-norm': {
    inputs: [[[3, 4], 'normal']],
    fn: (...x) =>
      a(x)
        .var(1)
        .add(a(x).std(0, { correction: 0 }).sum())
        .add(a(x).norm(2, 1).square().sum())
        .sum(),
  },
  'cumsum, flip, roll, repeat': {
    inputs: [[[2, 3], 'normal']],
    fn: (...x) => a(x).cumsum(1).flip([0]).roll(1, 1).repeat([2, 1]).tanh().sum(),
  },
  'einsum chain and batch': {
    inputs: [
      [[2, 3], 'normal'],
      [[3, 4], 'normal'],
    ],
    fn: (...x) => einsum('ij,jk,ki->', a(x), b(x), einsum('jk->kj', b(x)).matmul(a(x).transpose())),
  },
  'hypot, lerp, remainder, tril': {
    inputs: [
      [[3, 3], 'positive'],
      [[3, 3], 'normal'],
    ],
    fn: (...x) =>
      a(x)
        .hypot(b(x))
        .lerp(b(x), 0.3)
        .add(b(x).mul(3).remainder(a(x)))
        .tril()
        .sum(),
  },
};

export function makeInputs(check: Check, dtype: 'float32' | 'float64'): Tensor[] {
  return check.inputs.map(([shape, init], i) =>
    init === 'positive'
      ? rand(shape, { seed: 40 + i, low: 0.5, high: 2, dtype, requiresGrad: true })
      : randn(shape, { seed: 40 + i, dtype, requiresGrad: true }),
  );
}

async function run(kit: KitContext, check: Check): Promise<void> {
  // The float32 check runs everywhere, so backends with float64 also prove the fallback path.
  const inputs32 = makeInputs(check, 'float32');
  try {
    await finiteDifferenceCheck(check.fn, inputs32);
  } finally {
    for (const t of inputs32) t.dispose();
  }
  if (!kit.float64) return;
  const inputs64 = makeInputs(check, 'float64');
  try {
    if (gradcheck(check.fn, inputs64) !== true) throw new Error('gradcheck (float64) returned false');
  } finally {
    for (const t of inputs64) t.dispose();
  }
}

export function gradcheckSuite(kit: KitContext): void {
  describe('gradcheck (float64 where supported, else float32 finite differences)', () => {
    for (const [name, check] of Object.entries(CHECKS)) test(kit, `gradcheck/${name}`, () => run(kit, check));
  });
}
