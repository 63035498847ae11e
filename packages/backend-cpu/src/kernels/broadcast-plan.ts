import type { Shape } from '@surrograd/core';
import { broadcastStrides, sizeOf } from '@surrograd/core';
import { BLOCK } from './block.js';

/**
 * An output shape with each operand's broadcast strides, after dropping size-1 dims and
 * merging dims that every operand walks contiguously. Same-shape operands collapse to one dim;
 * a scalar operand gets stride 0 everywhere; [N,K] + [K] stays two dims, rows of K.
 */
export interface BroadcastPlan {
  readonly size: number;
  /** Collapsed dims, outermost first; the last one is walked by the inner loop. Never empty. */
  readonly dims: readonly number[];
  /** strides[operand][dim]. */
  readonly strides: readonly (readonly number[])[];
}

export function planBroadcast(outShape: Shape, shapes: readonly Shape[]): BroadcastPlan {
  const full = shapes.map((s) => broadcastStrides(s, outShape));
  const dims: number[] = [];
  const strides: number[][] = shapes.map(() => []);
  for (let d = 0; d < outShape.length; d++) {
    const n = outShape[d];
    if (n === 1) continue;
    const last = dims.length - 1;
    if (last >= 0 && full.every((s, k) => strides[k][last] === s[d] * n)) {
      dims[last] *= n;
      for (let k = 0; k < full.length; k++) strides[k][last] = full[k][d];
    } else {
      dims.push(n);
      for (let k = 0; k < full.length; k++) strides[k].push(full[k][d]);
    }
  }
  if (dims.length === 0) {
    dims.push(1);
    for (const s of strides) s.push(0);
  }
  return { size: sizeOf(outShape), dims, strides };
}

/**
 * Calls `visit(outOffset, operandOffsets, n)` for each run of at most BLOCK elements of the
 * innermost dim, in output order; within a run, operand k advances by `innerStride(plan, k)`.
 * `operandOffsets` is reused between calls: read it, don't keep it.
 */
export function forEachRow(plan: BroadcastPlan, visit: (outOffset: number, operandOffsets: readonly number[], n: number) => void): void {
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

export function innerStride(plan: BroadcastPlan, operand: number): number {
  return plan.strides[operand][plan.dims.length - 1];
}
