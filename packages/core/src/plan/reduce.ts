import { type Shape, sizeOf } from '../shape.js';
import type { IterationPlan } from './collapse.js';

/**
 * A reduction's walk: the input shape split into groups of adjacent dims that are all reduced or
 * all kept, size-1 dims dropped. Reduce-all is one reduced group, logsumexp over the last axis is
 * [kept, reduced], a bias gradient over axis 0 is [reduced, kept]; other patterns alternate.
 * Operand 0 is the input; operand 1 the output, with stride 0 on reduced groups.
 */
export interface ReducePlan extends IterationPlan {
  /** Per group (dim of the plan): whether it is reduced. */
  readonly reduced: readonly boolean[];
}

/** The {@link ReducePlan} of reducing `axes` (normalized, non-negative) of `shape`. */
export function planReduce(shape: Shape, axes: readonly number[]): ReducePlan {
  const dims: number[] = [];
  const reduced: boolean[] = [];
  for (let d = 0; d < shape.length; d++) {
    const n = shape[d] as number;
    if (n === 1) continue;
    const isReduced = axes.includes(d);
    const last = dims.length - 1;
    if (last >= 0 && reduced[last] === isReduced) dims[last] = (dims[last] as number) * n;
    else {
      dims.push(n);
      reduced.push(isReduced);
    }
  }
  if (dims.length === 0) {
    // A single element: one run of length 1.
    dims.push(1);
    reduced.push(true);
  }
  const inStrides = new Array<number>(dims.length);
  const outStrides = new Array<number>(dims.length);
  for (let g = dims.length - 1, inS = 1, outS = 1; g >= 0; g--) {
    const n = dims[g] as number;
    inStrides[g] = inS;
    inS *= n;
    outStrides[g] = reduced[g] ? 0 : outS;
    if (!reduced[g]) outS *= n;
  }
  return { size: sizeOf(shape), dims, reduced, strides: [inStrides, outStrides] };
}

/** The axes of `from` that summing down to `to` (a shape that broadcasts to `from`) reduces: sumToSize's axes. */
export function summedAxes(from: Shape, to: Shape): number[] {
  const lead = from.length - to.length;
  const axes: number[] = [];
  for (let i = 0; i < from.length; i++) if (i < lead || (to[i - lead] === 1 && from[i] !== 1)) axes.push(i);
  return axes;
}
