import type { ArgsortAttrs, KernelFn, TensorInfo } from '@surrograd/core';
import { argsortRows, fmt, sizeOf } from '@surrograd/core';
import type { CpuBackend } from '../cpu-backend.js';

/** [x] → int32 order sorting each row of the last axis (core's FusedKernels.Argsort), on the host in O(n log n). */
export const argsort: KernelFn<CpuBackend, ArgsortAttrs> = ({ inputs, attrs, backend }) => {
  const [x] = inputs as [TensorInfo];
  if (x.shape.length === 0 || x.dtype === 'bool') {
    throw new TypeError(`Argsort: expected a float or int32 tensor of rank 1 or more, got ${x.dtype} ${fmt(x.shape)}`);
  }
  const n = x.shape[x.shape.length - 1] as number;
  const size = sizeOf(x.shape);
  const order = argsortRows(backend.valuesOf(x), n === 0 ? 0 : size / n, n, attrs.descending);
  return backend.makeOutput(order, x.shape, 'int32');
};
