/**
 * Plain-JS argmax/argmin along one axis: the index of the first extreme value, a NaN beating every
 * number (the first NaN wins) for both searches, as the cpu backend and numpy do.
 */
import type { ArgReduceOp } from '@surrograd/core';
import { sizeOf } from './broadcast.js';

export function argReduceReference(
  op: ArgReduceOp,
  x: readonly number[],
  shape: readonly number[],
  axis: number,
  keepDims: boolean,
): { shape: number[]; values: number[] } {
  const outer = sizeOf(shape.slice(0, axis));
  const n = shape[axis] as number;
  const inner = sizeOf(shape.slice(axis + 1));
  const better = op === 'argmax' ? (v: number, best: number) => v > best : (v: number, best: number) => v < best;
  const values: number[] = [];
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < inner; j++) {
      let at = 0;
      let best = x[o * n * inner + j] as number;
      for (let k = 1; k < n; k++) {
        const v = x[(o * n + k) * inner + j] as number;
        if (!Number.isNaN(best) && (Number.isNaN(v) || better(v, best))) {
          best = v;
          at = k;
        }
      }
      values.push(at);
    }
  }
  const out = keepDims ? shape.map((d, i) => (i === axis ? 1 : d)) : shape.filter((_, i) => i !== axis);
  return { shape: out, values };
}
