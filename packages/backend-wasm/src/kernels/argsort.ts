import type { ArgsortAttrs, KernelFn, TensorInfo } from '@surrograd/core';
import { argsortRows, fmt, sizeOf } from '@surrograd/core';
import type { WasmBackend } from '../wasm-backend.js';

/**
 * [x] → int32 order sorting each row of the last axis (core's FusedKernels.Argsort): core's
 * argsortRows over a view of x's memory, O(n log n) a row on this thread.
 */
export const argsort: KernelFn<WasmBackend, ArgsortAttrs> = ({ inputs, attrs, backend }) => {
  const [x] = inputs as [TensorInfo];
  if (x.shape.length === 0 || (x.dtype !== 'float32' && x.dtype !== 'int32')) {
    throw new TypeError(`Argsort: expected a float32 or int32 tensor of rank 1 or more, got ${x.dtype} ${fmt(x.shape)}`);
  }
  const n = x.shape[x.shape.length - 1] as number;
  const size = sizeOf(x.shape);
  const order = argsortRows(backend.view(backend.dataIdOf(x, 'Argsort'), x.dtype), n === 0 ? 0 : size / n, n, attrs.descending);
  const out = backend.output(x.shape, 'int32', 'Argsort');
  // The output's allocation may have grown the memory: write through a fresh view.
  backend.i32.set(order, out.dataId.ptr >>> 2);
  return out;
};
