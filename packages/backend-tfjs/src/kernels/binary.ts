import type { BinaryAttrs, BinaryOp } from '@surrograd/core';
import { broadcastShapes } from '@surrograd/core';
import * as tf from '@tensorflow/tfjs-core';
import { emptyBroadcast } from './broadcast.js';
import { pick, tfKernel } from './run.js';
import { castTo, nanPropagating } from './semantics.js';

type BinaryTf = (a: tf.Tensor, b: tf.Tensor) => tf.Tensor;

/**
 * int32 a / b as the reference stores it: truncated toward zero, a / 0 = 0 (±Inf and NaN store as
 * 0), -2³¹ / -1 wrapping to -2³¹. Computed on the host: tf.div floors on int32, and tfjs-wasm's
 * FloorDiv goes through float32, off by hundreds past 2²⁴. Integer division is rare (never in
 * training), so a read back is the price of exactness.
 */
function truncatingIntDiv(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const shape = broadcastShapes('Binary', a.shape, b.shape);
  const av = tf.broadcastTo(a, shape).dataSync();
  const bv = tf.broadcastTo(b, shape).dataSync();
  const out = new Int32Array(av.length);
  for (let i = 0; i < out.length; i++) out[i] = (av[i] as number) / (bv[i] as number);
  return tf.tensor(out, shape, 'int32');
}

/** pow with IEEE 754's special cases (the reference): 1 ** y = 1 for any y, (-1) ** ±Inf = 1; tfjs-cpu's Math.pow gives NaN there. */
function pow(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const p = tf.pow(a, b);
  if (a.dtype !== 'float32') return p;
  const infinite = tf.logicalAnd(tf.logicalNot(tf.isFinite(b)), tf.logicalNot(tf.isNaN(b)));
  const one = tf.logicalOr(tf.equal(a, 1), tf.logicalAnd(tf.equal(a, -1), infinite));
  return tf.where(one, tf.onesLike(p), p);
}

const ops: Record<BinaryOp, BinaryTf> = {
  add: tf.add,
  sub: tf.sub,
  mul: tf.mul,
  div: (a, b) => (a.dtype === 'int32' ? truncatingIntDiv(a, b) : tf.div(a, b)),
  pow,
  maximum: (a, b) => nanPropagating('maximum', a, b),
  minimum: (a, b) => nanPropagating('minimum', a, b),
};

/** [a, b] → op(a, b), broadcast, dtype of a. */
export const binary = tfKernel<BinaryAttrs>(([a, b], attrs) => {
  const op = pick('Binary', 'op', ops, attrs.op);
  const empty = emptyBroadcast('Binary', a.dtype, a, b);
  if (empty) return empty;
  const out = op(a, b);
  return out.dtype === a.dtype ? out : castTo(out, a.dtype as 'int32');
});
