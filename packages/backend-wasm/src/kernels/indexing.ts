import type { GatherAttrs, KernelFn, ScatterAddAttrs, TensorInfo } from '@surrograd/core';
import { bytesPerElement, fmt, gatherShape, normalizeAxis, sizeOf } from '@surrograd/core';
import type { WasmBackend } from '../wasm-backend.js';
import { alignedParts, isShared, rowParts } from './parts.js';

/** Throws a RangeError naming the kernel, the first index outside [0, size), the axis and its size. */
function assertIndices(kernel: string, backend: WasmBackend, indices: TensorInfo, axis: number, size: number): void {
  const ptr = backend.ptr(indices, kernel);
  const count = sizeOf(indices.shape);
  // In wasm, four at a time: a max pool's backward checks every output's index each step.
  const t = backend.kernels.firstIndexOutside(ptr, count, size);
  if (t < 0) return;
  const index = backend.i32Of(backend.dataIdOf(indices, kernel))[t] as number;
  throw new RangeError(
    `${kernel}: index ${index} (at position ${t}) is out of range for axis ${axis} of size ${size}; expected an integer in [0, ${size})`,
  );
}

/** [x, indices int32] → x.shape[:axis] + indices.shape + x.shape[axis+1:]. */
export const gather: KernelFn<WasmBackend, GatherAttrs> = ({ inputs, attrs, backend }) => {
  const [x, indices] = inputs as [TensorInfo, TensorInfo];
  const { axis, shape: outShape } = gatherShape(x, indices, attrs.axis);
  const n = x.shape[axis] as number;
  assertIndices('Gather', backend, indices, axis, n);
  const out = backend.output(outShape, x.dtype, 'Gather');
  if (out.dataId.bytes === 0) return out;
  const outer = sizeOf(x.shape.slice(0, axis));
  const inner = sizeOf(x.shape.slice(axis + 1));
  const count = sizeOf(indices.shape);
  const bytes = bytesPerElement(x.dtype);
  const run = inner * bytes;
  const [px, pidx, pout] = [backend.ptr(x, 'Gather'), backend.ptr(indices, 'Gather'), out.dataId.ptr];
  // Threads take runs of outer rows, or, with one (an embedding's lookup), runs of the indices:
  // either way each writes its own stretch of the output.
  const byOuter = outer > 1;
  backend.parallel(
    'gather',
    rowParts(byOuter ? outer : count, outer * count * inner, backend).map(([first, len]) =>
      byOuter
        ? [bytes, px + first * n * run, pidx, pout + first * count * run, len, n, count, inner]
        : [bytes, px, pidx + first * 4, pout + first * run, 1, n, len, inner],
    ),
  );
  return out;
};

/** [updates, indices int32] → zeros of `shape` with updates added at indices along `axis`. */
export const scatterAdd: KernelFn<WasmBackend, ScatterAddAttrs> = ({ inputs, attrs, backend }) => {
  const [updates, indices] = inputs as [TensorInfo, TensorInfo];
  const shape = attrs.shape;
  if (shape.length === 0) throw new RangeError('ScatterAdd: shape must have rank >= 1, got []');
  const axis = normalizeAxis('ScatterAdd', attrs.axis, shape.length);
  const n = shape[axis] as number;
  const expected = [...shape.slice(0, axis), ...indices.shape, ...shape.slice(axis + 1)];
  if (sizeOf(expected) !== sizeOf(updates.shape)) {
    throw new RangeError(
      `ScatterAdd: updates ${fmt(updates.shape)} should have shape ${fmt(expected)} ` +
        `(shape ${fmt(shape)} with indices ${fmt(indices.shape)} along axis ${axis})`,
    );
  }
  if (updates.dtype === 'bool') throw new TypeError('ScatterAdd: updates must be float32 or int32, got bool');
  assertIndices('ScatterAdd', backend, indices, axis, n);
  const out = backend.output(shape, updates.dtype, 'ScatterAdd');
  if (out.dataId.bytes === 0) return out;
  const count = sizeOf(indices.shape);
  const [outer, inner] = [sizeOf(shape.slice(0, axis)), sizeOf(shape.slice(axis + 1))];
  // The flat case (a max pool's backward): threads take runs of destinations, one run each, as
  // every run scans all the indices.
  if (outer === 1 && inner === 1 && isShared(n + count, backend)) {
    const isFloat = +(updates.dtype === 'float32');
    const [pu, pi, po] = [backend.ptr(updates, 'ScatterAdd'), backend.ptr(indices, 'ScatterAdd'), out.dataId.ptr];
    backend.parallel(
      'scatterAddRange',
      alignedParts(n, 1024, backend.threads).map(([lo, len]) => [isFloat, pu, pi, po, count, lo, len]),
    );
    return out;
  }
  backend.kernels.scatterAdd(
    +(updates.dtype === 'float32'),
    backend.ptr(updates, 'ScatterAdd'),
    backend.ptr(indices, 'ScatterAdd'),
    out.dataId.ptr,
    outer,
    n,
    count,
    inner,
  );
  return out;
};
