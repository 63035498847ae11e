import type { ConcatAttrs, KernelFn } from '@surrograd/core';
import { fmt, normalizeAxis, sizeOf } from '@surrograd/core';
import type { CpuBackend } from '../cpu-backend.js';
import { allocFor, copyRun } from './common.js';

/** [...xs] → xs joined along `axis`; all other dims agree. */
export const concat: KernelFn<CpuBackend, ConcatAttrs> = ({ inputs, attrs, backend }) => {
  if (inputs.length === 0) throw new RangeError('Concat: needs at least one input');
  const first = inputs[0];
  const rank = first.shape.length;
  if (rank === 0) throw new RangeError('Concat: cannot concatenate scalars (shape [])');
  const axis = normalizeAxis('Concat', attrs.axis, rank);
  for (const x of inputs) {
    if (x.dtype !== first.dtype) {
      throw new TypeError(`Concat: inputs must share one dtype, got ${inputs.map((t) => t.dtype).join(', ')}`);
    }
    if (x.shape.length !== rank || x.shape.some((s, d) => d !== axis && s !== first.shape[d])) {
      throw new RangeError(`Concat: shapes ${inputs.map((t) => fmt(t.shape)).join(', ')} differ outside axis ${axis}`);
    }
  }
  const outShape = [...first.shape];
  outShape[axis] = inputs.reduce((n, x) => n + x.shape[axis], 0);
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
