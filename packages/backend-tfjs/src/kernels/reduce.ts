import type { ArgReduceAttrs, ReduceAttrs, ReduceOp } from '@surrograd/core';
import { fmt, normalizeAxes, normalizeAxis, reducedShape, sizeOf } from '@surrograd/core';
import * as tf from '@tensorflow/tfjs-core';
import { pick, tfKernel } from './run.js';

type Reduction = (x: tf.Tensor, axes: number[], keepDims: boolean) => tf.Tensor;

/** max/min that propagate NaN along the reduced axes (tfjs-cpu and -wasm skip a NaN after the first element). */
function nanPropagating(reduce: Reduction): Reduction {
  return (x, axes, keepDims) => {
    const m = reduce(x, axes, keepDims);
    if (x.dtype !== 'float32') return m;
    return tf.where(tf.any(tf.isNaN(x), axes, keepDims), tf.add(m, Number.NaN), m);
  };
}

// On bool, sum reads as any and prod as all (the reference keeps bool 0/1).
const reductions: Record<ReduceOp, { tf: Reduction; bool: Reduction; identity: number }> = {
  sum: { tf: tf.sum, bool: tf.any, identity: 0 },
  prod: { tf: tf.prod, bool: tf.all, identity: 1 },
  max: { tf: nanPropagating(tf.max), bool: tf.any, identity: Number.NEGATIVE_INFINITY },
  min: { tf: nanPropagating(tf.min), bool: tf.all, identity: Number.POSITIVE_INFINITY },
};

/** [x] → op over `axes` (empty: a copy), keepDims or not, dtype of x. */
export const reduce = tfKernel<ReduceAttrs>(([x], attrs) => {
  const reduction = pick('Reduce', 'op', reductions, attrs.op);
  const axes = normalizeAxes('Reduce', attrs.axes, x.rank);
  if (axes.length === 0) return tf.clone(x);
  const outShape = reducedShape(x.shape, axes, attrs.keepDims);
  let perOutput = 1;
  for (const a of axes) perOutput *= x.shape[a] as number;
  if (perOutput === 0) {
    // tfjs-wasm returns uninitialized memory for an empty reduction: fill the identity ourselves.
    if (sizeOf(outShape) > 0 && !Number.isFinite(reduction.identity)) {
      throw new RangeError(`Reduce: ${attrs.op} of an empty set: x ${fmt(x.shape)} has no elements along axes [${axes.join(', ')}]`);
    }
    return tf.fill(outShape, x.dtype === 'bool' ? +(reduction.identity !== 0) : reduction.identity, x.dtype);
  }
  if (sizeOf(outShape) === 0) return tf.zeros(outShape, x.dtype);
  return (x.dtype === 'bool' ? reduction.bool : reduction.tf)(x, axes, attrs.keepDims);
});

/**
 * [x] → int32 index of the first max/min along `axis`. A NaN beats every number for argmax and
 * argmin alike, the first NaN winning (tfjs ignores NaN): where a NaN exists, the first one's index.
 */
export const argReduce = tfKernel<ArgReduceAttrs>(([x], attrs) => {
  const search = pick('ArgReduce', 'op', { argmax: tf.argMax, argmin: tf.argMin }, attrs.op);
  if (x.rank === 0) {
    normalizeAxis('ArgReduce', attrs.axis, 0);
    return tf.zeros([], 'int32');
  }
  const axis = normalizeAxis('ArgReduce', attrs.axis, x.rank);
  const outShape = reducedShape(x.shape, [axis], attrs.keepDims);
  if (sizeOf(outShape) === 0) return tf.zeros(outShape, 'int32');
  if (x.shape[axis] === 0) {
    throw new RangeError(`ArgReduce: ${attrs.op} of an empty axis: x ${fmt(x.shape)} has size 0 along axis ${axis}`);
  }
  const values = x.dtype === 'bool' ? tf.cast(x, 'int32') : x;
  let index = search(values, axis);
  if (x.dtype === 'float32') {
    const nan = tf.isNaN(x);
    index = tf.where(tf.any(nan, axis), tf.argMax(tf.cast(nan, 'int32'), axis), index);
  }
  return tf.reshape(index, outShape);
});
