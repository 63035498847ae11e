import type { KernelFn, TensorInfo, UnaryAttrs, UnaryOpName } from '@surrograd/core';
import { UNARY_TABLE, unaryForward } from '@surrograd/core';
import { emitRowWgsl } from '../activations/wgsl-emitter.js';
import type { WebGpuBackend } from '../backend.js';
import { pick } from './common.js';
import { donatedOperand, elementwise, wordType } from './elementwise.js';

/**
 * [x] → op(x), dtype of x (a logical row: bool): the row's forward expression as WGSL, in f32
 * for float32 and in wrapping i32 for int32 and bool (read as 0/1, stored back as != 0).
 */
export const unary: KernelFn<WebGpuBackend, UnaryAttrs> = (args) => {
  const { inputs, attrs, backend } = args;
  const [x] = inputs as [TensorInfo];
  const row = pick('Unary', 'op', UNARY_TABLE, attrs.op);
  const outDType = row.dtypes === 'bool' ? 'bool' : x.dtype;
  const float = x.dtype === 'float32';
  const value = x.dtype === 'bool' ? 'i32(v0)' : 'v0';
  const { prelude, result, helpers } = emitRowWgsl(unaryForward(attrs.op as UnaryOpName), ['x'], float ? 'f32' : 'i32', [value]);
  const zero = float ? '0.0' : '0';
  return elementwise(backend, {
    key: `Unary:${attrs.op}:${x.dtype}`,
    operands: [{ data: backend.dataOf(x, 'Unary'), shape: x.shape, type: wordType(x.dtype) }],
    outShape: x.shape,
    outDType,
    outType: wordType(outDType),
    prelude,
    expr: outDType === 'bool' ? `select(0u, 1u, ${result} != ${zero})` : result,
    helpers,
    donated: donatedOperand(args, x.shape, outDType),
  });
};
