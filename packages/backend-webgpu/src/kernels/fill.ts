import type { DType, FillAttrs, KernelFn, Shape } from '@surrograd/core';
import { assertDType, castNumber } from '@surrograd/core';
import type { GpuData, WebGpuBackend } from '../backend.js';
import { runElementwise } from './elementwise.js';

/** The 32-bit word `value` is stored as in `dtype`, by the same rules as Cast. */
export function wordOf(value: number, dtype: DType): number {
  if (dtype === 'float32') return new Uint32Array(new Float32Array([value]).buffer)[0] as number;
  return castNumber(value, dtype);
}

/** Fills `out` (of `shape`) with one 32-bit word: one pipeline serves every dtype and value. */
export function fillWords(backend: WebGpuBackend, out: GpuData, shape: Shape, word: number): void {
  runElementwise(
    backend,
    { key: 'Fill', operands: [], outShape: shape, outDType: 'int32', outType: 'u32', expr: 'u.word', scalars: [['word', 'u32', word]] },
    out,
  );
}

/** [] → `shape` filled with `value` as `dtype`. */
export const fill: KernelFn<WebGpuBackend, FillAttrs> = ({ attrs, backend }) => {
  const { shape, value, dtype } = attrs;
  assertDType('Fill', dtype);
  if (!backend.dtypes.includes(dtype)) {
    throw new TypeError(`Fill: backend 'webgpu' does not support ${dtype} (it supports ${backend.dtypes.join(', ')})`);
  }
  const out = backend.makeOutput(shape, dtype, 'Fill');
  fillWords(backend, out.data, shape, wordOf(value, dtype));
  return out.info;
};
