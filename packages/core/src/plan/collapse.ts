/**
 * Iteration plans every backend shares: a shape reduced to the fewest dims a kernel must walk.
 * Size-1 dims are dropped and neighbouring dims that every operand walks contiguously are merged,
 * so same-shape operands need one dim and [N,K] + [K] two; kernels specialize on this small rank.
 */
import { sizeOf } from '../shape.js';

/** Dims to walk, outermost first (never empty: a scalar is [1]), with each operand's element stride per dim. */
export interface IterationPlan {
  /** Elements walked: the product of `dims`. */
  readonly size: number;
  /** Iteration dims, outermost first; the last is the innermost loop. */
  readonly dims: readonly number[];
  /** strides[operand][dim], in elements (0 where an operand is broadcast). */
  readonly strides: readonly (readonly number[])[];
}

/** Drops size-1 dims of `dims` and merges neighbours that every operand (one stride list each) walks contiguously. */
export function collapseDims(dims: readonly number[], strides: readonly (readonly number[])[]): IterationPlan {
  const outDims: number[] = [];
  const outStrides: number[][] = strides.map(() => []);
  for (let d = 0; d < dims.length; d++) {
    const n = dims[d] as number;
    if (n === 1) continue;
    const last = outDims.length - 1;
    if (last >= 0 && strides.every((s, k) => (outStrides[k] as number[])[last] === (s[d] as number) * n)) {
      outDims[last] = (outDims[last] as number) * n;
      for (let k = 0; k < strides.length; k++) (outStrides[k] as number[])[last] = (strides[k] as readonly number[])[d] as number;
    } else {
      outDims.push(n);
      for (let k = 0; k < strides.length; k++) (outStrides[k] as number[]).push((strides[k] as readonly number[])[d] as number);
    }
  }
  if (outDims.length === 0) {
    outDims.push(1);
    for (const s of outStrides) s.push(0);
  }
  return { size: sizeOf(dims), dims: outDims, strides: outStrides };
}
