/** Gather and its adjoint ScatterAdd. Both read the indices to check them: the contract asks for a RangeError. */
import type { GatherAttrs, ScatterAddAttrs } from '@surrograd/core';
import { fmt, gatherShape, normalizeAxis, sizeOf } from '@surrograd/core';
import * as tf from '@tensorflow/tfjs-core';
import { tfKernel } from './run.js';

/** Throws a RangeError naming the kernel, the first index outside [0, size), the axis and its size. */
function assertIndices(kernel: string, indices: tf.Tensor, axis: number, size: number): void {
  const values = indices.dataSync();
  for (let t = 0; t < values.length; t++) {
    const index = values[t] as number;
    if (!(index >= 0 && index < size)) {
      throw new RangeError(
        `${kernel}: index ${index} (at position ${t}) is out of range for axis ${axis} of size ${size}; expected an integer in [0, ${size})`,
      );
    }
  }
}

/** [x, indices int32] → x.shape[:axis] + indices.shape + x.shape[axis+1:]. */
export const gather = tfKernel<GatherAttrs>(([x, indices], attrs) => {
  const { axis, shape: outShape } = gatherShape(x, indices, attrs.axis);
  assertIndices('Gather', indices, axis, x.shape[axis] as number);
  if (sizeOf(outShape) === 0) return tf.zeros(outShape, x.dtype);
  return tf.gather(x, indices, axis);
});

/**
 * [updates, indices int32] → zeros of `shape` with each slice of updates added at its index along
 * `axis` (repeated indices accumulate). tf.scatterND scatters along the first axis, so the
 * scattered axis is moved to the front and back.
 */
export const scatterAdd = tfKernel<ScatterAddAttrs>(([updates, indices], attrs) => {
  const { shape } = attrs;
  if (shape.length === 0) throw new RangeError('ScatterAdd: shape must have rank >= 1, got []');
  const axis = normalizeAxis('ScatterAdd', attrs.axis, shape.length);
  const n = shape[axis] as number;
  const expected = [...shape.slice(0, axis), ...indices.shape, ...shape.slice(axis + 1)];
  if (sizeOf(expected) !== updates.size) {
    throw new RangeError(
      `ScatterAdd: updates ${fmt(updates.shape)} should have shape ${fmt(expected)} ` +
        `(shape ${fmt(shape)} with indices ${fmt(indices.shape)} along axis ${axis})`,
    );
  }
  assertIndices('ScatterAdd', indices, axis, n);
  if (sizeOf(shape) === 0 || updates.size === 0) return tf.zeros(shape, updates.dtype);
  const outer = sizeOf(shape.slice(0, axis));
  const inner = sizeOf(shape.slice(axis + 1));
  const count = indices.size;
  const rows = tf.reshape(updates, [outer, count, inner]);
  const byIndex = outer === 1 ? tf.reshape(rows, [count, inner]) : tf.reshape(tf.transpose(rows, [1, 0, 2]), [count, outer * inner]);
  const summed = tf.scatterND(tf.reshape(indices, [count, 1]), byIndex, [n, outer * inner]);
  const back = outer === 1 ? summed : tf.transpose(tf.reshape(summed, [n, outer, inner]), [1, 0, 2]);
  return tf.reshape(back, shape);
});
