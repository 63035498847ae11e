import type { BinaryAttrs, BinaryOpName, KernelFn, TensorInfo } from '@surrograd/core';
import { BINARY_TABLE, binaryForward, broadcastShapes } from '@surrograd/core';
import { emitRowWgsl } from '../activations/wgsl-emitter.js';
import type { WebGpuBackend } from '../backend.js';
import { pick } from './common.js';
import { donatedOperand, elementwise, wordType } from './elementwise.js';

/**
 * [a, b] → op(a, b), broadcast, dtype of a: the row's forward expression as WGSL, in f32 for
 * float32 and in wrapping i32 for int32 and bool (read as 0/1, stored back as != 0).
 */
export const binary: KernelFn<WebGpuBackend, BinaryAttrs> = (args) => {
  const { inputs, attrs, backend } = args;
  const [a, b] = inputs as [TensorInfo, TensorInfo];
  pick('Binary', 'op', BINARY_TABLE, attrs.op);
  const shape = broadcastShapes('Binary', a.shape, b.shape);
  const float = a.dtype === 'float32';
  const values = a.dtype === 'bool' ? ['i32(v0)', 'i32(v1)'] : ['v0', 'v1'];
  const { prelude, result, helpers } = emitRowWgsl(binaryForward(attrs.op as BinaryOpName), ['a', 'b'], float ? 'f32' : 'i32', values);
  const type = wordType(a.dtype);
  return elementwise(backend, {
    key: `Binary:${attrs.op}:${a.dtype}`,
    operands: [
      { data: backend.dataOf(a, 'Binary'), shape: a.shape, type },
      { data: backend.dataOf(b, 'Binary'), shape: b.shape, type: wordType(b.dtype) },
    ],
    outShape: shape,
    outDType: a.dtype,
    outType: type,
    prelude,
    expr: a.dtype === 'bool' ? `select(0u, 1u, ${result} != 0)` : result,
    helpers,
    donated: donatedOperand(args, shape, a.dtype),
  });
};
