/**
 * Mean softmax cross-entropy as one Function over a backend's fused kernels (see FusedKernels):
 * forward is one pass per row that also keeps the probabilities, backward one pass,
 * (probs - onehot) · dloss / N, instead of the dozen kernels the composite takes.
 */

import { carriesTangents } from '../autograd/forward-ad.js';
import { defineFunction } from '../autograd/function.js';
import { isGradEnabled } from '../autograd/grad-mode.js';
import { FusedKernels } from '../kernels.js';
import { arange } from '../ops/creation.js';
import { runKernel } from '../ops/dispatch.js';
import { softmax } from '../ops/softmax.js';
import { hasKernel } from '../registry.js';
import type { Tensor } from '../tensor.js';

/** Whether `logits`' backend has both fused kernels, for float32 logits of at least one row and one class. */
export function hasFusedCrossEntropy(logits: Tensor): boolean {
  const [n, c] = logits.shape as [number, number];
  const backend = logits.backend.name;
  return (
    logits.dtype === 'float32' &&
    n > 0 &&
    c > 0 &&
    hasKernel(FusedKernels.SoftmaxCrossEntropy, backend) &&
    hasKernel(FusedKernels.SoftmaxCrossEntropyGrad, backend)
  );
}

/** (logits [N, C], labels int32 [N], every label checked in [0, C)) → mean cross-entropy. */
export const SoftmaxCrossEntropy = defineFunction({
  name: 'SoftmaxCrossEntropy',
  forward(ctx, logits: Tensor, labels: Tensor) {
    const [loss, probs] = runKernel<Tensor[]>(FusedKernels.SoftmaxCrossEntropy, [logits, labels]) as [Tensor, Tensor];
    ctx.saveForBackward(logits, probs, labels);
    return loss as Tensor;
  },
  backward(ctx, dloss) {
    const [logits, probs, labels] = ctx.savedTensors as [Tensor, Tensor, Tensor];
    if (!isGradEnabled() && !carriesTangents(dloss, logits)) {
      return [runKernel<Tensor>(FusedKernels.SoftmaxCrossEntropyGrad, [dloss, probs, labels]), null];
    }
    // Recording the backward (createGraph): the same gradient from differentiable ops of the
    // logits, so second derivatives exist.
    const [n, c] = logits.shape as [number, number];
    const onehot = labels
      .reshape([n, 1])
      .eq(arange(c).reshape([1, c]))
      .cast(logits.dtype);
    return [softmax(logits, 1).sub(onehot).mul(dloss.div(n)), null];
  },
  // d loss = sum((softmax(logits) - onehot) · t) / N
  jvp(ctx, t) {
    const [logits, probs, labels] = ctx.savedTensors as [Tensor, Tensor, Tensor];
    const [n, c] = logits.shape as [number, number];
    const onehot = labels
      .reshape([n, 1])
      .eq(arange(c).reshape([1, c]))
      .cast(logits.dtype);
    return probs
      .sub(onehot)
      .mul(t as Tensor)
      .sum()
      .div(n);
  },
});
