/**
 * Core's iteration plans (planBroadcast, planReduce, collapseDims) handed to the kernels' row
 * iterator (assembly/rows.ts): dims outermost first, the last one being the row.
 */
import type { IterationPlan } from '@surrograd/core';
import type { WasmBackend } from './wasm-backend.js';

/** The most dims a plan may have (the kernels' odometer holds this many). */
const MAX_RANK = 32;

/** Writes a plan into the scratch block: [rank, dims, strides of each operand]. */
export function writePlan(backend: WasmBackend, plan: IterationPlan): void {
  const rank = plan.dims.length;
  if (rank > MAX_RANK) throw new RangeError(`backend-wasm: a plan of rank ${rank} exceeds the kernels' limit of ${MAX_RANK}`);
  const words = backend.i32;
  let at = backend.scratchPtr >>> 2;
  words[at++] = rank;
  for (const d of plan.dims) words[at++] = d;
  for (const s of plan.strides) for (const v of s) words[at++] = v;
}
