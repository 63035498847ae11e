import type { BinaryAttrs, BinaryOpName, KernelFn, TensorInfo } from '@surrograd/core';
import { BINARY_TABLE, binaryLoop, broadcastShapes, planBroadcast } from '@surrograd/core';
import type { CpuBackend } from '../cpu-backend.js';
import { BLOCK } from './block.js';
import { forEachRow, innerStride } from './broadcast-plan.js';
import { allocFor, pick } from './common.js';

/**
 * [a, b] → op(a, b), broadcast, dtype of a. The run is the row's forward expression, compiled by
 * core with strides 0 or 1 (same-shape, scalar and row broadcast measured as fast as loops
 * specialized per stride pattern).
 */
export const binary: KernelFn<CpuBackend, BinaryAttrs> = ({ inputs, attrs, backend }) => {
  const [a, b] = inputs as [TensorInfo, TensorInfo];
  pick('Binary', 'op', BINARY_TABLE, attrs.op);
  const run = binaryLoop(attrs.op as BinaryOpName);
  const shape = broadcastShapes('Binary', a.shape, b.shape);
  const out = allocFor(a.dtype, shape);
  const av = backend.valuesOf(a);
  const bv = backend.valuesOf(b);
  const plan = planBroadcast(shape, [a.shape, b.shape]);
  const sa = innerStride(plan, 0);
  const sb = innerStride(plan, 1);
  if (plan.dims.length === 1) {
    // One run (same shapes, or a scalar operand): blocks of it, without the row walk's closure.
    for (let o = 0; o < plan.size; o += BLOCK) run(out, o, av, o * sa, sa, bv, o * sb, sb, Math.min(BLOCK, plan.size - o));
  } else forEachRow(plan, (o, at, n) => run(out, o, av, at[0], sa, bv, at[1], sb, n));
  return backend.makeOutput(out, shape, a.dtype);
};
