/** Kernels that move elements without arithmetic: broadcast, transpose, slice, concat (pad: pad.ts). */
import type { BroadcastToAttrs, ConcatAttrs, SliceAttrs, TransposeAttrs } from '@surrograd/core';
import { concatShape, fmt, shapesEqual, sizeOf, sliceShape, tryBroadcastShapes } from '@surrograd/core';
import * as tf from '@tensorflow/tfjs-core';
import { expandTo } from './broadcast.js';
import { tfKernel } from './run.js';

/** [x] → x broadcast (numpy rules) to `shape`, materialized. */
export const broadcastTo = tfKernel<BroadcastToAttrs>(([x], { shape }) => {
  const joint = tryBroadcastShapes(x.shape, shape);
  if (joint === null || !shapesEqual(joint, shape)) {
    throw new RangeError(`BroadcastTo: x ${fmt(x.shape)} does not broadcast to ${fmt(shape)}`);
  }
  if (shapesEqual(x.shape, shape)) return tf.clone(x);
  if (sizeOf(shape) === 0) return tf.zeros(shape, x.dtype);
  return expandTo(x, shape);
});

/** [x] → x permuted by `perm`, materialized. */
export const transpose = tfKernel<TransposeAttrs>(([x], { perm }) => {
  const seen = new Set(perm.filter((p) => Number.isInteger(p) && p >= 0 && p < x.rank));
  if (perm.length !== x.rank || seen.size !== x.rank) {
    throw new RangeError(`Transpose: perm [${perm.join(', ')}] is not a permutation of the axes of x ${fmt(x.shape)}`);
  }
  // tfjs-wasm's Transpose divides by zero on some empty shapes ([0, 0, 5] by [0, 2, 1]).
  if (x.size === 0)
    return tf.zeros(
      perm.map((p) => x.shape[p] as number),
      x.dtype,
    );
  return tf.transpose(x, perm);
});

/** [x] → x[begin : begin+size] per axis. */
export const slice = tfKernel<SliceAttrs>(([x], { begin, size }) => {
  sliceShape(x, begin, size);
  if (sizeOf(size) === 0) return tf.zeros(size, x.dtype);
  // tf.slice refuses scalars ('Slicing scalar is not possible'); the only slice of one is itself.
  if (x.rank === 0) return tf.clone(x);
  return tf.slice(x, begin, size);
});

/** [...xs] → concatenated along `axis`; all other dims agree. */
export const concat = tfKernel<ConcatAttrs>((xs, { axis }) => {
  const { axis: ax, shape: outShape } = concatShape(xs, axis);
  const first = xs[0] as tf.Tensor;
  if (sizeOf(outShape) === 0) return tf.zeros(outShape, first.dtype);
  const nonEmpty = xs.filter((x) => x.size > 0);
  return nonEmpty.length === 1 ? tf.clone(nonEmpty[0] as tf.Tensor) : tf.concat(nonEmpty, ax);
});
