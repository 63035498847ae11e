import type { Shape } from '@surrograd/core';
import { broadcastStrides, sizeOf } from '@surrograd/core';
import type { WasmBackend } from './wasm-backend.js';

/**
 * A walk over rows for the kernels' row iterator (assembly/rows.ts): dims outermost first, the
 * last one being the row, and each operand's element stride per dim.
 */
export interface RowPlan {
  readonly size: number;
  readonly dims: readonly number[];
  readonly strides: readonly (readonly number[])[];
}

/** The most dims a plan may have (the kernels' odometer holds this many). */
const MAX_RANK = 32;

/** Writes a plan into the scratch block: [rank, dims, strides of each operand]. */
export function writePlan(backend: WasmBackend, plan: RowPlan): void {
  const rank = plan.dims.length;
  if (rank > MAX_RANK) throw new RangeError(`backend-wasm: a plan of rank ${rank} exceeds the kernels' limit of ${MAX_RANK}`);
  const words = backend.i32;
  let at = backend.scratchPtr >>> 2;
  words[at++] = rank;
  for (const d of plan.dims) words[at++] = d;
  for (const s of plan.strides) for (const v of s) words[at++] = v;
}

/**
 * An output shape with each operand's broadcast strides, size-1 dims dropped and dims that every
 * operand walks contiguously merged: same-shape operands collapse to one row, a scalar gets
 * stride 0, [N,K] + [K] stays rows of K. Never empty.
 */
export function planBroadcast(outShape: Shape, shapes: readonly Shape[]): RowPlan {
  const full = shapes.map((s) => broadcastStrides(s, outShape));
  const dims: number[] = [];
  const strides: number[][] = shapes.map(() => []);
  for (let d = 0; d < outShape.length; d++) {
    const n = outShape[d] as number;
    if (n === 1) continue;
    const last = dims.length - 1;
    if (last >= 0 && full.every((s, k) => strides[k]![last] === (s[d] as number) * n)) {
      dims[last]! *= n;
      for (let k = 0; k < full.length; k++) strides[k]![last] = full[k]![d] as number;
    } else {
      dims.push(n);
      for (let k = 0; k < full.length; k++) strides[k]!.push(full[k]![d] as number);
    }
  }
  if (dims.length === 0) {
    dims.push(1);
    for (const s of strides) s.push(0);
  }
  return { size: sizeOf(outShape), dims, strides };
}

/**
 * A shape split into groups of adjacent dims that are all reduced or all kept, size-1 dims
 * dropped; operand 0 walks the input, operand 1 the output (stride 0 on reduced groups).
 */
export function planReduce(shape: Shape, axes: readonly number[]): RowPlan {
  const sizes: number[] = [];
  const reduced: boolean[] = [];
  for (let d = 0; d < shape.length; d++) {
    if (shape[d] === 1) continue;
    const isReduced = axes.includes(d);
    const last = sizes.length - 1;
    if (last >= 0 && reduced[last] === isReduced) sizes[last]! *= shape[d] as number;
    else {
      sizes.push(shape[d] as number);
      reduced.push(isReduced);
    }
  }
  if (sizes.length === 0) {
    sizes.push(1);
    reduced.push(true);
  }
  const inStrides = new Array<number>(sizes.length);
  const outStrides = new Array<number>(sizes.length);
  for (let g = sizes.length - 1, inS = 1, outS = 1; g >= 0; g--) {
    inStrides[g] = inS;
    inS *= sizes[g] as number;
    outStrides[g] = reduced[g] ? 0 : outS;
    if (!reduced[g]) outS *= sizes[g] as number;
  }
  return { size: sizeOf(shape), dims: sizes, strides: [inStrides, outStrides] };
}

/**
 * Dims of a strided copy with size-1 dims dropped and adjacent dims merged where both the source
 * and the destination walk them contiguously.
 */
export function planCopy(dims: readonly number[], src: readonly number[], dst: readonly number[]): RowPlan {
  const outDims: number[] = [];
  const s: number[] = [];
  const d: number[] = [];
  for (let i = 0; i < dims.length; i++) {
    const n = dims[i] as number;
    if (n === 1) continue;
    const last = outDims.length - 1;
    if (last >= 0 && s[last] === (src[i] as number) * n && d[last] === (dst[i] as number) * n) {
      outDims[last]! *= n;
      s[last] = src[i] as number;
      d[last] = dst[i] as number;
    } else {
      outDims.push(n);
      s.push(src[i] as number);
      d.push(dst[i] as number);
    }
  }
  if (outDims.length === 0) {
    outDims.push(1);
    s.push(0);
    d.push(0);
  }
  return { size: sizeOf(dims), dims: outDims, strides: [s, d] };
}
