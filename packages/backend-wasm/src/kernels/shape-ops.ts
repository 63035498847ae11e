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
  concatShape,
  fmt,
  padShape,
  planBroadcast,
  shapesEqual,
  sizeOf,
  sliceShape,
  stridesOf,
  tryBroadcastShapes,
} from '@surrograd/core';
import type { WasmBackend } from '../wasm-backend.js';
import { fillValue } from './fill.js';
import { alignedParts, taskCount } from './parts.js';
import { rowsOnThreads } from './rows-on-threads.js';

// Every layout op is one strided copy (assembly/copy.ts copyRows): rows copied whole where the
// source is contiguous, filled where it is broadcast, gathered otherwise; shared between threads
// by runs of rows when big enough.

function copy(backend: WasmBackend, plan: IterationPlan, elemBytes: number, src: number, dst: number): void {
  if (plan.size === 0) return;
  rowsOnThreads(backend, 'copyRows', plan, (_, [from, to], first, count, area) => [
    elemBytes,
    src + (from as number) * elemBytes,
    dst + (to as number) * elemBytes,
    first,
    count,
    area,
  ]);
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
  const [src, dst] = [backend.ptr(x, 'Transpose'), out.dataId.ptr];
  if (!inTiles(backend, plan, bytesPerElement(x.dtype), src, dst)) copy(backend, plan, bytesPerElement(x.dtype), src, dst);
  return out;
};

/**
 * A permutation that brings the source's contiguous axis away from the innermost place (a matrix
 * transpose, a batch of them, NCHW ↔ NHWC) is a batch of 2-D transposes: of 4-byte elements, they
 * run in 4×4 register tiles (assembly/transpose.ts), with reads and writes both whole vectors.
 * Returns false where the plan is not one (or its sides are under a tile), for the strided copy.
 */
function inTiles(backend: WasmBackend, plan: IterationPlan, elemBytes: number, src: number, dst: number): boolean {
  const { dims } = plan;
  const [from, to] = plan.strides as [number[], number[]];
  const b = dims.length - 1;
  const a = from.indexOf(1);
  if (elemBytes !== 4 || dims.length < 2 || dims.length > 3 || a < 0 || a === b) return false;
  const [na, nb] = [dims[a] as number, dims[b] as number];
  if (na < 4 || nb < 4) return false;
  const item = dims.length === 3 ? 3 - a - b : -1;
  const batch = item < 0 ? 1 : (dims[item] as number);
  const [srcItem, dstItem] = item < 0 ? [0, 0] : [from[item] as number, to[item] as number];
  const tasks = taskCount(plan.size, backend.thresholds.elements, backend);
  // Threads take runs of whole items, or of rows of every item when there are fewer items than tasks.
  const parts =
    batch >= tasks
      ? alignedParts(batch, 1, tasks).map(([first, count]) => [first, count, 0, na])
      : alignedParts(na, 4, tasks).map(([first, count]) => [0, batch, first, count]);
  backend.parallel(
    'transposeTiles32',
    parts.map(([first, count, a0, aCount]) => [
      src,
      dst,
      first,
      count,
      srcItem,
      dstItem,
      a0,
      aCount,
      nb,
      from[b] as number,
      to[a] as number,
    ]),
  );
  return true;
}

/** [x] → x[begin : begin+size] per axis. */
export const slice: KernelFn<WasmBackend, SliceAttrs> = ({ inputs, attrs, backend }) => {
  const [x] = inputs as [TensorInfo];
  const { begin, size } = attrs;
  const rank = x.shape.length;
  sliceShape(x, begin, size);
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
  const outShape = padShape(x, paddings);
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
  const { axis, shape: outShape } = concatShape(inputs, attrs.axis);
  const first = inputs[0] as TensorInfo;
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
