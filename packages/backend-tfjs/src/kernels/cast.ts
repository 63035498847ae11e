import type { CastAttrs } from '@surrograd/core';
import { assertDType } from '@surrograd/core';
import { tfKernel } from './run.js';
import { castTo } from './semantics.js';

/** [x] → x as `dtype`: float→int truncates (NaN, ±Inf → 0, wraps beyond int32); →bool is x != 0. */
export const cast = tfKernel<CastAttrs>(([x], attrs) => {
  assertDType('Cast', attrs.dtype);
  return castTo(x, attrs.dtype);
});
