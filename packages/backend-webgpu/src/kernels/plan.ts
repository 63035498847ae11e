/**
 * Index plans: shapes reduced to the fewest dims a kernel must walk. Size-1 dims are dropped and
 * neighbouring dims that every operand walks contiguously are merged, so same-shape operands need
 * one dim, [N,K] + [K] two, and shaders are specialized on this small rank, not the tensor's.
 */
import type { Shape } from '@surrograd/core';
import { broadcastStrides, sizeOf } from '@surrograd/core';

export interface IndexPlan {
  /** Iteration dims, outermost first; never empty (a scalar is [1]). */
  readonly dims: number[];
  /** strides[operand][dim], in elements (0 where an operand is broadcast). */
  readonly strides: number[][];
}

/** Merges and drops dims of an iteration space walked by several operands with the given strides. */
export function collapse(dims: readonly number[], strides: readonly (readonly number[])[]): IndexPlan {
  const outDims: number[] = [];
  const outStrides: number[][] = strides.map(() => []);
  for (let d = 0; d < dims.length; d++) {
    const n = dims[d] as number;
    if (n === 1) continue;
    const last = outDims.length - 1;
    if (last >= 0 && strides.every((s, k) => outStrides[k]![last] === (s[d] as number) * n)) {
      outDims[last]! *= n;
      strides.forEach((s, k) => {
        outStrides[k]![last] = s[d] as number;
      });
    } else {
      outDims.push(n);
      strides.forEach((s, k) => {
        outStrides[k]!.push(s[d] as number);
      });
    }
  }
  if (outDims.length === 0) {
    outDims.push(1);
    for (const s of outStrides) s.push(0);
  }
  return { dims: outDims, strides: outStrides };
}

/** Row-major strides of a contiguous shape. */
export function contiguousStrides(shape: Shape): number[] {
  const out = new Array<number>(shape.length);
  for (let d = shape.length - 1, s = 1; d >= 0; d--) {
    out[d] = s;
    s *= shape[d] as number;
  }
  return out;
}

/** The output and each operand (broadcast to `outShape`) as one plan; operand 0 is the output. */
export function planBroadcast(outShape: Shape, shapes: readonly Shape[]): IndexPlan {
  return collapse(outShape, [contiguousStrides(outShape), ...shapes.map((s) => broadcastStrides(s, outShape))]);
}

export { sizeOf };
