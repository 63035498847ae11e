import type { CompareAttrs, Expr, LogicalAttrs } from '@surrograd/core';
import { compareForward, logicalForward } from '@surrograd/core';
import * as tf from '@tensorflow/tfjs-core';
import { evalTf } from '../expr/tf-expr.js';
import { emptyBroadcast, select } from './broadcast.js';
import { tfKernel } from './run.js';

/**
 * A bool row of core's table (COMPARE_TABLE, LOGICAL_TABLE) with tf ops: float32 operands compare
 * as floats (NaN false except under ne), int32 and bool (as 0/1) as integers.
 */
function predicate(kernel: string, e: Expr, a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const empty = emptyBroadcast(kernel, 'bool', a, b);
  if (empty) return empty;
  const float = a.dtype === 'float32';
  const asInt = (t: tf.Tensor) => (t.dtype === 'bool' ? tf.cast(t, 'int32') : t);
  const v = evalTf(e, float ? { a, b } : { a: asInt(a), b: asInt(b) }, float ? 'float32' : 'int32') as tf.Tensor;
  return v.dtype === 'bool' ? v : tf.notEqual(v, 0);
}

/** [a, b] → bool, broadcast. */
export const compare = tfKernel<CompareAttrs>(([a, b], attrs) => predicate('Compare', compareForward(attrs.op), a!, b!));

/** [a, b] bool → bool, broadcast. */
export const logical = tfKernel<LogicalAttrs>(([a, b], attrs) => predicate('Logical', logicalForward(attrs.op), a!, b!));

/** [cond bool, a, b] → cond ? a : b, all three broadcast. */
export const where = tfKernel<unknown>(([cond, a, b]) => {
  if (a.dtype !== b.dtype) {
    throw new TypeError(`Where: a and b must have the same dtype, got ${a.dtype} and ${b.dtype}`);
  }
  return emptyBroadcast('Where', a.dtype, cond, a, b) ?? select(cond, a, b);
});
