import type { DType, FillAttrs, KernelFn } from '@surrograd/core';
import { assertDType, castNumber } from '@surrograd/core';
import type { WasmBackend, WasmData } from '../wasm-backend.js';

/** Fills a buffer with `value` (a memset: TypedArray.fill on a view of linear memory). */
export function fillValue(backend: WasmBackend, data: WasmData, dtype: DType, value: number): void {
  if (data.bytes === 0) return;
  backend.view(data, dtype).fill(castNumber(value, dtype));
}

/** [] → `shape` filled with `value` as `dtype`. */
export const fill: KernelFn<WasmBackend, FillAttrs> = ({ attrs, backend }) => {
  const { shape, value, dtype } = attrs;
  assertDType('Fill', dtype);
  const out = backend.output(shape, dtype, 'Fill');
  fillValue(backend, out.dataId, dtype, value);
  return out;
};
