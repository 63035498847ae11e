import type { CastAttrs, DType, KernelFn, TensorInfo, TypedArray } from '@surrograd/core';
import { allocArray, assertDType, castNumber } from '@surrograd/core';
import type { CpuBackend } from '../cpu-backend.js';

/**
 * `values` as `dtype`. To bool: x != 0 (NaN → true). Float to int32: truncation toward zero,
 * saturating (beyond the range → -2³¹ or 2³¹ - 1, NaN → 0), as wasm's trunc_sat and WGSL's
 * conversion: never a silent wrap (docs/errors.md). From bool: 0/1.
 */
export function castValues(values: TypedArray, dtype: DType): TypedArray {
  const out = allocArray(dtype, values.length);
  if (dtype === 'bool') {
    for (let i = 0; i < values.length; i++) out[i] = +(values[i] !== 0);
  } else if (dtype === 'int32' && (values instanceof Float32Array || values instanceof Float64Array)) {
    for (let i = 0; i < values.length; i++) out[i] = castNumber(values[i] as number, 'int32');
  } else {
    out.set(values);
  }
  return out;
}

/** [x] → x as `dtype` (a copy, even to the same dtype). */
export const cast: KernelFn<CpuBackend, CastAttrs> = ({ inputs, attrs, backend }) => {
  const [x] = inputs as [TensorInfo];
  assertDType('Cast', attrs.dtype);
  return backend.makeOutput(castValues(backend.valuesOf(x), attrs.dtype), x.shape, attrs.dtype);
};
