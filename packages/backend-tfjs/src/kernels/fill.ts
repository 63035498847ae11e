import type { FillAttrs } from '@surrograd/core';
import { assertDType, castNumber } from '@surrograd/core';
import * as tf from '@tensorflow/tfjs-core';
import { tfKernel } from './run.js';

/** [] → `shape` filled with `value` as `dtype`. */
export const fill = tfKernel<FillAttrs>((_, { shape, value, dtype }) => {
  assertDType('Fill', dtype);
  return tf.fill([...shape], castNumber(value, dtype), dtype as tf.DataType);
});
