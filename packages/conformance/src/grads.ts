/** Checking a leaf's `.grad` against a golden gradient. */
import type { Tensor } from '@surrograd/core';
import { type CompareOptions, expectTensorClose, isAllZero } from './compare.js';
import { expectedOf } from './decode.js';
import type { GoldenTensor } from './goldens.js';
import type { Tolerance } from './options.js';

/**
 * `expected` null means PyTorch leaves no gradient; a backend may also hold zeros there.
 * A missing `.grad` where the golden is all zeros is accepted for the same reason.
 */
export async function expectGrad(
  label: string,
  leaf: Tensor,
  expected: GoldenTensor | null,
  tol: Tolerance,
  options: CompareOptions = {},
): Promise<void> {
  const grad = leaf.grad;
  if (expected === null) {
    if (grad !== null && !isAllZero(await grad.data())) {
      throw new Error(`${label}: expected no gradient (PyTorch leaves it None), got non-zero values`);
    }
    return;
  }
  const want = expectedOf(expected);
  if (grad === null) {
    if (isAllZero(want.values)) return;
    throw new Error(`${label}: .grad is null, expected a gradient of shape [${expected.shape.join(', ')}]`);
  }
  await expectTensorClose(label, grad, want, tol, options);
}
