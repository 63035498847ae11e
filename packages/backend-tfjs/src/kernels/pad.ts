/**
 * Pad without tf.pad. tfjs-wasm's PadV2 passes the pad value as a float (int32 values beyond 2²⁴
 * lose bits: 2147483647 pads as -2147483648) and caches its XNNPACK operator by that float, so a
 * NaN pad value matches whatever was cached (NaN then pads 0, and later pads get NaN). Filled
 * blocks concatenated along each padded axis are exact for every dtype, on every tfjs backend,
 * and measured as fast as tf.pad on tfjs-cpu and -wasm (0.7–1.2 times its time).
 */
import type { PadAttrs } from '@surrograd/core';
import { castNumber, padShape } from '@surrograd/core';
import * as tf from '@tensorflow/tfjs-core';
import { tfKernel } from './run.js';

/** x with `before` and `after` elements of `value` (already as x's dtype stores it) along `axis`. */
function padAxis(x: tf.Tensor, axis: number, before: number, after: number, value: number): tf.Tensor {
  const block = (n: number) =>
    tf.fill(
      x.shape.map((s, d) => (d === axis ? n : s)),
      value,
      x.dtype,
    );
  const parts = [...(before > 0 ? [block(before)] : []), x, ...(after > 0 ? [block(after)] : [])];
  return parts.length === 1 ? x : tf.concat(parts, axis);
}

/** [x] → x padded with `value`, paddings[d] = [before, after]. */
export const pad = tfKernel<PadAttrs>(([x], { paddings, value }) => {
  const outShape = padShape(x, paddings);
  const fillWith = castNumber(value, x.dtype as 'float32');
  // Empty x (some axis of size 0): every element of the output is padding.
  if (x.size === 0) return tf.fill(outShape, fillWith, x.dtype);
  let out = x;
  for (let d = 0; d < x.rank; d++) {
    const [before, after] = paddings[d] as [number, number];
    out = padAxis(out, d, before, after, fillWith);
  }
  return out === x ? tf.clone(x) : out;
});
