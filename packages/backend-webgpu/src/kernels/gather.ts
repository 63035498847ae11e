/**
 * Gather and its adjoint ScatterAdd. Indices written from the host are checked here, synchronously,
 * with the cpu backend's error; indices computed on the GPU are checked by the shader, which flags
 * the error for the next read (see index-errors.ts).
 */
import type { GatherAttrs, KernelFn, ScatterAddAttrs, TensorInfo } from '@surrograd/core';
import { fmt, gatherShape, normalizeAxis, sizeOf } from '@surrograd/core';
import type { GpuData, WebGpuBackend } from '../backend.js';
import { IndexErrorBit } from '../index-errors.js';
import { gridFor } from '../wgsl/program.js';
import { UniformLayout } from '../wgsl/uniforms.js';
import { wordType } from './elementwise.js';

function assertHostIndices(kernel: string, indices: GpuData, axis: number, size: number): void {
  const values = indices.hostInts;
  if (!values) return;
  for (let t = 0; t < values.length; t++) {
    const index = values[t] as number;
    if (!(index >= 0 && index < size)) {
      throw new RangeError(
        `${kernel}: index ${index} (at position ${t}) is out of range for axis ${axis} of size ${size}; expected an integer in [0, ${size})`,
      );
    }
  }
}

const LAYOUT = new UniformLayout([
  ['size', 'u32'],
  ['n', 'u32'],
  ['count', 'u32'],
  ['inner', 'u32'],
]);

/** [x, indices int32] → x.shape[:axis] + indices.shape + x.shape[axis+1:]. */
export const gather: KernelFn<WebGpuBackend, GatherAttrs> = ({ inputs, attrs, backend }) => {
  const [x, indices] = inputs as [TensorInfo, TensorInfo];
  const { axis, shape: outShape } = gatherShape(x, indices, attrs.axis);
  const n = x.shape[axis] as number;
  const idx = backend.dataOf(indices, 'Gather');
  assertHostIndices('Gather', idx, axis, n);
  const out = backend.makeOutput(outShape, x.dtype, 'Gather');
  const size = sizeOf(outShape);
  if (size === 0) return out.info;
  const wg = backend.limits.workgroupSize;
  backend.run(
    {
      key: `Gather|wg${wg}`,
      storage: [
        { name: 'x', type: 'u32', access: 'read' },
        { name: 'indices', type: 'i32', access: 'read' },
        { name: 'out', type: 'u32', access: 'write' },
        { name: 'errors', type: 'atomic<u32>', access: 'write' },
      ],
      uniforms: LAYOUT,
      workgroupSize: [wg, 1, 1],
      body: `  if (index >= u.size) { return; }
  let j = index % u.inner;
  let t = (index / u.inner) % u.count;
  let o = index / (u.inner * u.count);
  let i = indices[t];
  if (i < 0 || u32(i) >= u.n) {
    out[index] = 0u;
    atomicOr(&errors[0], ${IndexErrorBit.Gather}u);
    return;
  }
  out[index] = x[(o * u.n + u32(i)) * u.inner + j];`,
    },
    [backend.dataOf(x, 'Gather'), idx, out.data, backend.indexErrorFlag],
    { size, n, count: sizeOf(indices.shape), inner: sizeOf(x.shape.slice(axis + 1)) },
    gridFor(Math.ceil(size / wg), backend.limits.maxWorkgroupsPerDimension),
  );
  return out.info;
};

/**
 * [updates, indices int32] → zeros of `shape` with each slice of updates added at its index along
 * `axis`. Each output element sums, in index order, the updates whose index points at it: no
 * atomics (WGSL has no float atomics), deterministic, and the cpu backend's summation order.
 */
export const scatterAdd: KernelFn<WebGpuBackend, ScatterAddAttrs> = ({ inputs, attrs, backend }) => {
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
  const idx = backend.dataOf(indices, 'ScatterAdd');
  assertHostIndices('ScatterAdd', idx, axis, n);
  const out = backend.makeOutput(shape, updates.dtype, 'ScatterAdd');
  const size = sizeOf(shape);
  if (size === 0) return out.info;
  const type = wordType(updates.dtype);
  const wg = backend.limits.workgroupSize;
  const zero = type === 'f32' ? '0.0' : type === 'i32' ? '0' : '0u';
  backend.run(
    {
      key: `ScatterAdd:${type}|wg${wg}`,
      storage: [
        { name: 'updates', type, access: 'read' },
        { name: 'indices', type: 'i32', access: 'read' },
        { name: 'out', type, access: 'write' },
        { name: 'errors', type: 'atomic<u32>', access: 'write' },
      ],
      uniforms: LAYOUT,
      workgroupSize: [wg, 1, 1],
      body: `  if (index >= u.size) { return; }
  let j = index % u.inner;
  let r = (index / u.inner) % u.n;
  let o = index / (u.inner * u.n);
  var acc = ${zero};
  for (var t = 0u; t < u.count; t++) {
    let i = indices[t];
    if (i < 0 || u32(i) >= u.n) {
      if (index == 0u) { atomicOr(&errors[0], ${IndexErrorBit.ScatterAdd}u); }
    } else if (u32(i) == r) {
      acc = acc + updates[(o * u.count + t) * u.inner + j];
    }
  }
  out[index] = ${type === 'u32' ? 'select(0u, 1u, acc != 0u)' : 'acc'};`,
    },
    [backend.dataOf(updates, 'ScatterAdd'), idx, out.data, backend.indexErrorFlag],
    { size, n, count: sizeOf(indices.shape), inner: sizeOf(shape.slice(axis + 1)) },
    gridFor(Math.ceil(size / wg), backend.limits.maxWorkgroupsPerDimension),
  );
  return out.info;
};
