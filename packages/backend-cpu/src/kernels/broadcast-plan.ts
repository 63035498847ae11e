/** Walking core's broadcast plans (`planBroadcast`) in JavaScript loops. */
import type { IterationPlan } from '@surrograd/core';
import { BLOCK } from './block.js';

/**
 * Calls `visit(outOffset, operandOffsets, n)` for each run of at most BLOCK elements of the
 * innermost dim, in output order; within a run, operand k advances by `innerStride(plan, k)`.
 * `operandOffsets` is reused between calls: read it, don't keep it.
 */
export function forEachRow(plan: IterationPlan, visit: (outOffset: number, operandOffsets: readonly number[], n: number) => void): void {
  const { size, dims, strides } = plan;
  if (size === 0) return;
  const rank = dims.length;
  const inner = dims[rank - 1];
  const operands = strides.length;
  const step = strides.map((s) => s[rank - 1]);
  const rowStart = new Array<number>(operands).fill(0);
  const runStart = new Array<number>(operands).fill(0);
  const index = new Array<number>(rank).fill(0);
  for (let o = 0; o < size; o += inner) {
    for (let j = 0; j < inner; j += BLOCK) {
      for (let k = 0; k < operands; k++) runStart[k] = rowStart[k] + j * step[k];
      visit(o + j, runStart, Math.min(BLOCK, inner - j));
    }
    // Odometer over the outer dims.
    for (let d = rank - 2; d >= 0; d--) {
      if (++index[d] < dims[d]) {
        for (let k = 0; k < operands; k++) rowStart[k] += strides[k][d];
        break;
      }
      index[d] = 0;
      for (let k = 0; k < operands; k++) rowStart[k] -= strides[k][d] * (dims[d] - 1);
    }
  }
}

export function innerStride(plan: IterationPlan, operand: number): number {
  return plan.strides[operand][plan.dims.length - 1];
}
