/** The Cast kernel: a tensor's values in another dtype. */
import type { CastAttrs, KernelFn, TensorInfo } from '@surrograd/core';
import { assertDType, bytesPerElement, sizeOf } from '@surrograd/core';
import type { WasmBackend } from '../wasm-backend.js';
import { dtypeCode } from './codes.js';
import { elementParts } from './parts.js';

/** [x] → x as `dtype` (a copy, even to the same dtype); runs of elements on threads above the size threshold. */
export const cast: KernelFn<WasmBackend, CastAttrs> = ({ inputs, attrs, backend }) => {
  const [x] = inputs as [TensorInfo];
  assertDType('Cast', attrs.dtype);
  if (!backend.dtypes.includes(attrs.dtype)) {
    throw new TypeError(`Cast: the ${backend.name} backend stores ${backend.dtypes.join(', ')}; cannot cast to ${attrs.dtype}`);
  }
  const out = backend.output(x.shape, attrs.dtype, 'Cast');
  const n = sizeOf(x.shape);
  if (n === 0) return out;
  const [from, to] = [dtypeCode(x.dtype), dtypeCode(attrs.dtype)];
  const [px, py, wx, wy] = [backend.ptr(x, 'Cast'), out.dataId.ptr, bytesPerElement(x.dtype), bytesPerElement(attrs.dtype)];
  backend.parallel(
    'cast',
    elementParts(n, backend).map(([i, len]) => [from, to, px + i * wx, py + i * wy, len]),
  );
  return out;
};
