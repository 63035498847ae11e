import type { CastAttrs, DType, KernelFn, TensorInfo, TypedArray } from '@surrograd/core';
import { allocArray, assertDType } from '@surrograd/core';
import type { CpuBackend } from '../cpu-backend.js';

/**
 * `values` as `dtype`. To bool: x != 0 (NaN → true). To int32: truncation toward zero, by the
 * typed array's own conversion (ToInt32: NaN → 0, values beyond int32 wrap modulo 2³²).
 * From bool: 0/1.
 */
export function castValues(values: TypedArray, dtype: DType): TypedArray {
  const out = allocArray(dtype, values.length);
  if (dtype === 'bool') {
    for (let i = 0; i < values.length; i++) out[i] = +(values[i] !== 0);
  } else {
    out.set(values);
  }
  return out;
}

/** One number as `dtype` would store it, by the same rules as Cast. */
export function castScalar(value: number, dtype: DType): number {
  if (dtype === 'bool') return +(value !== 0);
  const one = allocArray(dtype, 1);
  one[0] = value;
  return one[0];
}

/** [x] → x as `dtype` (a copy, even to the same dtype). */
export const cast: KernelFn<CpuBackend, CastAttrs> = ({ inputs, attrs, backend }) => {
  const [x] = inputs as [TensorInfo];
  assertDType('Cast', attrs.dtype);
  return backend.makeOutput(castValues(backend.valuesOf(x), attrs.dtype), x.shape, attrs.dtype);
};
