import type { KernelFn, TensorInfo } from '@surrograd/core';
import { broadcastShapes } from '@surrograd/core';
import type { WebGpuBackend } from '../backend.js';
import { donatedOperand, elementwise } from './elementwise.js';

/** [cond bool, a, b] → cond ? a : b, all broadcast. Picks 32-bit words, so it is exact for every dtype (NaN payloads, -0). */
export const where: KernelFn<WebGpuBackend> = (args) => {
  const { inputs, backend } = args;
  const [cond, a, b] = inputs as [TensorInfo, TensorInfo, TensorInfo];
  if (a.dtype !== b.dtype) throw new TypeError(`Where: a and b must have the same dtype, got ${a.dtype} and ${b.dtype}`);
  const outShape = broadcastShapes('Where', cond.shape, a.shape, b.shape);
  return elementwise(backend, {
    key: 'Where',
    operands: [
      { data: backend.dataOf(cond, 'Where'), shape: cond.shape, type: 'u32' },
      { data: backend.dataOf(a, 'Where'), shape: a.shape, type: 'u32' },
      { data: backend.dataOf(b, 'Where'), shape: b.shape, type: 'u32' },
    ],
    outShape,
    outDType: a.dtype,
    outType: 'u32',
    expr: 'select(v2, v1, v0 != 0u)',
    donated: donatedOperand(args, outShape, a.dtype),
  });
};
