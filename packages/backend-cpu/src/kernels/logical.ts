import type { BinaryLoop, KernelFn, LogicalAttrs, LogicalOp, TensorInfo } from '@surrograd/core';
import { broadcastShapes, planBroadcast } from '@surrograd/core';
import type { CpuBackend } from '../cpu-backend.js';
import { forEachRow, innerStride } from './broadcast-plan.js';
import { pick } from './common.js';

/** One strided run per op; bitwise ops suffice: bool buffers hold only 0 and 1 (the backend normalizes them on write). */
const runs: Record<LogicalOp, BinaryLoop> = {
  and(out, o, a, ia, sa, b, ib, sb, n) {
    for (const end = o + n; o < end; o++, ia += sa, ib += sb) out[o] = a[ia] & b[ib];
  },
  or(out, o, a, ia, sa, b, ib, sb, n) {
    for (const end = o + n; o < end; o++, ia += sa, ib += sb) out[o] = a[ia] | b[ib];
  },
  xor(out, o, a, ia, sa, b, ib, sb, n) {
    for (const end = o + n; o < end; o++, ia += sa, ib += sb) out[o] = a[ia] ^ b[ib];
  },
};

/** [a, b] bool → bool, broadcast. */
export const logical: KernelFn<CpuBackend, LogicalAttrs> = ({ inputs, attrs, backend }) => {
  const [a, b] = inputs as [TensorInfo, TensorInfo];
  const run = pick('Logical', 'op', runs, attrs.op);
  const shape = broadcastShapes('Logical', a.shape, b.shape);
  const plan = planBroadcast(shape, [a.shape, b.shape]);
  const out = new Uint8Array(plan.size);
  const av = backend.valuesOf(a);
  const bv = backend.valuesOf(b);
  const sa = innerStride(plan, 0);
  const sb = innerStride(plan, 1);
  forEachRow(plan, (o, at, n) => run(out, o, av, at[0], sa, bv, at[1], sb, n));
  return backend.makeOutput(out, shape, 'bool');
};
