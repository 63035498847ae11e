import type { ArgReduceAttrs, KernelFn, ReduceAttrs, TensorInfo } from '@surrograd/core';
import { fmt, normalizeAxes, normalizeAxis, planReduce, reducedShape, sizeOf } from '@surrograd/core';
import { writePlan } from '../plan.js';
import type { WasmBackend } from '../wasm-backend.js';
import { codeOf, dtypeCode, REDUCE_OPS } from './codes.js';

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
