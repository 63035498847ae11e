import type { KernelFn, PadAttrs, TensorInfo } from '@surrograd/core';
import { castNumber, padShape, stridesOf } from '@surrograd/core';
import type { CpuBackend } from '../cpu-backend.js';
import { allocFor, copyRun } from './common.js';

/** [x] → x with paddings[d] = [before, after] elements of `value` around each axis d. */
export const pad: KernelFn<CpuBackend, PadAttrs> = ({ inputs, attrs, backend }) => {
  const [x] = inputs as [TensorInfo];
  const { paddings, value } = attrs;
  const rank = x.shape.length;
  const outShape = padShape(x, paddings);
  const out = allocFor(x.dtype, outShape);
  const fillWith = castNumber(value, x.dtype);
  if (fillWith !== 0 || Object.is(fillWith, -0)) out.fill(fillWith);
  const xv = backend.valuesOf(x);
  if (xv.length === 0) return backend.makeOutput(out, outShape, x.dtype);

  // Copy x row by row (its last axis) into place; the odometer walks the other axes.
  const outStrides = stridesOf(outShape);
  const row = rank === 0 ? 1 : x.shape[rank - 1];
  let o = 0;
  for (let d = 0; d < rank; d++) o += paddings[d][0] * outStrides[d];
  const index = new Array<number>(Math.max(rank - 1, 0)).fill(0);
  for (let i = 0; i < xv.length; i += row) {
    copyRun(xv, i, out, o, row);
    for (let d = rank - 2; d >= 0; d--) {
      if (++index[d] < x.shape[d]) {
        o += outStrides[d];
        break;
      }
      index[d] = 0;
      o -= outStrides[d] * (x.shape[d] - 1);
    }
  }
  return backend.makeOutput(out, outShape, x.dtype);
};
