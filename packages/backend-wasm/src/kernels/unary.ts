import type { DType, KernelFn, TensorInfo, UnaryAttrs } from '@surrograd/core';
import { sizeOf, UNARY_TABLE } from '@surrograd/core';
import { UNARY_DTYPES, UNARY_OPS } from '../generated/elementwise-ops.js';
import type { WasmBackend } from '../wasm-backend.js';
import { codeOf } from './codes.js';
import { elementParts, isShared } from './parts.js';
import { throughDType } from './through-dtype.js';

/**
 * [x] → op(x), dtype of x (a logical row: bool). The loops are generated from the row's forward
 * expression (scripts/emit-elementwise.mjs), for the dtypes the row computes in.
 */
export const unary: KernelFn<WasmBackend, UnaryAttrs> = (args) => {
  const { inputs, attrs, backend } = args;
  const [x] = inputs as [TensorInfo];
  const op = codeOf('Unary', 'op', UNARY_OPS, attrs.op);
  const computes = UNARY_DTYPES[attrs.op] as readonly DType[];
  if (!computes.includes(x.dtype)) {
    // A float row on integers computes in float32; a logical row reads bool.
    const outDType = UNARY_TABLE[attrs.op].dtypes === 'bool' ? 'bool' : x.dtype;
    const via = computes[0] as DType;
    return throughDType(backend, [x], via, outDType, ([c]) => unary({ inputs: [c as TensorInfo], attrs, backend }) as TensorInfo);
  }
  const out = backend.outputOrDonated(args, x.shape, x.dtype, 'Unary');
  const n = sizeOf(x.shape);
  if (n === 0) return out;
  const px = backend.ptr(x, 'Unary');
  const k = backend.kernels;
  const po = out.dataId.ptr;
  if (x.dtype === 'float32' && isShared(n, backend)) {
    backend.parallel(
      'unaryF32',
      elementParts(n, backend).map(([i, len]) => [op, px + i * 4, po + i * 4, len]),
    );
  } else if (x.dtype === 'float32') k.unaryF32(op, px, po, n);
  else if (x.dtype === 'int32') k.unaryI32(op, px, po, n);
  else k.unaryU8(op, px, po, n);
  return out;
};
