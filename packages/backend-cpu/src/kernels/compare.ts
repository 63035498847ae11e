import type { BinaryLoop, CompareAttrs, CompareOp, KernelFn, TensorInfo } from '@surrograd/core';
import { broadcastShapes, planBroadcast } from '@surrograd/core';
import type { CpuBackend } from '../cpu-backend.js';
import { forEachRow, innerStride } from './broadcast-plan.js';
import { pick } from './common.js';

/** One strided run per op, out[o..o+n) = +(a[ia += sa] op b[ib += sb]); NaN compares false except under `ne`, as IEEE says. */
const runs: Record<CompareOp, BinaryLoop> = {
  lt(out, o, a, ia, sa, b, ib, sb, n) {
    for (const end = o + n; o < end; o++, ia += sa, ib += sb) out[o] = +(a[ia] < b[ib]);
  },
  le(out, o, a, ia, sa, b, ib, sb, n) {
    for (const end = o + n; o < end; o++, ia += sa, ib += sb) out[o] = +(a[ia] <= b[ib]);
  },
  gt(out, o, a, ia, sa, b, ib, sb, n) {
    for (const end = o + n; o < end; o++, ia += sa, ib += sb) out[o] = +(a[ia] > b[ib]);
  },
  ge(out, o, a, ia, sa, b, ib, sb, n) {
    for (const end = o + n; o < end; o++, ia += sa, ib += sb) out[o] = +(a[ia] >= b[ib]);
  },
  eq(out, o, a, ia, sa, b, ib, sb, n) {
    for (const end = o + n; o < end; o++, ia += sa, ib += sb) out[o] = +(a[ia] === b[ib]);
  },
  ne(out, o, a, ia, sa, b, ib, sb, n) {
    for (const end = o + n; o < end; o++, ia += sa, ib += sb) out[o] = +(a[ia] !== b[ib]);
  },
};

/** [a, b] → bool, broadcast. */
export const compare: KernelFn<CpuBackend, CompareAttrs> = ({ inputs, attrs, backend }) => {
  const [a, b] = inputs as [TensorInfo, TensorInfo];
  const run = pick('Compare', 'op', runs, attrs.op);
  const shape = broadcastShapes('Compare', a.shape, b.shape);
  const plan = planBroadcast(shape, [a.shape, b.shape]);
  const out = new Uint8Array(plan.size);
  const av = backend.valuesOf(a);
  const bv = backend.valuesOf(b);
  const sa = innerStride(plan, 0);
  const sb = innerStride(plan, 1);
  forEachRow(plan, (o, at, n) => run(out, o, av, at[0], sa, bv, at[1], sb, n));
  return backend.makeOutput(out, shape, 'bool');
};
