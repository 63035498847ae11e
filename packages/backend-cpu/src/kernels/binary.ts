import type { BinaryAttrs, BinaryOp, KernelFn, TensorInfo, TypedArray } from '@surrograd/core';
import { broadcastShapes, planBroadcast, scalarMath } from '@surrograd/core';
import type { CpuBackend } from '../cpu-backend.js';
import { forEachRow, innerStride } from './broadcast-plan.js';
import { allocFor, pick } from './common.js';

const ieeePow = scalarMath.pow;

/**
 * One strided run: out[o..o+n) = a[ia += sa] op b[ib += sb]. The strides are 0 or 1, which
 * covers same-shape (1,1), scalar (1,0)/(0,1) and row broadcast; measured as fast as loops
 * specialized per stride pattern.
 */
type BinaryRun = (
  out: TypedArray,
  o: number,
  a: TypedArray,
  ia: number,
  sa: number,
  b: TypedArray,
  ib: number,
  sb: number,
  n: number,
) => void;

const runs: Record<BinaryOp, BinaryRun> = {
  add(out, o, a, ia, sa, b, ib, sb, n) {
    for (const end = o + n; o < end; o++, ia += sa, ib += sb) out[o] = a[ia] + b[ib];
  },
  sub(out, o, a, ia, sa, b, ib, sb, n) {
    for (const end = o + n; o < end; o++, ia += sa, ib += sb) out[o] = a[ia] - b[ib];
  },
  mul(out, o, a, ia, sa, b, ib, sb, n) {
    for (const end = o + n; o < end; o++, ia += sa, ib += sb) out[o] = a[ia] * b[ib];
  },
  div(out, o, a, ia, sa, b, ib, sb, n) {
    for (const end = o + n; o < end; o++, ia += sa, ib += sb) out[o] = a[ia] / b[ib];
  },
  pow(out, o, a, ia, sa, b, ib, sb, n) {
    for (const end = o + n; o < end; o++, ia += sa, ib += sb) out[o] = ieeePow(a[ia], b[ib]);
  },
  // Math.max/min return NaN when either side is NaN, as the contract asks.
  maximum(out, o, a, ia, sa, b, ib, sb, n) {
    for (const end = o + n; o < end; o++, ia += sa, ib += sb) out[o] = Math.max(a[ia], b[ib]);
  },
  minimum(out, o, a, ia, sa, b, ib, sb, n) {
    for (const end = o + n; o < end; o++, ia += sa, ib += sb) out[o] = Math.min(a[ia], b[ib]);
  },
};

/** [a, b] → op(a, b), broadcast, dtype of a. */
export const binary: KernelFn<CpuBackend, BinaryAttrs> = ({ inputs, attrs, backend }) => {
  const [a, b] = inputs as [TensorInfo, TensorInfo];
  const run = pick('Binary', 'op', runs, attrs.op);
  const shape = broadcastShapes('Binary', a.shape, b.shape);
  const out = allocFor(a.dtype, shape);
  const av = backend.valuesOf(a);
  const bv = backend.valuesOf(b);
  const plan = planBroadcast(shape, [a.shape, b.shape]);
  const sa = innerStride(plan, 0);
  const sb = innerStride(plan, 1);
  forEachRow(plan, (o, at, n) => run(out, o, av, at[0], sa, bv, at[1], sb, n));
  return backend.makeOutput(out, shape, a.dtype);
};
