/** Tensors with a 0-size dimension: right shapes, the identities of empty reductions, and backward. */
import { concat, logSoftmax, logSumExp, ones, softmax, type Tensor, zeros } from '@surrograd/core';
import { describe } from 'vitest';
import { type TensorBag, withBag } from '../bag.js';
import { expectTensorClose } from '../compare.js';
import { test } from '../declare.js';
import type { KitContext } from '../options.js';

const empty = (shape: number[]) => ({ shape, dtype: 'float32', values: [] as number[] });
const filled = (shape: number[], value: number) => {
  const n = shape.reduce((a, b) => a * b, 1);
  return { shape, dtype: 'float32', values: new Array<number>(n).fill(value) };
};

type Check = (kit: KitContext, bag: TensorBag) => Promise<void>;

const CHECKS: Record<string, Check> = {
  'elementwise and broadcasting keep the 0': async (kit, bag) => {
    const x = bag.add(zeros([0, 3]));
    await expectTensorClose('[0,3] + [3]', bag.add(x.add(bag.add(ones([3])))), empty([0, 3]), kit.tolerance);
    await expectTensorClose('exp([0,3])', bag.add(x.exp()), empty([0, 3]), kit.tolerance);
    await expectTensorClose('[0,1] * [1,4]', bag.add(bag.add(zeros([0, 1])).mul(bag.add(ones([1, 4])))), empty([0, 4]), kit.tolerance);
  },
  'reductions: sum is 0, mean is NaN': async (kit, bag) => {
    const x = bag.add(zeros([0, 3]));
    await expectTensorClose('sum()', bag.add(x.sum()), filled([], 0), kit.tolerance);
    await expectTensorClose('sum(0)', bag.add(x.sum(0)), filled([3], 0), kit.tolerance);
    await expectTensorClose('sum(1)', bag.add(x.sum(1)), empty([0]), kit.tolerance);
    await expectTensorClose('mean()', bag.add(x.mean()), filled([], Number.NaN), kit.tolerance);
  },
  'matmul with k = 0 gives zeros': async (kit, bag) => {
    const a = bag.add(zeros([2, 0], { requiresGrad: true }));
    const b = bag.add(zeros([0, 3], { requiresGrad: true }));
    const c = bag.add(a.matmul(b));
    await expectTensorClose('[2,0] @ [0,3]', c, filled([2, 3], 0), kit.tolerance);
    c.backward(bag.add(ones([2, 3])));
    await expectTensorClose('grad of a', a.grad as Tensor, empty([2, 0]), kit.tolerance);
    await expectTensorClose('grad of b', b.grad as Tensor, empty([0, 3]), kit.tolerance);
  },
  'reshape, transpose, slice and concat': async (kit, bag) => {
    const x = bag.add(zeros([0, 3]));
    await expectTensorClose('reshape', bag.add(x.reshape([3, 0])), empty([3, 0]), kit.tolerance);
    await expectTensorClose('transpose', bag.add(x.transpose()), empty([3, 0]), kit.tolerance);
    await expectTensorClose('slice to nothing', bag.add(bag.add(ones([4])).slice([2], [0])), empty([0]), kit.tolerance);
    const joined = bag.add(concat([x, bag.add(ones([2, 3]))], 0));
    await expectTensorClose('concat', joined, filled([2, 3], 1), kit.tolerance);
  },
  'logSumExp over no elements is -Infinity; softmax of an empty axis is empty': async (kit, bag) => {
    const x = bag.add(zeros([3, 0], { requiresGrad: true }));
    await expectTensorClose('logSumExp(1)', bag.add(logSumExp(x, 1)), filled([3], Number.NEGATIVE_INFINITY), kit.tolerance);
    await expectTensorClose('logSumExp()', bag.add(logSumExp(x)), filled([], Number.NEGATIVE_INFINITY), kit.tolerance);
    await expectTensorClose('logSumExp(0)', bag.add(logSumExp(x, 0)), empty([0]), kit.tolerance);
    await expectTensorClose('softmax(1)', bag.add(softmax(x, 1)), empty([3, 0]), kit.tolerance);
    const y = bag.add(logSoftmax(x, 0));
    await expectTensorClose('logSoftmax(0)', y, empty([3, 0]), kit.tolerance);
    bag.add(y.sum()).backward();
    await expectTensorClose('grad', x.grad as Tensor, empty([3, 0]), kit.tolerance);
  },
  'backward through an empty tensor': async (kit, bag) => {
    const x = bag.add(zeros([0, 3], { requiresGrad: true }));
    const y = bag.add(zeros([3], { requiresGrad: true }));
    bag.add(x.exp().add(y).sum()).backward();
    await expectTensorClose('grad of the empty input', x.grad as Tensor, empty([0, 3]), kit.tolerance);
    const gy = y.grad;
    if (gy) await expectTensorClose('grad of the broadcast input', gy, filled([3], 0), kit.tolerance);
  },
};

export function emptySuite(kit: KitContext): void {
  describe('0-size tensors', () => {
    for (const [name, check] of Object.entries(CHECKS)) test(kit, `empty/${name}`, () => withBag((bag) => check(kit, bag)));
  });
}
