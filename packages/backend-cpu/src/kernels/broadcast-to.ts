import type { BroadcastToAttrs, KernelFn, TensorInfo } from '@surrograd/core';
import { fmt, planBroadcast, shapesEqual, tryBroadcastShapes } from '@surrograd/core';
import type { CpuBackend } from '../cpu-backend.js';
import { forEachRow, innerStride } from './broadcast-plan.js';
import { allocFor, copyRun } from './common.js';

/** [x] → x broadcast (numpy rules) to `shape`, materialized: whole rows copied, repeated values filled. */
export const broadcastTo: KernelFn<CpuBackend, BroadcastToAttrs> = ({ inputs, attrs, backend }) => {
  const [x] = inputs as [TensorInfo];
  const shape = attrs.shape;
  const joint = tryBroadcastShapes(x.shape, shape);
  if (joint === null || !shapesEqual(joint, shape)) {
    throw new RangeError(`BroadcastTo: x ${fmt(x.shape)} cannot be broadcast to ${fmt(shape)}`);
  }
  const out = allocFor(x.dtype, shape);
  const xv = backend.valuesOf(x);
  const plan = planBroadcast(shape, [x.shape]);
  if (innerStride(plan, 0) === 1) {
    forEachRow(plan, (o, at, n) => copyRun(xv, at[0], out, o, n));
  } else {
    forEachRow(plan, (o, at, n) => out.fill(xv[at[0]], o, o + n));
  }
  return backend.makeOutput(out, shape, x.dtype);
};
