import type { DType, UnaryAttrs, UnaryOpName } from '@surrograd/core';
import { UNARY_TABLE, unaryForward } from '@surrograd/core';
import * as tf from '@tensorflow/tfjs-core';
import { evalTf } from '../expr/tf-expr.js';
import { pick, tfKernel } from './run.js';
import { castTo } from './semantics.js';

/**
 * [x] → op(x), dtype of x (a logical row: bool): the row's forward expression with tf ops.
 * int32 and bool compute with integer meaning (bool as 0/1, stored back as != 0).
 */
export const unary = tfKernel<UnaryAttrs>(([x], attrs) => {
  const row = pick('Unary', 'op', UNARY_TABLE, attrs.op);
  const t = x as tf.Tensor;
  const dtype = (row.dtypes === 'bool' ? 'bool' : t.dtype) as DType;
  const float = t.dtype === 'float32';
  const input = float || row.dtypes === 'bool' ? t : tf.cast(t, 'int32');
  const v = evalTf(unaryForward(attrs.op as UnaryOpName), { x: input }, float ? 'float32' : 'int32');
  const out = typeof v === 'number' ? tf.fill(t.shape, v) : v;
  // castTo copies when the dtype is kept, so the input is never handed back as the output.
  return out === t || out.dtype !== dtype ? castTo(out, dtype) : out;
});
