/**
 * Compare and Logical: core's table rows (COMPARE_TABLE, LOGICAL_TABLE) compiled to strided runs,
 * broadcast by core's plan, into a bool array (each result 1 or 0).
 */
import type { BinaryLoop, CompareAttrs, KernelFn, LogicalAttrs, TensorInfo } from '@surrograd/core';
import { broadcastShapes, compareLoop, logicalLoop, planBroadcast } from '@surrograd/core';
import type { CpuBackend } from '../cpu-backend.js';
import { forEachRow, innerStride } from './broadcast-plan.js';

function predicate(backend: CpuBackend, kernel: string, run: BinaryLoop, [a, b]: readonly TensorInfo[]) {
  const shape = broadcastShapes(kernel, a!.shape, b!.shape);
  const plan = planBroadcast(shape, [a!.shape, b!.shape]);
  const out = new Uint8Array(plan.size);
  const av = backend.valuesOf(a!);
  const bv = backend.valuesOf(b!);
  const sa = innerStride(plan, 0);
  const sb = innerStride(plan, 1);
  forEachRow(plan, (o, at, n) => run(out, o, av, at[0], sa, bv, at[1], sb, n));
  return backend.makeOutput(out, shape, 'bool');
}

/** [a, b] → bool, broadcast; NaN compares false except under ne, as IEEE says. */
export const compare: KernelFn<CpuBackend, CompareAttrs> = ({ inputs, attrs, backend }) =>
  predicate(backend, 'Compare', compareLoop(attrs.op), inputs);

/** [a, b] bool → bool, broadcast. */
export const logical: KernelFn<CpuBackend, LogicalAttrs> = ({ inputs, attrs, backend }) =>
  predicate(backend, 'Logical', logicalLoop(attrs.op), inputs);
