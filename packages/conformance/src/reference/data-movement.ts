/**
 * Plain-JS data movement on flat row-major arrays: transpose, slice, pad, concat, gather and its
 * adjoint scatter-add. Each returns the result's shape and values; gradients of these ops are the
 * same functions applied to the cotangent (slice ↔ pad, gather ↔ scatter-add, perm ↔ inverse).
 */
import { sizeOf } from './broadcast.js';

export interface Moved {
  shape: number[];
  values: number[];
}

export function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length).fill(1);
  for (let d = shape.length - 2; d >= 0; d--) strides[d] = (strides[d + 1] as number) * (shape[d + 1] as number);
  return strides;
}

/** Calls `visit(coord, flat)` for every index of `shape` in row-major order. */
export function forEachIndex(shape: readonly number[], visit: (coord: readonly number[], flat: number) => void): void {
  const n = sizeOf(shape);
  const coord = new Array<number>(shape.length).fill(0);
  for (let flat = 0; flat < n; flat++) {
    visit(coord, flat);
    for (let d = shape.length - 1; d >= 0; d--) {
      coord[d] = (coord[d] as number) + 1;
      if ((coord[d] as number) < (shape[d] as number)) break;
      coord[d] = 0;
    }
  }
}

const offsetOf = (coord: readonly number[], strides: readonly number[]) => coord.reduce((o, c, d) => o + c * (strides[d] as number), 0);

/** Output dim i is input dim perm[i]. */
export function transposeReference(x: readonly number[], shape: readonly number[], perm: readonly number[]): Moved {
  const out = perm.map((p) => shape[p] as number);
  const inStrides = stridesOf(shape);
  const values: number[] = [];
  forEachIndex(out, (c) => {
    values.push(x[perm.reduce((o, p, i) => o + (c[i] as number) * (inStrides[p] as number), 0)] as number);
  });
  return { shape: out, values };
}

export function inversePermutation(perm: readonly number[]): number[] {
  const inv = new Array<number>(perm.length);
  perm.forEach((p, i) => {
    inv[p] = i;
  });
  return inv;
}

export function sliceReference(x: readonly number[], shape: readonly number[], begin: readonly number[], size: readonly number[]): Moved {
  const strides = stridesOf(shape);
  const values: number[] = [];
  forEachIndex(size, (c) => {
    values.push(x[offsetOf(c, strides) + offsetOf(begin, strides)] as number);
  });
  return { shape: [...size], values };
}

export function padReference(
  x: readonly number[],
  shape: readonly number[],
  paddings: readonly (readonly [number, number])[],
  value: number,
): Moved {
  const out = shape.map((d, i) => d + (paddings[i] as [number, number])[0] + (paddings[i] as [number, number])[1]);
  const strides = stridesOf(shape);
  const values: number[] = [];
  forEachIndex(out, (c) => {
    const inside = c.map((v, i) => v - (paddings[i] as [number, number])[0]);
    const within = inside.every((v, i) => v >= 0 && v < (shape[i] as number));
    values.push(within ? (x[offsetOf(inside, strides)] as number) : value);
  });
  return { shape: out, values };
}

export function concatReference(parts: readonly { shape: readonly number[]; data: readonly number[] }[], axis: number): Moved {
  const first = parts[0] as { shape: readonly number[] };
  const out = [...first.shape];
  out[axis] = parts.reduce((n, p) => n + (p.shape[axis] as number), 0);
  const values: number[] = [];
  forEachIndex(out, (c) => {
    let along = c[axis] as number;
    for (const p of parts) {
      const n = p.shape[axis] as number;
      if (along < n) {
        const at = [...c];
        at[axis] = along;
        values.push(p.data[offsetOf(at, stridesOf(p.shape))] as number);
        return;
      }
      along -= n;
    }
  });
  return { shape: out, values };
}

/** x.shape[:axis] + indices.shape + x.shape[axis+1:], picking x's slices along `axis`. */
export function gatherReference(
  x: readonly number[],
  shape: readonly number[],
  indices: readonly number[],
  indicesShape: readonly number[],
  axis: number,
): Moved {
  const outer = sizeOf(shape.slice(0, axis));
  const n = shape[axis] as number;
  const inner = sizeOf(shape.slice(axis + 1));
  const values: number[] = [];
  for (let o = 0; o < outer; o++) {
    for (const idx of indices) for (let j = 0; j < inner; j++) values.push(x[(o * n + idx) * inner + j] as number);
  }
  return { shape: [...shape.slice(0, axis), ...indicesShape, ...shape.slice(axis + 1)], values };
}

/** Gather's adjoint: zeros of `shape` with each slice of `updates` added at its index (repeats accumulate), in float64. */
export function scatterAddReference(
  updates: readonly number[],
  indices: readonly number[],
  shape: readonly number[],
  axis: number,
): number[] {
  const outer = sizeOf(shape.slice(0, axis));
  const n = shape[axis] as number;
  const inner = sizeOf(shape.slice(axis + 1));
  const out = new Array<number>(sizeOf(shape)).fill(0);
  let from = 0;
  for (let o = 0; o < outer; o++) {
    for (const idx of indices) {
      for (let j = 0; j < inner; j++) {
        const to = (o * n + idx) * inner + j;
        out[to] = (out[to] as number) + (updates[from++] as number);
      }
    }
  }
  return out;
}
