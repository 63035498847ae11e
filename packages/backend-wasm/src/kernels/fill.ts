import type { DType, FillAttrs, KernelFn } from '@surrograd/core';
import { allocArray, assertDType } from '@surrograd/core';
import type { WasmBackend, WasmData } from '../wasm-backend.js';

/** One number as `dtype` stores it (Cast's rules: to bool x != 0, to int32 ToInt32). */
export function storedValue(value: number, dtype: DType): number {
  if (dtype === 'bool') return +(value !== 0);
  const one = allocArray(dtype, 1);
  one[0] = value;
  return one[0] as number;
}

/** Fills a buffer with `value` (a memset: TypedArray.fill on a view of linear memory). */
export function fillValue(backend: WasmBackend, data: WasmData, dtype: DType, value: number): void {
  if (data.bytes === 0) return;
  backend.view(data, dtype).fill(storedValue(value, dtype));
}

/** [] → `shape` filled with `value` as `dtype`. */
export const fill: KernelFn<WasmBackend, FillAttrs> = ({ attrs, backend }) => {
  const { shape, value, dtype } = attrs;
  assertDType('Fill', dtype);
  const out = backend.output(shape, dtype, 'Fill');
  fillValue(backend, out.dataId, dtype, value);
  return out;
};
