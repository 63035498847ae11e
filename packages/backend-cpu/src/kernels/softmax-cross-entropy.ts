/**
 * The optional fused kernels of softmax cross-entropy (core's FusedKernels): forward keeps the
 * probabilities backward needs; each row's log-sum-exp and the loss accumulate in float64.
 */
import type { KernelFn, TensorInfo } from '@surrograd/core';
import type { CpuBackend } from '../cpu-backend.js';

/** [logits [N, C], labels int32 [N]] → [mean loss [], softmax probs [N, C]]. */
export const softmaxCrossEntropy: KernelFn<CpuBackend> = ({ inputs, backend }) => {
  const [logits, labels] = inputs as [TensorInfo, TensorInfo];
  const [rows, cols] = logits.shape as [number, number];
  const x = backend.valuesOf(logits);
  const y = backend.valuesOf(labels);
  const probs = new Float32Array(rows * cols);
  let total = 0;
  for (let r = 0; r < rows; r++) {
    const at = r * cols;
    let max = Number.NEGATIVE_INFINITY;
    for (let j = 0; j < cols; j++) {
      const v = x[at + j] as number;
      max = v > max || Number.isNaN(v) ? v : max;
    }
    // An infinite max shifts by 0, as core's logSumExp, so ±Inf logits give ±Inf, not NaN.
    const shift = Number.isFinite(max) ? max : 0;
    let sum = 0;
    for (let j = 0; j < cols; j++) {
      const e = Math.exp((x[at + j] as number) - shift);
      probs[at + j] = e;
      sum += e;
    }
    const inv = 1 / sum;
    for (let j = 0; j < cols; j++) probs[at + j] = (probs[at + j] as number) * inv;
    total += Math.log(sum) + shift - (x[at + (y[r] as number)] as number);
  }
  return [backend.makeOutput(Float32Array.of(total / rows), [], 'float32'), backend.makeOutput(probs, [rows, cols], 'float32')];
};

/** [dloss [], probs [N, C], labels int32 [N]] → (probs - onehot(labels)) · dloss / N. */
export const softmaxCrossEntropyGrad: KernelFn<CpuBackend> = ({ inputs, backend }) => {
  const [dloss, probs, labels] = inputs as [TensorInfo, TensorInfo, TensorInfo];
  const [rows, cols] = probs.shape as [number, number];
  const p = backend.valuesOf(probs);
  const y = backend.valuesOf(labels);
  const scale = Math.fround((backend.valuesOf(dloss)[0] as number) / rows);
  const dx = new Float32Array(rows * cols);
  for (let i = 0; i < dx.length; i++) dx[i] = (p[i] as number) * scale;
  for (let r = 0; r < rows; r++) {
    const at = r * cols + (y[r] as number);
    dx[at] = ((p[at] as number) - 1) * scale;
  }
  return backend.makeOutput(dx, [rows, cols], 'float32');
};
