import type { KernelFn, TensorInfo, UnaryAttrs } from '@surrograd/core';
import { sizeOf } from '@surrograd/core';
import type { WasmBackend } from '../wasm-backend.js';
import { codeOf, UNARY_OPS } from './codes.js';

/** [x] → op(x), dtype of x (logicalNot: bool). */
export const unary: KernelFn<WasmBackend, UnaryAttrs> = (args) => {
  const { inputs, attrs, backend } = args;
  const [x] = inputs as [TensorInfo];
  const op = codeOf('Unary', 'op', UNARY_OPS, attrs.op);
  const dtype = attrs.op === 'logicalNot' ? 'bool' : x.dtype;
  const out = backend.outputOrDonated(args, x.shape, dtype, 'Unary');
  const n = sizeOf(x.shape);
  if (n === 0) return out;
  const px = backend.ptr(x, 'Unary');
  const k = backend.kernels;
  if (x.dtype === 'float32') k.unaryF32(op, px, out.dataId.ptr, n);
  else if (x.dtype === 'int32') k.unaryI32(op, px, out.dataId.ptr, n);
  else k.unaryU8(op, px, out.dataId.ptr, n);
  return out;
};
