import type { ArgReduceAttrs, KernelFn, ReduceAttrs, TensorInfo } from '@surrograd/core';
import { fmt, normalizeAxes, normalizeAxis, planReduce, reducedShape, sizeOf } from '@surrograd/core';
import { writePlan } from '../plan.js';
import type { WasmBackend } from '../wasm-backend.js';
import { codeOf, dtypeCode, REDUCE_OPS } from './codes.js';
import { rowParts } from './parts.js';

/**
 * How a reduction's rows are cut into chunks, from its shape alone (never the thread count, so the
 * order of additions is the same on any number of threads): about CHUNK_ELEMENTS elements each, at
 * most MAX_CHUNKS per output (which bounds the partials at MAX_CHUNKS × the output).
 */
export const CHUNK_ELEMENTS = 16384;
export const MAX_CHUNKS = 32;

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
  const wanted = Math.min(MAX_CHUNKS, Math.ceil((n * inner) / CHUNK_ELEMENTS));
  const rows = Math.max(1, Math.ceil(n / Math.max(1, wanted)));
  const chunks = Math.max(1, Math.ceil(n / rows));
  const items = outer * chunks;
  const parts = rowParts(items, outer * n * inner, backend);
  backend.withTemp(items * inner * 8, 'Reduce', (partial) => {
    backend.parallel(
      'reduceChunksF32',
      parts.map(([from, count]) => [op, px, partial, n, inner, rows, chunks, from, count]),
    );
    backend.kernels.reduceChunksFinishF32(op, partial, out, outer, inner, chunks);
  });
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
  writePlan(backend, planReduce(x.shape, axes));
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
  backend.kernels.argReduce(+(attrs.op === 'argmax'), dtypeCode(x.dtype), backend.ptr(x, 'ArgReduce'), out.dataId.ptr, outer, n, inner);
  return out;
};
