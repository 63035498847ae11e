/**
 * Argsort (core's FusedKernels.Argsort) on the host: tfjs's topk sorts, but neither stably nor with
 * NaN as the largest value, so the values are read (dataSync: tfjs-cpu and tfjs-wasm hold them on
 * the host already) and core's argsortRows orders each row in O(n log n).
 */
import type { ArgsortAttrs } from '@surrograd/core';
import { argsortRows } from '@surrograd/core';
import * as tf from '@tensorflow/tfjs-core';
import { tfKernel } from './run.js';

export const argsort = tfKernel<ArgsortAttrs>(([x], attrs) => {
  const t = x as tf.Tensor;
  const n = t.shape[t.rank - 1] as number;
  const order = argsortRows(t.dataSync(), n === 0 ? 0 : t.size / n, n, attrs.descending);
  return tf.tensor(order, t.shape, 'int32');
});
