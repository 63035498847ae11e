import type { KernelFn, ScatterAddAttrs, TensorInfo } from '@surrograd/core';
import { fmt, normalizeAxis, sizeOf } from '@surrograd/core';
import type { CpuBackend } from '../cpu-backend.js';
import { allocFor } from './common.js';
import { assertIndices } from './indices.js';

/**
 * [updates, indices int32] → zeros of `shape` with each slice of updates added at its index along
 * `axis`: Gather's adjoint, so repeated indices accumulate.
 */
export const scatterAdd: KernelFn<CpuBackend, ScatterAddAttrs> = ({ inputs, attrs, backend }) => {
  const [updates, indices] = inputs as [TensorInfo, TensorInfo];
  const shape = attrs.shape;
  if (shape.length === 0) throw new RangeError('ScatterAdd: shape must have rank >= 1, got []');
  const axis = normalizeAxis('ScatterAdd', attrs.axis, shape.length);
  const n = shape[axis];
  const expected = [...shape.slice(0, axis), ...indices.shape, ...shape.slice(axis + 1)];
  if (sizeOf(expected) !== sizeOf(updates.shape)) {
    throw new RangeError(
      `ScatterAdd: updates ${fmt(updates.shape)} should have shape ${fmt(expected)} ` +
        `(shape ${fmt(shape)} with indices ${fmt(indices.shape)} along axis ${axis})`,
    );
  }
  const iv = backend.valuesOf(indices);
  assertIndices('ScatterAdd', iv, axis, n);
  const out = allocFor(updates.dtype, shape);
  const uv = backend.valuesOf(updates);
  const outer = sizeOf(shape.slice(0, axis));
  const inner = sizeOf(shape.slice(axis + 1));
  const count = iv.length;
  for (let o = 0, from = 0; o < outer; o++) {
    for (let t = 0; t < count; t++) {
      const to = (o * n + iv[t]) * inner;
      for (let j = 0; j < inner; j++, from++) out[to + j] += uv[from];
    }
  }
  return backend.makeOutput(out, shape, updates.dtype);
};
