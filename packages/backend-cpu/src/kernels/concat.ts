import type { ConcatAttrs, KernelFn, TensorInfo } from '@surrograd/core';
import { concatShape, sizeOf } from '@surrograd/core';
import type { CpuBackend } from '../cpu-backend.js';
import { allocFor, copyRun } from './common.js';

/** [...xs] → xs joined along `axis`; all other dims agree. */
export const concat: KernelFn<CpuBackend, ConcatAttrs> = ({ inputs, attrs, backend }) => {
  const { axis, shape: outShape } = concatShape(inputs, attrs.axis);
  const first = inputs[0] as TensorInfo;
  const out = allocFor(first.dtype, outShape);
  if (out.length === 0) return backend.makeOutput(out, outShape, first.dtype);

  // Each input contributes one chunk (its axis dim × the dims after it) per outer index.
  const outer = sizeOf(first.shape.slice(0, axis));
  const inner = sizeOf(first.shape.slice(axis + 1));
  const chunks = inputs.map((x) => x.shape[axis] * inner);
  const rowLength = outShape[axis] * inner;
  const values = inputs.map((x) => backend.valuesOf(x));
  for (let o = 0; o < outer; o++) {
    let at = o * rowLength;
    for (let t = 0; t < values.length; t++) {
      copyRun(values[t], o * chunks[t], out, at, chunks[t]);
      at += chunks[t];
    }
  }
  return backend.makeOutput(out, outShape, first.dtype);
};
