import type {
  BroadcastToAttrs,
  ConcatAttrs,
  IterationPlan,
  KernelFn,
  PadAttrs,
  SliceAttrs,
  TensorInfo,
  TransposeAttrs,
} from '@surrograd/core';
import {
  bytesPerElement,
  collapseDims,
  fmt,
  normalizeAxis,
  planBroadcast,
  shapesEqual,
  sizeOf,
  stridesOf,
  tryBroadcastShapes,
} from '@surrograd/core';
import { writePlan } from '../plan.js';
import type { WasmBackend } from '../wasm-backend.js';
import { fillValue } from './fill.js';

// Every layout op is one strided copy (assembly/copy.ts copyRows): rows copied whole where the
// source is contiguous, filled where it is broadcast, gathered otherwise.

function copy(backend: WasmBackend, plan: IterationPlan, elemBytes: number, src: number, dst: number): void {
  if (plan.size === 0) return;
  writePlan(backend, plan);
  backend.kernels.copyRows(elemBytes, src, dst);
}

/** [x] → x broadcast (numpy rules) to `shape`, materialized. */
export const broadcastTo: KernelFn<WasmBackend, BroadcastToAttrs> = ({ inputs, attrs, backend }) => {
  const [x] = inputs as [TensorInfo];
  const shape = attrs.shape;
  const joint = tryBroadcastShapes(x.shape, shape);
  if (joint === null || !shapesEqual(joint, shape)) {
    throw new RangeError(`BroadcastTo: x ${fmt(x.shape)} cannot be broadcast to ${fmt(shape)}`);
  }
  const out = backend.output(shape, x.dtype, 'BroadcastTo');
  // Operand 0 reads x through broadcast strides, operand 1 writes the output in order.
  const plan = planBroadcast(shape, [x.shape, shape]);
  copy(backend, plan, bytesPerElement(x.dtype), backend.ptr(x, 'BroadcastTo'), out.dataId.ptr);
  return out;
};

function assertPermutation(perm: readonly number[], shape: readonly number[]): void {
  const rank = shape.length;
  const seen = new Set<number>();
  for (const p of perm) if (Number.isInteger(p) && p >= 0 && p < rank) seen.add(p);
  if (perm.length !== rank || seen.size !== rank) {
    throw new RangeError(`Transpose: perm [${perm.join(', ')}] is not a permutation of the axes of x ${fmt(shape)}`);
  }
}

/** [x] → x permuted by `perm`, materialized. */
export const transpose: KernelFn<WasmBackend, TransposeAttrs> = ({ inputs, attrs, backend }) => {
  const [x] = inputs as [TensorInfo];
  const perm = attrs.perm;
  assertPermutation(perm, x.shape);
  const outShape = perm.map((p) => x.shape[p] as number);
  const out = backend.output(outShape, x.dtype, 'Transpose');
  const inStrides = stridesOf(x.shape);
  const plan = collapseDims(outShape, [perm.map((p) => inStrides[p] as number), stridesOf(outShape)]);
  copy(backend, plan, bytesPerElement(x.dtype), backend.ptr(x, 'Transpose'), out.dataId.ptr);
  return out;
};

/** [x] → x[begin : begin+size] per axis. */
export const slice: KernelFn<WasmBackend, SliceAttrs> = ({ inputs, attrs, backend }) => {
  const [x] = inputs as [TensorInfo];
  const { begin, size } = attrs;
  const rank = x.shape.length;
  const bad = (d: number) =>
    !Number.isInteger(begin[d]) ||
    !Number.isInteger(size[d]) ||
    (begin[d] as number) < 0 ||
    (size[d] as number) < 0 ||
    (begin[d] as number) + (size[d] as number) > (x.shape[d] as number);
  if (begin.length !== rank || size.length !== rank || x.shape.some((_, d) => bad(d))) {
    throw new RangeError(`Slice: begin [${begin.join(', ')}] and size [${size.join(', ')}] do not fit inside x ${fmt(x.shape)}`);
  }
  const out = backend.output(size, x.dtype, 'Slice');
  const eb = bytesPerElement(x.dtype);
  const inStrides = stridesOf(x.shape);
  let start = 0;
  for (let d = 0; d < rank; d++) start += (begin[d] as number) * (inStrides[d] as number);
  const plan = collapseDims(size, [inStrides, stridesOf(size)]);
  copy(backend, plan, eb, backend.ptr(x, 'Slice') + start * eb, out.dataId.ptr);
  return out;
};

/** [x] → x padded with `value`, paddings[d] = [before, after]. */
export const pad: KernelFn<WasmBackend, PadAttrs> = ({ inputs, attrs, backend }) => {
  const [x] = inputs as [TensorInfo];
  const { paddings, value } = attrs;
  const rank = x.shape.length;
  const valid = (p: readonly number[] | undefined) => Array.isArray(p) && p.length === 2 && p.every((e) => Number.isInteger(e) && e >= 0);
  if (!Array.isArray(paddings) || paddings.length !== rank || !paddings.every(valid)) {
    throw new RangeError(
      `Pad: paddings ${JSON.stringify(paddings)} must give [before, after] (non-negative integers) for each axis of x ${fmt(x.shape)}`,
    );
  }
  const outShape = x.shape.map((s, d) => s + (paddings[d] as [number, number])[0] + (paddings[d] as [number, number])[1]);
  const out = backend.output(outShape, x.dtype, 'Pad');
  fillValue(backend, out.dataId, x.dtype, value);
  const eb = bytesPerElement(x.dtype);
  const outStrides = stridesOf(outShape);
  let start = 0;
  for (let d = 0; d < rank; d++) start += (paddings[d] as [number, number])[0] * (outStrides[d] as number);
  const plan = collapseDims(x.shape, [stridesOf(x.shape), outStrides]);
  copy(backend, plan, eb, backend.ptr(x, 'Pad'), out.dataId.ptr + start * eb);
  return out;
};

/** [...xs] → concatenated along `axis`; shapes agree elsewhere. */
export const concat: KernelFn<WasmBackend, ConcatAttrs> = ({ inputs, attrs, backend }) => {
  if (inputs.length === 0) throw new RangeError('Concat: needs at least one input');
  const first = inputs[0] as TensorInfo;
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
  outShape[axis] = inputs.reduce((n, x) => n + (x.shape[axis] as number), 0);
  const out = backend.output(outShape, first.dtype, 'Concat');
  if (out.dataId.bytes === 0) return out;
  // Each input is a block of [outer, chunk] placed at a column offset in rows of rowLength.
  const eb = bytesPerElement(first.dtype);
  const outer = sizeOf(first.shape.slice(0, axis));
  const inner = sizeOf(first.shape.slice(axis + 1));
  const rowLength = (outShape[axis] as number) * inner;
  let at = 0;
  for (const x of inputs) {
    const chunk = (x.shape[axis] as number) * inner;
    const plan = collapseDims(
      [outer, chunk],
      [
        [chunk, 1],
        [rowLength, 1],
      ],
    );
    copy(backend, plan, eb, backend.ptr(x, 'Concat'), out.dataId.ptr + at * eb);
    at += chunk;
  }
  return out;
};
