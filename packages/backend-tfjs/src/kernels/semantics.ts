/**
 * The reference semantics (packages/backend-cpu) where tfjs ops differ from them, on some tfjs
 * backend or all: NaN propagation, truncating casts, sign(NaN), accurate log1p. Each helper is
 * written with ops whose behaviour is the same on every tfjs backend (compare, select, arithmetic).
 * Selects take operands of one shape (see broadcast.ts: a broadcasting tf.where is slow on wasm).
 */
import type { DType } from '@surrograd/core';
import { broadcastShapes } from '@surrograd/core';
import * as tf from '@tensorflow/tfjs-core';
import { expandTo } from './broadcast.js';

const TWO_31 = 2 ** 31;

/**
 * maximum/minimum as IEEE 754-2019's (the reference's Math.max/min): NaN when either side is NaN
 * (tfjs-wasm keeps the other side), and +0 above -0 whichever side it is on.
 */
export function nanPropagating(op: 'maximum' | 'minimum', a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const m = op === 'maximum' ? tf.maximum(a, b) : tf.minimum(a, b);
  if (a.dtype !== 'float32') return m;
  // Two zeros: (+0) + (-0) is +0, the maximum; -((-a) + (-b)) is -0 if either is, the minimum.
  const zeros = op === 'maximum' ? tf.add(a, b) : tf.neg(tf.add(tf.neg(a), tf.neg(b)));
  const signed = tf.where(tf.logicalAnd(tf.equal(a, 0), tf.equal(b, 0)), zeros, m);
  // m + NaN: a NaN of m's (broadcast) shape, without a broadcasting select.
  return tf.where(tf.logicalOr(tf.isNaN(a), tf.isNaN(b)), tf.add(m, Number.NaN), signed);
}

/** A zero result of a function that keeps the sign of zero (sin, tanh, erf, floor, round…) with x's sign: tfjs backends lose it. */
export function zeroWithSignOf(x: tf.Tensor, r: tf.Tensor): tf.Tensor {
  return tf.where(tf.equal(r, 0), tf.mul(x, 0), r);
}

/** erf accurate for tiny x (tfjs-wasm's erf(1e-30) is 1e-9): 2x/√π below |x| = 1e-4, where the x³ term is below rounding. */
export function accurateErf(x: tf.Tensor): tf.Tensor {
  return zeroWithSignOf(x, tf.where(tf.less(tf.abs(x), 1e-4), tf.mul(x, 1.1283791670955126), tf.erf(x)));
}

/**
 * sin or cos computed on the host from the float32 values: tfjs's kernels lose the argument past
 * |x| ≈ 1e5 (tfjs-wasm's sin(3.4e38) is 0.40, not -0.24); the reference reduces exactly.
 */
export function hostTrig(fn: 'sin' | 'cos', x: tf.Tensor): tf.Tensor {
  const values = x.dataSync();
  const out = new Float32Array(values.length);
  const f = fn === 'sin' ? Math.sin : Math.cos;
  for (let i = 0; i < out.length; i++) out[i] = f(values[i] as number);
  return tf.tensor(out, x.shape, 'float32');
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

/** pow with IEEE 754's special cases (the reference): 1 ** y = 1 for any y, (-1) ** ±Inf = 1; tfjs-cpu's Math.pow gives NaN there. */
export function ieeePow(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const p = tf.pow(a, b);
  if (a.dtype !== 'float32') return p;
  const infinite = tf.logicalAnd(tf.logicalNot(tf.isFinite(b)), tf.logicalNot(tf.isNaN(b)));
  const one = tf.logicalOr(tf.equal(a, 1), tf.logicalAnd(tf.equal(a, -1), infinite));
  return tf.where(one, tf.onesLike(p), p);
}

/**
 * int32 a / b as the reference stores it: truncated toward zero, a / 0 = 0 (±Inf and NaN store as
 * 0), -2³¹ / -1 wrapping to -2³¹. Computed on the host: tf.div floors on int32, and tfjs-wasm's
 * FloorDiv goes through float32, off by hundreds past 2²⁴. Integer division is rare (never in
 * training; core divides integers in float32), so a read back is the price of exactness.
 */
export function truncatingIntDiv(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const shape = broadcastShapes('Binary', a.shape, b.shape);
  const av = tf.broadcastTo(a, shape).dataSync();
  const bv = tf.broadcastTo(b, shape).dataSync();
  const out = new Int32Array(av.length);
  for (let i = 0; i < out.length; i++) out[i] = (av[i] as number) / (bv[i] as number);
  return tf.tensor(out, shape, 'int32');
}

/**
 * C's fmod, exactly: a dividend smaller than the divisor is its own remainder (tf.mod loses a tiny
 * one: (a % b + b) % b rounds to 0), an infinite divisor leaves a finite dividend as it is (tf.mod
 * gives NaN), and otherwise tf.mod (floor modulo, exact there) moved to the dividend's sign.
 */
export function exactFmod(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const m = tf.mod(a, b);
  const signsDiffer = tf.notEqual(tf.less(a, 0), tf.less(b, 0));
  const fmod = tf.where(tf.logicalAnd(tf.notEqual(m, 0), signsDiffer), tf.sub(m, b), m);
  const keep = tf.logicalAnd(tf.less(tf.abs(a), tf.abs(b)), tf.isFinite(a));
  return tf.where(keep, expandTo(a, fmod.shape), fmod);
}

/** The largest float32 below 2³¹: every float32 up to it converts to int32 exactly. */
const BELOW_TWO_31 = 2147483520;

/**
 * float32 → int32 as the reference casts: truncation toward zero, saturating (≥ 2³¹ → 2³¹ - 1,
 * ≤ -2³¹ → -2³¹), NaN → 0. tfjs backends wrap or differ here (cpu, wasm, webgl).
 */
export function truncToInt32(x: tf.Tensor): tf.Tensor {
  const t = tf.mul(tf.sign(x), tf.floor(tf.abs(x)));
  const clipped = tf.where(tf.isNaN(x), tf.zerosLike(t), tf.clipByValue(t, -TWO_31, BELOW_TWO_31));
  const top = tf.fill(x.shape, 2147483647, 'int32');
  return tf.where(tf.greaterEqual(t, TWO_31), top, tf.cast(clipped, 'int32'));
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
