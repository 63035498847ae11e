import type { GatherAttrs, KernelFn, TensorInfo } from '@surrograd/core';
import { gatherShape, sizeOf } from '@surrograd/core';
import type { CpuBackend } from '../cpu-backend.js';
import { allocFor, copyRun } from './common.js';
import { assertIndices } from './indices.js';

/** [x, indices int32] → x.shape[:axis] + indices.shape + x.shape[axis+1:]. Negative indices are out of range. */
export const gather: KernelFn<CpuBackend, GatherAttrs> = ({ inputs, attrs, backend }) => {
  const [x, indices] = inputs as [TensorInfo, TensorInfo];
  const { axis, shape: outShape } = gatherShape(x, indices, attrs.axis);
  const n = x.shape[axis];
  const iv = backend.valuesOf(indices);
  assertIndices('Gather', iv, axis, n);
  const out = allocFor(x.dtype, outShape);
  const xv = backend.valuesOf(x);
  const outer = sizeOf(x.shape.slice(0, axis));
  const inner = sizeOf(x.shape.slice(axis + 1));
  const count = iv.length;
  if (out.length === 0) return backend.makeOutput(out, outShape, x.dtype);
  if (inner === 1) {
    for (let o = 0, at = 0; o < outer; o++) for (let t = 0; t < count; t++, at++) out[at] = xv[o * n + iv[t]];
  } else {
    for (let o = 0, at = 0; o < outer; o++) {
      for (let t = 0; t < count; t++, at += inner) copyRun(xv, (o * n + iv[t]) * inner, out, at, inner);
    }
  }
  return backend.makeOutput(out, outShape, x.dtype);
};
