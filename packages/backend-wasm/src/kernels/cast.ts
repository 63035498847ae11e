/** The Cast kernel: a tensor's values in another dtype. */
import type { CastAttrs, KernelFn, TensorInfo } from '@surrograd/core';
import { assertDType, sizeOf } from '@surrograd/core';
import type { WasmBackend } from '../wasm-backend.js';
import { dtypeCode } from './codes.js';

/** [x] → x as `dtype` (a copy, even to the same dtype). */
export const cast: KernelFn<WasmBackend, CastAttrs> = ({ inputs, attrs, backend }) => {
  const [x] = inputs as [TensorInfo];
  assertDType('Cast', attrs.dtype);
  if (!backend.dtypes.includes(attrs.dtype)) {
    throw new TypeError(`Cast: the ${backend.name} backend stores ${backend.dtypes.join(', ')}; cannot cast to ${attrs.dtype}`);
  }
  const out = backend.output(x.shape, attrs.dtype, 'Cast');
  const n = sizeOf(x.shape);
  if (n > 0) backend.kernels.cast(dtypeCode(x.dtype), dtypeCode(attrs.dtype), backend.ptr(x, 'Cast'), out.dataId.ptr, n);
  return out;
};
