/** Naive numpy broadcasting on flat arrays: the reference the broadcasting suite checks against. */

export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export function broadcastShape(a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) throw new Error(`reference: [${a}] and [${b}] do not broadcast`);
    out.push(da === 1 ? db : da);
  }
  return out;
}

/** For each flat index of `out`, the flat index of `shape` it reads when broadcast. */
export function broadcastIndices(shape: readonly number[], out: readonly number[]): Int32Array {
  const total = sizeOf(out);
  const idx = new Int32Array(total);
  const offset = out.length - shape.length;
  const strides: number[] = new Array(out.length).fill(0);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i + offset] = shape[i] === 1 ? 0 : s;
    s *= shape[i] as number;
  }
  const coord: number[] = new Array(out.length).fill(0);
  for (let flat = 0; flat < total; flat++) {
    let src = 0;
    for (let d = 0; d < out.length; d++) src += (coord[d] as number) * (strides[d] as number);
    idx[flat] = src;
    for (let d = out.length - 1; d >= 0; d--) {
      coord[d] = (coord[d] as number) + 1;
      if ((coord[d] as number) < (out[d] as number)) break;
      coord[d] = 0;
    }
  }
  return idx;
}

export function broadcastBinary(
  a: ArrayLike<number>,
  aShape: readonly number[],
  b: ArrayLike<number>,
  bShape: readonly number[],
  op: (x: number, y: number) => number,
): { shape: number[]; values: Float32Array } {
  const shape = broadcastShape(aShape, bShape);
  const ia = broadcastIndices(aShape, shape);
  const ib = broadcastIndices(bShape, shape);
  const values = new Float32Array(ia.length);
  for (let i = 0; i < ia.length; i++) values[i] = op(a[ia[i] as number] as number, b[ib[i] as number] as number);
  return { shape, values };
}

/** The adjoint of broadcasting: sums `values` of shape `from` down to `to` (as sumToSize). */
export function sumToShape(values: ArrayLike<number>, from: readonly number[], to: readonly number[]): Float32Array {
  const idx = broadcastIndices(to, from);
  const acc = new Float64Array(sizeOf(to));
  for (let i = 0; i < idx.length; i++) acc[idx[i] as number] = (acc[idx[i] as number] as number) + (values[i] as number);
  return Float32Array.from(acc);
}
