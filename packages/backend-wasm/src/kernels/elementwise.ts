import type { AddScaledAttrs, BinaryAttrs, CompareAttrs, DType, KernelFn, LogicalAttrs, TensorInfo } from '@surrograd/core';
import { broadcastShapes, fmt, planBroadcast, shapesEqual, sizeOf } from '@surrograd/core';
import { BINARY_DTYPES, BINARY_OPS } from '../generated/elementwise-ops.js';
import { COMPARE_OPS, LOGICAL_OPS } from '../generated/predicate-ops.js';
import { writePlan } from '../plan.js';
import type { WasmBackend } from '../wasm-backend.js';
import { codeOf, dtypeCode } from './codes.js';
import { elementParts, isShared } from './parts.js';
import { rowsOnThreads } from './rows-on-threads.js';
import { throughDType } from './through-dtype.js';

/** [a, b] → op(a, b), broadcast, dtype of a; the loops are generated from the row's forward expression (scripts/emit-elementwise.mjs). */
export const binary: KernelFn<WasmBackend, BinaryAttrs> = (args) => {
  const { inputs, attrs, backend } = args;
  const [a, b] = inputs as [TensorInfo, TensorInfo];
  const op = codeOf('Binary', 'op', BINARY_OPS, attrs.op);
  if (!(BINARY_DTYPES[attrs.op] as readonly DType[]).includes(a.dtype)) {
    // A float row without an integer meaning (atan2) computes integers in float32.
    return throughDType(backend, [a, b], 'float32', a.dtype, (cast) => binary({ inputs: cast, attrs, backend }) as TensorInfo);
  }
  const shape = broadcastShapes('Binary', a.shape, b.shape);
  const out = backend.outputOrDonated(args, shape, a.dtype, 'Binary');
  if (out.dataId.bytes === 0) return out;
  const [pa, pb, po] = [backend.ptr(a, 'Binary'), backend.ptr(b, 'Binary'), out.dataId.ptr];
  const plan = planBroadcast(shape, [a.shape, b.shape]);
  const size = plan.size;
  if (a.dtype === 'float32' && plan.dims.length === 1) {
    // One run (same shapes, or a scalar operand): no plan to write, and slices of it on every
    // thread when it is big enough to share.
    const [sa, sb] = [plan.strides[0]?.[0] ?? 1, plan.strides[1]?.[0] ?? 1];
    // x.pow(2), the commonest power, as x·x: the same float32 (x² of a float32 is exact in
    // float64, so both round one exact value once, NaN, ±Inf and ±0 included), without a float64
    // pow per element.
    const square = attrs.op === 'pow' && sb === 0 && sa === 1 && backend.f32[pb >>> 2] === 2;
    const [k, pr, sr] = square ? [codeOf('Binary', 'op', BINARY_OPS, 'mul'), pa, 1] : [op, pb, sb];
    if (isShared(size, backend)) {
      backend.parallel(
        'binaryRunF32',
        elementParts(size, backend).map(([i, len]) => [k, po + i * 4, pa + i * sa * 4, sa, pr + i * sr * 4, sr, len]),
      );
    } else backend.kernels.binaryRunF32(k, po, pa, sa, pr, sr, size);
    return out;
  }
  if (a.dtype === 'float32') {
    rowsOnThreads(backend, 'binaryRowsF32', plan, (o, [sa, sb], first, count, area) => [
      op,
      po + o * 4,
      pa + (sa as number) * 4,
      pb + (sb as number) * 4,
      first,
      count,
      area,
    ]);
    return out;
  }
  writePlan(backend, plan);
  const k = backend.kernels;
  if (a.dtype === 'int32') k.binaryI32(op, po, pa, pb);
  else k.binaryU8(op, po, pa, pb);
  return out;
};

/** [a, b] → bool, broadcast; the loops are generated from core's COMPARE_TABLE (scripts/emit-predicates.mjs). */
export const compare: KernelFn<WasmBackend, CompareAttrs> = ({ inputs, attrs, backend }) => {
  const [a, b] = inputs as [TensorInfo, TensorInfo];
  const op = codeOf('Compare', 'op', COMPARE_OPS, attrs.op);
  const shape = broadcastShapes('Compare', a.shape, b.shape);
  const out = backend.output(shape, 'bool', 'Compare');
  if (out.dataId.bytes === 0) return out;
  const [pa, pb, po] = [backend.ptr(a, 'Compare'), backend.ptr(b, 'Compare'), out.dataId.ptr];
  const plan = planBroadcast(shape, [a.shape, b.shape]);
  const dtype = dtypeCode(a.dtype);
  const bytes = a.dtype === 'bool' ? 1 : 4;
  rowsOnThreads(backend, 'compareRows', plan, (o, [sa, sb], first, count, area) => [
    op,
    dtype,
    po + o,
    pa + (sa as number) * bytes,
    pb + (sb as number) * bytes,
    first,
    count,
    area,
  ]);
  return out;
};

/** [a, b] bool → bool, broadcast. */
export const logical: KernelFn<WasmBackend, LogicalAttrs> = ({ inputs, attrs, backend }) => {
  const [a, b] = inputs as [TensorInfo, TensorInfo];
  const op = codeOf('Logical', 'op', LOGICAL_OPS, attrs.op);
  const shape = broadcastShapes('Logical', a.shape, b.shape);
  const out = backend.output(shape, 'bool', 'Logical');
  if (out.dataId.bytes === 0) return out;
  const [pa, pb] = [backend.ptr(a, 'Logical'), backend.ptr(b, 'Logical')];
  writePlan(backend, planBroadcast(shape, [a.shape, b.shape]));
  backend.kernels.logical(op, out.dataId.ptr, pa, pb);
  return out;
};

/** [cond bool, a, b] → cond ? a : b, all three broadcast, dtype of a. */
export const where: KernelFn<WasmBackend> = (args) => {
  const { inputs, backend } = args;
  const [cond, a, b] = inputs as [TensorInfo, TensorInfo, TensorInfo];
  if (a.dtype !== b.dtype) {
    throw new TypeError(`Where: a and b must have the same dtype, got ${a.dtype} and ${b.dtype}`);
  }
  const shape = broadcastShapes('Where', cond.shape, a.shape, b.shape);
  const out = backend.outputOrDonated(args, shape, a.dtype, 'Where');
  if (out.dataId.bytes === 0) return out;
  const [pc, pa, pb] = [backend.ptr(cond, 'Where'), backend.ptr(a, 'Where'), backend.ptr(b, 'Where')];
  const plan = planBroadcast(shape, [cond.shape, a.shape, b.shape]);
  const bytes = a.dtype === 'bool' ? 1 : 4;
  const po = out.dataId.ptr;
  rowsOnThreads(backend, 'whereRows', plan, (o, [sc, sa, sb], first, count, area) => [
    bytes,
    po + o * bytes,
    pc + (sc as number),
    pa + (sa as number) * bytes,
    pb + (sb as number) * bytes,
    first,
    count,
    area,
  ]);
  return out;
};

/** [a, b] float32 of one shape → a + alpha·b (core's FusedKernels.AddScaled), in slices on threads when it is big enough to share. */
export const addScaled: KernelFn<WasmBackend, AddScaledAttrs> = ({ inputs, attrs, backend }) => {
  const [a, b] = inputs as [TensorInfo, TensorInfo];
  if (a.dtype !== 'float32' || b.dtype !== 'float32' || !shapesEqual(a.shape, b.shape)) {
    throw new TypeError(
      `AddScaled: expected two float32 tensors of one shape, got ${a.dtype} ${fmt(a.shape)} and ${b.dtype} ${fmt(b.shape)}`,
    );
  }
  const out = backend.output(a.shape, 'float32', 'AddScaled');
  if (out.dataId.bytes === 0) return out;
  const [pa, pb, po] = [backend.ptr(a, 'AddScaled'), backend.ptr(b, 'AddScaled'), out.dataId.ptr];
  backend.parallel(
    'addScaledF32',
    elementParts(sizeOf(a.shape), backend).map(([first, count]) => [pa, pb, po, first, count, attrs.alpha]),
  );
  return out;
};
