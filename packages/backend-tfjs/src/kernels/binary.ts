import type { BinaryAttrs, BinaryOpName, DType } from '@surrograd/core';
import { BINARY_TABLE, binaryForward } from '@surrograd/core';
import * as tf from '@tensorflow/tfjs-core';
import { evalTf } from '../expr/tf-expr.js';
import { emptyBroadcast } from './broadcast.js';
import { pick, tfKernel } from './run.js';
import { castTo } from './semantics.js';

/**
 * [a, b] → op(a, b), broadcast, dtype of a: the row's forward expression with tf ops. int32 and
 * bool compute with integer meaning (bool as 0/1, stored back as != 0).
 */
export const binary = tfKernel<BinaryAttrs>(([a, b], attrs) => {
  pick('Binary', 'op', BINARY_TABLE, attrs.op);
  const [ta, tb] = [a, b] as [tf.Tensor, tf.Tensor];
  const empty = emptyBroadcast('Binary', ta.dtype, ta, tb);
  if (empty) return empty;
  const float = ta.dtype === 'float32';
  const asInt = (t: tf.Tensor) => (t.dtype === 'bool' ? tf.cast(t, 'int32') : t);
  const env = float ? { a: ta, b: tb } : { a: asInt(ta), b: asInt(tb) };
  const v = evalTf(binaryForward(attrs.op as BinaryOpName), env, float ? 'float32' : 'int32');
  const out = v as tf.Tensor;
  return out === ta || out === tb || out.dtype !== ta.dtype ? castTo(out, ta.dtype as DType) : out;
});
