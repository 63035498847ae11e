/**
 * The reference semantics (packages/backend-cpu) where tfjs ops differ from them, on some tfjs
 * backend or all: NaN propagation, truncating casts, sign(NaN), accurate log1p. Each helper is
 * written with ops whose behaviour is the same on every tfjs backend (compare, select, arithmetic).
 * Selects take operands of one shape (see broadcast.ts: a broadcasting tf.where is slow on wasm).
 */
import type { DType } from '@surrograd/core';
import * as tf from '@tensorflow/tfjs-core';

const TWO_31 = 2 ** 31;
const TWO_32 = 2 ** 32;

/** maximum/minimum that return NaN when either side is NaN (tfjs-wasm keeps the other side). */
export function nanPropagating(op: 'maximum' | 'minimum', a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const m = op === 'maximum' ? tf.maximum(a, b) : tf.minimum(a, b);
  if (a.dtype !== 'float32') return m;
  // m + NaN: a NaN of m's (broadcast) shape, without a broadcasting select.
  return tf.where(tf.logicalOr(tf.isNaN(a), tf.isNaN(b)), tf.add(m, Number.NaN), m);
}

/**
 * sign with sign(NaN) = NaN and sign(±0) = 0, from comparisons: tf.sign gives 0 for NaN, and
 * tfjs-wasm's gives 0 for small numbers such as 1e-30.
 */
export function signKeepingNaN(x: tf.Tensor): tf.Tensor {
  if (x.dtype !== 'float32') return tf.sign(x);
  const s = tf.sub(tf.cast(tf.greater(x, 0), 'float32'), tf.cast(tf.less(x, 0), 'float32'));
  return tf.where(tf.isNaN(x), x, s);
}

/**
 * log1p accurate near 0 on every backend (tfjs-wasm computes log(1 + x), which is 0 at 1e-8):
 * Kahan's log(u) · x / (u − 1) with u = 1 + x corrects the rounding of u.
 */
export function accurateLog1p(x: tf.Tensor): tf.Tensor {
  const u = tf.add(x, 1);
  const corrected = tf.mul(tf.log(u), tf.div(x, tf.sub(u, 1)));
  // u == 1: x is below rounding, log1p(x) = x. x == Inf: Inf / Inf would be NaN.
  return tf.where(tf.logicalOr(tf.equal(u, 1), tf.equal(x, Number.POSITIVE_INFINITY)), x, corrected);
}

/**
 * float32 → int32 as a typed array stores it (the reference): truncation toward zero, NaN and
 * ±Inf to 0, values beyond int32 wrapped modulo 2³². tfjs backends differ here (wasm, webgl).
 */
export function truncToInt32(x: tf.Tensor): tf.Tensor {
  const t = tf.mul(tf.sign(x), tf.floor(tf.abs(x)));
  // |t| ≥ 2³¹ are multiples of 256 in float32, so t mod 2³² and its shift down are exact.
  const mod = tf.sub(t, tf.mul(tf.floor(tf.div(t, TWO_32)), TWO_32));
  const wrapped = tf.where(tf.greaterEqual(mod, TWO_31), tf.sub(mod, TWO_32), mod);
  const inRange = tf.where(tf.less(tf.abs(t), TWO_31), t, wrapped);
  const finite = tf.less(tf.abs(x), Number.POSITIVE_INFINITY);
  return tf.cast(tf.where(finite, inRange, tf.zerosLike(inRange)), 'int32');
}

/** x != 0 as bool (NaN is true); tfjs-wasm's cast to bool keeps other values as they are. */
export function toBool(x: tf.Tensor): tf.Tensor {
  return x.dtype === 'bool' ? tf.clone(x) : tf.notEqual(x, tf.scalar(0, x.dtype));
}

/** x converted to `dtype` with the reference rules (Cast's semantics); a copy when the dtype is the same. */
export function castTo(x: tf.Tensor, dtype: DType): tf.Tensor {
  if (dtype === 'bool') return toBool(x);
  if (x.dtype === dtype) return tf.clone(x);
  if (dtype === 'int32' && x.dtype === 'float32') return truncToInt32(x);
  return tf.cast(x, dtype as tf.DataType);
}

/** One number as `dtype` stores it, by the same rules as Cast. */
export function castScalar(value: number, dtype: DType): number {
  if (dtype === 'bool') return +(value !== 0);
  if (dtype === 'int32') return value | 0;
  return Math.fround(value);
}
