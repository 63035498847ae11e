/** Walking core's reduce plans (`planReduce`) in JavaScript loops. */
import type { ReducePlan } from '@surrograd/core';

/**
 * Calls `visit(inOffset, outOffset)` at the start of each run of the last group, walking the
 * other groups in input order.
 */
export function forEachRun(plan: ReducePlan, visit: (inOffset: number, outOffset: number) => void): void {
  const sizes = plan.dims;
  const [inStrides, outStrides] = plan.strides as [readonly number[], readonly number[]];
  const outer = sizes.length - 1;
  const index = new Array<number>(outer).fill(0);
  let runs = 1;
  for (let g = 0; g < outer; g++) runs *= sizes[g];
  let inOffset = 0;
  let outOffset = 0;
  for (let r = 0; r < runs; r++) {
    visit(inOffset, outOffset);
    for (let g = outer - 1; g >= 0; g--) {
      if (++index[g] < sizes[g]) {
        inOffset += inStrides[g];
        outOffset += outStrides[g];
        break;
      }
      index[g] = 0;
      inOffset -= inStrides[g] * (sizes[g] - 1);
      outOffset -= outStrides[g] * (sizes[g] - 1);
    }
  }
}
