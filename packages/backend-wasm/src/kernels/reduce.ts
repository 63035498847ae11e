import type { ArgReduceAttrs, IterationPlan, KernelFn, ReduceAttrs, TensorInfo } from '@surrograd/core';
import { bytesPerElement, fmt, normalizeAxes, normalizeAxis, planReduce, reducedShape, sizeOf } from '@surrograd/core';
import { writePlan } from '../plan.js';
import type { WasmBackend } from '../wasm-backend.js';
import { codeOf, dtypeCode, REDUCE_OPS } from './codes.js';
import { rowParts } from './parts.js';

/**
 * How a reduction's rows are cut into chunks, from its shape alone (never the thread count, so the
 * order of additions is the same on any number of threads): about CHUNK_ELEMENTS elements each,
 * at most MAX_CHUNKS per output, and few enough that the partials' bytes stay within an eighth of
 * the input's (a chunk's partials are an f64 per output, its rows a float32 per element).
 */
export const CHUNK_ELEMENTS = 16384;
export const MAX_CHUNKS = 32;

/** Chunks for `rows` rows of `elements` elements in all, feeding `outputs` outputs (one group of them: an outer index of a block): at least 1. */
function chunkCount(elements: number, rows: number, outputs: number): number {
  const bound = Math.floor(elements / (16 * outputs));
  return Math.max(1, Math.min(MAX_CHUNKS, Math.ceil(elements / CHUNK_ELEMENTS), bound, rows));
}

/** Columns per block of a wide reduction's outputs: threads share these where rows are too few to cut. */
const COLUMN_BLOCK = 4096;

/** [outer, n, inner] when `axes` are adjacent dims of `shape` (x viewed so, reduced over n); else null. */
function asBlock(shape: readonly number[], axes: readonly number[]): [number, number, number] | null {
  const first = axes[0] as number;
  const last = axes[axes.length - 1] as number;
  if (last - first + 1 !== axes.length) return null;
  return [sizeOf(shape.slice(0, first)), sizeOf(shape.slice(first, last + 1)), sizeOf(shape.slice(last + 1))];
}

/**
 * Sum, max or min of float32 x viewed as [outer, n, inner] over n, into out [outer, inner]: each
 * output's rows fold in chunks, then the chunks' partials in order. Threads share the chunks
 * above the size threshold, each taking a contiguous stretch of x.
 */
function reduceBlockF32(backend: WasmBackend, op: number, px: number, out: number, [outer, n, inner]: [number, number, number]): void {
  const wanted = chunkCount(n * inner, n, inner);
  // At least one row a chunk: an empty axis (n 0) is one chunk of nothing, whose partials are the identity.
  const rows = Math.max(1, Math.ceil(n / wanted));
  const chunks = Math.max(1, Math.ceil(n / rows));
  if (inner === 1 && chunks === 1) {
    // Rows of one chunk each: folded straight into the output, threads taking runs of rows.
    backend.parallel(
      'reduceRowsF32',
      rowParts(outer, outer * n, backend).map(([from, count]) => [op, px + from * n * 4, out + from * 4, count, n]),
    );
    return;
  }
  const width = Math.min(inner, COLUMN_BLOCK);
  const blocks = Math.ceil(inner / width);
  const items = outer * chunks * blocks;
  const parts = rowParts(items, outer * n * inner, backend);
  backend.withTemp(outer * chunks * inner * 8, 'Reduce', (partial) => {
    backend.parallel(
      'reduceChunksF32',
      parts.map(([from, count]) => [op, px, partial, n, inner, rows, chunks, width, blocks, from, count]),
    );
    backend.kernels.reduceChunksFinishF32(op, partial, out, outer, inner, chunks);
  });
}

/**
 * Sum, max or min over axes that are not adjacent (a batch norm's or a conv bias's [N, C, H, W]
 * over N, H and W), when the plan's first dim is reduced and big enough to cut: its rows fold in
 * chunks fixed by the shape, each into its own partials, which then fold in order, so threads can
 * share the chunks and the bits never depend on how many there are. False when the plan is not so.
 */
function reducePlanInChunks(backend: WasmBackend, op: number, px: number, out: number, plan: IterationPlan, outSize: number): boolean {
  // An empty input has no rows to cut (and a row length of 0 would make the count NaN).
  if (plan.size === 0 || plan.dims.length < 2 || plan.strides[1]?.[0] !== 0) return false;
  const rows = plan.size / (plan.dims[plan.dims.length - 1] as number);
  const chunks = chunkCount(plan.size, rows, outSize);
  if (chunks < 2) return false;
  const rowsPerChunk = Math.ceil(rows / chunks);
  const count = Math.ceil(rows / rowsPerChunk);
  writePlan(backend, plan);
  const parts = rowParts(count, plan.size, backend);
  const area = backend.kernels.rowAreaBytes();
  const partialBytes = Math.ceil((count * outSize * 8) / 16) * 16;
  backend.withTemp(partialBytes + parts.length * area, 'Reduce', (partial) => {
    const areas = partial + partialBytes;
    backend.parallel(
      'reduceRowChunksF32',
      parts.map(([first, n], i) => [op, px, partial, outSize, rows, rowsPerChunk, first, n, areas + i * area]),
    );
    backend.kernels.reduceChunksFinishF32(op, partial, out, 1, outSize, count);
  });
  return true;
}

/** [x] → op over `axes` (empty: a copy), keepDims or not, dtype of x. */
export const reduce: KernelFn<WasmBackend, ReduceAttrs> = ({ inputs, attrs, backend }) => {
  const [x] = inputs as [TensorInfo];
  const op = codeOf('Reduce', 'op', REDUCE_OPS, attrs.op);
  const axes = normalizeAxes('Reduce', attrs.axes, x.shape.length);
  const px = backend.ptr(x, 'Reduce');
  const elemBytes = x.dtype === 'bool' ? 1 : 4;
  if (axes.length === 0) {
    const out = backend.output(x.shape, x.dtype, 'Reduce');
    backend.u8.copyWithin(out.dataId.ptr, px, px + out.dataId.bytes);
    return out;
  }
  const outShape = reducedShape(x.shape, axes, attrs.keepDims);
  const outSize = sizeOf(outShape);
  let perOutput = 1;
  for (const a of axes) perOutput *= x.shape[a] as number;
  if (perOutput === 0 && outSize > 0 && (attrs.op === 'max' || attrs.op === 'min')) {
    throw new RangeError(`Reduce: ${attrs.op} of an empty set: x ${fmt(x.shape)} has no elements along axes [${axes.join(', ')}]`);
  }
  const out = backend.output(outShape, x.dtype, 'Reduce');
  if (outSize === 0) return out;
  const block = x.dtype === 'float32' && attrs.op !== 'prod' ? asBlock(x.shape, axes) : null;
  if (block) {
    reduceBlockF32(backend, op, px, out.dataId.ptr, block);
    return out;
  }
  const plan = planReduce(x.shape, axes);
  if (x.dtype === 'float32' && attrs.op !== 'prod' && reducePlanInChunks(backend, op, px, out.dataId.ptr, plan, outSize)) return out;
  writePlan(backend, plan);
  // Sums and products accumulate in f64 scratch, as the reference does.
  backend.withTemp(outSize * 8, 'Reduce', (acc) => {
    if (x.dtype === 'float32') backend.kernels.reduceF32(op, px, out.dataId.ptr, acc, outSize);
    else backend.kernels.reduceInt(op, elemBytes, px, out.dataId.ptr, acc, outSize);
  });
  return out;
};

/** [x] → int32 index of the first max/min along `axis`. A scalar's only index is 0. */
export const argReduce: KernelFn<WasmBackend, ArgReduceAttrs> = ({ inputs, attrs, backend }) => {
  const [x] = inputs as [TensorInfo];
  if (attrs.op !== 'argmax' && attrs.op !== 'argmin') {
    throw new Error(`ArgReduce: unknown op ${JSON.stringify(attrs.op)}; known: argmax, argmin`);
  }
  const rank = x.shape.length;
  if (rank === 0) {
    normalizeAxis('ArgReduce', attrs.axis, 0);
    const out = backend.output([], 'int32', 'ArgReduce');
    backend.i32[out.dataId.ptr >>> 2] = 0;
    return out;
  }
  const axis = normalizeAxis('ArgReduce', attrs.axis, rank);
  const n = x.shape[axis] as number;
  const outer = sizeOf(x.shape.slice(0, axis));
  const inner = sizeOf(x.shape.slice(axis + 1));
  if (outer * inner > 0 && n === 0) {
    throw new RangeError(`ArgReduce: ${attrs.op} of an empty axis: x ${fmt(x.shape)} has size 0 along axis ${axis}`);
  }
  const out = backend.output(reducedShape(x.shape, [axis], attrs.keepDims), 'int32', 'ArgReduce');
  if (outer * inner === 0) return out;
  // Threads take runs of outer rows: each output is found by the same loop wherever it runs.
  const [isMax, dtype, px, py] = [+(attrs.op === 'argmax'), dtypeCode(x.dtype), backend.ptr(x, 'ArgReduce'), out.dataId.ptr];
  backend.parallel(
    'argReduce',
    rowParts(outer, outer * n * inner, backend).map(([o0, rows]) => [
      isMax,
      dtype,
      px + o0 * n * inner * bytesPerElement(x.dtype),
      py + o0 * inner * 4,
      rows,
      n,
      inner,
    ]),
  );
  return out;
};
