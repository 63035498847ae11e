import type { Shape } from '@surrograd/core';

/**
 * A shape split into groups of adjacent dims that are all reduced or all kept, with size-1 dims
 * dropped: reduce-all is one reduced group, logsumexp over the last axis is [kept, reduced],
 * a bias gradient over axis 0 is [reduced, kept]. Any other pattern alternates.
 */
export interface ReducePlan {
  readonly sizes: readonly number[];
  readonly reduced: readonly boolean[];
  /** Input strides (elements) and output strides (0 for reduced groups) per group. */
  readonly inStrides: readonly number[];
  readonly outStrides: readonly number[];
}

export function planReduce(shape: Shape, axes: readonly number[]): ReducePlan {
  const sizes: number[] = [];
  const reduced: boolean[] = [];
  for (let d = 0; d < shape.length; d++) {
    if (shape[d] === 1) continue;
    const isReduced = axes.includes(d);
    const last = sizes.length - 1;
    if (last >= 0 && reduced[last] === isReduced) sizes[last] *= shape[d];
    else {
      sizes.push(shape[d]);
      reduced.push(isReduced);
    }
  }
  if (sizes.length === 0) {
    // A single element: one run of length 1.
    sizes.push(1);
    reduced.push(true);
  }
  const inStrides = new Array<number>(sizes.length);
  const outStrides = new Array<number>(sizes.length);
  for (let g = sizes.length - 1, inS = 1, outS = 1; g >= 0; g--) {
    inStrides[g] = inS;
    inS *= sizes[g];
    outStrides[g] = reduced[g] ? 0 : outS;
    if (!reduced[g]) outS *= sizes[g];
  }
  return { sizes, reduced, inStrides, outStrides };
}

/**
 * Calls `visit(inOffset, outOffset)` at the start of each run of the last group, walking the
 * other groups in input order.
 */
export function forEachRun(plan: ReducePlan, visit: (inOffset: number, outOffset: number) => void): void {
  const { sizes, inStrides, outStrides } = plan;
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
