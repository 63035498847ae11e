import type { UnaryAttrs, UnaryOp } from '@surrograd/core';
import * as tf from '@tensorflow/tfjs-core';
import { pick, tfKernel } from './run.js';
import { accurateErf, accurateLog1p, castTo, hostTrig, signKeepingNaN, zeroWithSignOf } from './semantics.js';

type UnaryTf = (x: tf.Tensor) => tf.Tensor;

const isInt = (x: tf.Tensor) => x.dtype === 'int32';

// tfjs-cpu negates int32 through float32 (-2147483647 becomes -2³¹): a subtraction is exact.
const negate = (x: tf.Tensor) => (isInt(x) ? tf.sub(tf.scalar(0, 'int32'), x) : tf.neg(x));

const ops: Record<UnaryOp, UnaryTf> = {
  neg: negate,
  exp: tf.exp,
  log: tf.log,
  sqrt: (x) => (isInt(x) ? tf.sqrt(x) : zeroWithSignOf(x, tf.sqrt(x))),
  rsqrt: tf.rsqrt,
  abs: (x) => (isInt(x) ? tf.where(tf.less(x, tf.scalar(0, 'int32')), negate(x), x) : tf.abs(x)),
  sign: signKeepingNaN,
  reciprocal: tf.reciprocal,
  // tfjs-cpu squares int32 in float32 precision; a product wraps like the reference.
  square: (x) => (isInt(x) ? tf.mul(x, x) : tf.square(x)),
  sin: (x) => (isInt(x) ? tf.sin(x) : hostTrig('sin', x)),
  cos: (x) => (isInt(x) ? tf.cos(x) : hostTrig('cos', x)),
  // tfjs computes these in float32; on integers they are the identity.
  floor: (x) => (isInt(x) ? tf.clone(x) : zeroWithSignOf(x, tf.floor(x))),
  ceil: (x) => (isInt(x) ? tf.clone(x) : zeroWithSignOf(x, tf.ceil(x))),
  // tf.round rounds half to even, as the reference; round(-0.4) is -0.
  round: (x) => (isInt(x) ? tf.clone(x) : zeroWithSignOf(x, tf.round(x))),
  erf: (x) => (isInt(x) ? tf.erf(x) : accurateErf(x)),
  log1p: accurateLog1p,
  expm1: tf.expm1,
  logicalNot: (x) => (x.dtype === 'bool' ? tf.logicalNot(x) : tf.equal(x, tf.scalar(0, x.dtype))),
};

/** [x] → op(x), dtype of x (logicalNot: bool). */
export const unary = tfKernel<UnaryAttrs>(([x], attrs) => {
  const op = pick('Unary', 'op', ops, attrs.op);
  const out = op(x);
  const dtype = attrs.op === 'logicalNot' ? 'bool' : x.dtype;
  // Float math on int32 (core computes it in float32, but a direct kernel call may not) stays int32.
  return out.dtype === dtype ? out : castTo(out, dtype as 'int32');
});
