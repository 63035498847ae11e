import type { KernelFn, TensorInfo, UnaryAttrs } from '@surrograd/core';
import { UNARY_TABLE, type UnaryOpName, unaryLoop } from '@surrograd/core';
import type { CpuBackend } from '../cpu-backend.js';
import { BLOCK } from './block.js';
import { allocFor, pick } from './common.js';

/** [x] → op(x), dtype of x (a logical row: bool). The loop is the row's forward expression, compiled by core. */
export const unary: KernelFn<CpuBackend, UnaryAttrs> = ({ inputs, attrs, backend }) => {
  const [x] = inputs as [TensorInfo];
  const row = pick('Unary', 'op', UNARY_TABLE, attrs.op);
  const run = unaryLoop(attrs.op as UnaryOpName);
  const dtype = row.dtypes === 'bool' ? 'bool' : x.dtype;
  const xv = backend.valuesOf(x);
  const out = allocFor(dtype, x.shape);
  for (let start = 0; start < out.length; start += BLOCK) run(xv, out, start, Math.min(out.length, start + BLOCK));
  return backend.makeOutput(out, x.shape, dtype);
};
