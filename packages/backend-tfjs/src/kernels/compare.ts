import type { CompareAttrs, CompareOp, LogicalAttrs, LogicalOp } from '@surrograd/core';
import * as tf from '@tensorflow/tfjs-core';
import { emptyBroadcast, select } from './broadcast.js';
import { pick, tfKernel } from './run.js';

const compares: Record<CompareOp, (a: tf.Tensor, b: tf.Tensor) => tf.Tensor> = {
  lt: tf.less,
  le: tf.lessEqual,
  gt: tf.greater,
  ge: tf.greaterEqual,
  eq: tf.equal,
  ne: tf.notEqual,
};

/** [a, b] → bool, broadcast; NaN compares false except under `ne`. */
export const compare = tfKernel<CompareAttrs>(([a, b], attrs) => {
  const op = pick('Compare', 'op', compares, attrs.op);
  return emptyBroadcast('Compare', 'bool', a, b) ?? op(a, b);
});

const logicals: Record<LogicalOp, (a: tf.Tensor, b: tf.Tensor) => tf.Tensor> = {
  and: tf.logicalAnd,
  or: tf.logicalOr,
  xor: tf.logicalXor,
};

/** [a, b] bool → bool, broadcast. */
export const logical = tfKernel<LogicalAttrs>(([a, b], attrs) => {
  const op = pick('Logical', 'op', logicals, attrs.op);
  return emptyBroadcast('Logical', 'bool', a, b) ?? op(a, b);
});

/** [cond bool, a, b] → cond ? a : b, all three broadcast. */
export const where = tfKernel<unknown>(([cond, a, b]) => {
  if (a.dtype !== b.dtype) {
    throw new TypeError(`Where: a and b must have the same dtype, got ${a.dtype} and ${b.dtype}`);
  }
  return emptyBroadcast('Where', a.dtype, cond, a, b) ?? select(cond, a, b);
});
