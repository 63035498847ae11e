import type { KernelFn, SliceAttrs, TensorInfo } from '@surrograd/core';
import { sliceShape, stridesOf } from '@surrograd/core';
import type { CpuBackend } from '../cpu-backend.js';
import { allocFor, copyRun } from './common.js';

/** [x] → x[begin : begin+size] per axis. */
export const slice: KernelFn<CpuBackend, SliceAttrs> = ({ inputs, attrs, backend }) => {
  const [x] = inputs as [TensorInfo];
  const { begin, size } = attrs;
  const rank = x.shape.length;
  const outShape = sliceShape(x, begin, size);
  const xv = backend.valuesOf(x);
  const out = allocFor(x.dtype, outShape);
  if (out.length === 0) return backend.makeOutput(out, outShape, x.dtype);

  // Trailing dims taken whole join the innermost run: each run is one contiguous copy.
  let first = rank - 1;
  while (first > 0 && size[first] === x.shape[first]) first--;
  const inStrides = stridesOf(x.shape);
  const run = first < 0 ? 1 : size[first] * inStrides[first];
  let start = 0;
  for (let d = 0; d < rank; d++) start += begin[d] * inStrides[d];
  const index = new Array<number>(Math.max(first, 0)).fill(0);
  for (let o = 0, i = start; o < out.length; o += run) {
    copyRun(xv, i, out, o, run);
    for (let d = first - 1; d >= 0; d--) {
      if (++index[d] < size[d]) {
        i += inStrides[d];
        break;
      }
      index[d] = 0;
      i -= inStrides[d] * (size[d] - 1);
    }
  }
  return backend.makeOutput(out, outShape, x.dtype);
};
