/** Plain-JS reductions over a set of axes, in float64, with gradients of the reduced sum. */
import { sizeOf } from './broadcast.js';

export type ReduceName = 'sum' | 'mean' | 'max' | 'min';

export interface Reduction {
  shape: number[];
  values: Float64Array;
  /** Σ|x| of each output's inputs: float32 summation error scales with it. */
  magnitude: Float64Array;
  /** d(sum of outputs)/dx, with max/min's gradient shared evenly among ties (PyTorch's amax). */
  grad: Float64Array;
}

/** For each flat input index, the flat index of the output it reduces into. */
function outputIndex(shape: readonly number[], axes: readonly number[]): { outShape: number[]; map: Int32Array } {
  const keep = shape.map((_, d) => !axes.includes(d));
  const outShape = shape.filter((_, d) => keep[d]);
  const map = new Int32Array(sizeOf(shape));
  const coord = new Array(shape.length).fill(0);
  for (let i = 0; i < map.length; i++) {
    let o = 0;
    for (let d = 0; d < shape.length; d++) if (keep[d]) o = o * (shape[d] as number) + coord[d];
    map[i] = o;
    for (let d = shape.length - 1; d >= 0; d--) {
      coord[d]++;
      if (coord[d] < (shape[d] as number)) break;
      coord[d] = 0;
    }
  }
  return { outShape, map };
}

export function reduceReference(
  op: ReduceName,
  x: ArrayLike<number>,
  shape: readonly number[],
  axes: readonly number[],
  keepDims: boolean,
): Reduction {
  const { outShape, map } = outputIndex(shape, axes);
  const n = sizeOf(outShape);
  const count = sizeOf(axes.map((a) => shape[a] as number));
  const values = new Float64Array(n).fill(op === 'max' ? -Infinity : op === 'min' ? Infinity : 0);
  const magnitude = new Float64Array(n);
  for (let i = 0; i < map.length; i++) {
    const o = map[i] as number;
    const v = x[i] as number;
    magnitude[o] = (magnitude[o] as number) + Math.abs(v);
    if (op === 'max') values[o] = Math.max(values[o] as number, v);
    else if (op === 'min') values[o] = Math.min(values[o] as number, v);
    else values[o] = (values[o] as number) + v;
  }
  if (op === 'mean') for (let o = 0; o < n; o++) values[o] = (values[o] as number) / count;
  const grad = new Float64Array(map.length);
  if (op === 'sum' || op === 'mean') grad.fill(op === 'sum' ? 1 : 1 / count);
  else {
    const ties = new Float64Array(n);
    for (let i = 0; i < map.length; i++) if (x[i] === values[map[i] as number]) ties[map[i] as number]++;
    for (let i = 0; i < map.length; i++) grad[i] = x[i] === values[map[i] as number] ? 1 / (ties[map[i] as number] as number) : 0;
  }
  const finalShape = keepDims ? shape.map((d, i) => (axes.includes(i) ? 1 : d)) : outShape;
  return { shape: finalShape, values, magnitude, grad };
}
