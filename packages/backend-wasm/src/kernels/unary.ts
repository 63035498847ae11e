import type { KernelFn, TensorInfo, UnaryAttrs } from '@surrograd/core';
import { sizeOf, UNARY_TABLE } from '@surrograd/core';
import { UNARY_OPS } from '../generated/elementwise-ops.js';
import type { WasmBackend } from '../wasm-backend.js';
import { cast } from './cast.js';
import { codeOf } from './codes.js';

/**
 * [x] → op(x), dtype of x (a logical row: bool). The loops are generated from the row's forward
 * expression (scripts/emit-elementwise.mjs); a logical row reads bytes, so another dtype is cast
 * to bool first (core always does; a direct kernel call may not).
 */
export const unary: KernelFn<WasmBackend, UnaryAttrs> = (args) => {
  const { inputs, attrs, backend } = args;
  const [x] = inputs as [TensorInfo];
  const op = codeOf('Unary', 'op', UNARY_OPS, attrs.op);
  const logical = UNARY_TABLE[attrs.op].dtypes === 'bool';
  if (logical && x.dtype !== 'bool') {
    const b = cast({ inputs: [x], attrs: { dtype: 'bool' }, backend }) as TensorInfo;
    try {
      return unary({ inputs: [b], attrs, backend }) as TensorInfo;
    } finally {
      backend.dispose(b.dataId);
    }
  }
  const out = backend.outputOrDonated(args, x.shape, x.dtype, 'Unary');
  const n = sizeOf(x.shape);
  if (n === 0) return out;
  const px = backend.ptr(x, 'Unary');
  const k = backend.kernels;
  if (x.dtype === 'float32') k.unaryF32(op, px, out.dataId.ptr, n);
  else if (x.dtype === 'int32') k.unaryI32(op, px, out.dataId.ptr, n);
  else k.unaryU8(op, px, out.dataId.ptr, n);
  return out;
};
