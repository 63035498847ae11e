/**
 * Compare and Logical: core's table rows (COMPARE_TABLE, LOGICAL_TABLE) as WGSL, in f32 for
 * float32 operands (NaN-aware compares: false except under ne, as IEEE says) and in i32 for int32
 * and bool (read as 0/1), stored as bool words 0/1.
 */
import type { CompareAttrs, Expr, KernelFn, LogicalAttrs, TensorInfo } from '@surrograd/core';
import { broadcastShapes, compareForward, logicalForward } from '@surrograd/core';
import { emitRowWgsl } from '../activations/wgsl-emitter.js';
import type { WebGpuBackend } from '../backend.js';
import { elementwise, wordType } from './elementwise.js';

function predicate(backend: WebGpuBackend, kernel: string, op: string, e: Expr, [a, b]: readonly TensorInfo[]) {
  const float = a!.dtype === 'float32';
  const values = a!.dtype === 'bool' ? ['i32(v0)', 'i32(v1)'] : ['v0', 'v1'];
  const { prelude, result, helpers } = emitRowWgsl(e, ['a', 'b'], float ? 'f32' : 'i32', values);
  const type = wordType(a!.dtype);
  return elementwise(backend, {
    key: `${kernel}:${op}:${a!.dtype}`,
    operands: [
      { data: backend.dataOf(a!, kernel), shape: a!.shape, type },
      { data: backend.dataOf(b!, kernel), shape: b!.shape, type: wordType(b!.dtype) },
    ],
    outShape: broadcastShapes(kernel, a!.shape, b!.shape),
    outDType: 'bool',
    outType: 'u32',
    prelude,
    expr: `u32(${result})`,
    helpers,
  });
}

/** [a, b] → bool, broadcast. */
export const compare: KernelFn<WebGpuBackend, CompareAttrs> = ({ inputs, attrs, backend }) =>
  predicate(backend, 'Compare', attrs.op, compareForward(attrs.op), inputs);

/** [a, b] bool → bool, broadcast. */
export const logical: KernelFn<WebGpuBackend, LogicalAttrs> = ({ inputs, attrs, backend }) =>
  predicate(backend, 'Logical', attrs.op, logicalForward(attrs.op), inputs);
