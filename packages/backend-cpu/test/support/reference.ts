/**
 * Straightforward reference implementations: one output element at a time, through explicit
 * multi-indices. Slow and obviously right, to check the fast kernels against.
 */
type Shape = readonly number[];

export const size = (shape: Shape) => shape.reduce((n, d) => n * d, 1);

export function unravel(flat: number, shape: Shape): number[] {
  const index = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    index[d] = flat % shape[d];
    flat = Math.floor(flat / shape[d]);
  }
  return index;
}

export function ravel(index: readonly number[], shape: Shape): number {
  let flat = 0;
  for (let d = 0; d < shape.length; d++) flat = flat * shape[d] + index[d];
  return flat;
}

export function broadcastShape(...shapes: Shape[]): number[] {
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  const out: number[] = [];
  for (let d = 0; d < rank; d++) {
    let n = 1;
    for (const s of shapes) {
      const dim = s[s.length - rank + d] ?? 1;
      if (dim !== 1) {
        if (n !== 1 && n !== dim) throw new Error(`reference: cannot broadcast ${shapes.map((x) => `[${x}]`).join(' ')}`);
        n = dim;
      }
    }
    out.push(n);
  }
  return out;
}

/** The flat index into `shape` that out-index `outIndex` reads under broadcasting. */
export function sourceIndex(outIndex: readonly number[], shape: Shape): number {
  const offset = outIndex.length - shape.length;
  return ravel(
    shape.map((dim, d) => (dim === 1 ? 0 : outIndex[d + offset])),
    shape,
  );
}

export function elementwise(shapes: Shape[], inputs: ArrayLike<number>[], f: (...xs: number[]) => number) {
  const shape = broadcastShape(...shapes);
  const values = Array.from({ length: size(shape) }, (_, i) => {
    const index = unravel(i, shape);
    return f(...inputs.map((x, k) => x[sourceIndex(index, shapes[k])]));
  });
  return { shape, values };
}

export function reduce(x: ArrayLike<number>, shape: Shape, axes: number[], keepDims: boolean, op: 'sum' | 'prod' | 'max' | 'min') {
  const outShape = shape.flatMap((d, i) => (axes.includes(i) ? (keepDims ? [1] : []) : [d]));
  const init = { sum: 0, prod: 1, max: -Infinity, min: Infinity }[op];
  const acc = new Array<number>(size(outShape)).fill(init);
  for (let i = 0; i < size(shape); i++) {
    const index = unravel(i, shape);
    const outIndex = index.flatMap((v, d) => (axes.includes(d) ? (keepDims ? [0] : []) : [v]));
    const o = ravel(outIndex, outShape);
    const v = x[i];
    if (op === 'sum') acc[o] += v;
    else if (op === 'prod') acc[o] *= v;
    else if (Number.isNaN(v) || Number.isNaN(acc[o])) acc[o] = Number.NaN;
    else acc[o] = op === 'max' ? Math.max(acc[o], v) : Math.min(acc[o], v);
  }
  return { shape: outShape, values: acc };
}

export function matMul(a: ArrayLike<number>, aShape: Shape, b: ArrayLike<number>, bShape: Shape, tA: boolean, tB: boolean) {
  const [ar, ac] = aShape.slice(-2);
  const [br, bc] = bShape.slice(-2);
  const m = tA ? ac : ar;
  const k = tA ? ar : ac;
  const n = tB ? br : bc;
  const batch = broadcastShape(aShape.slice(0, -2), bShape.slice(0, -2));
  const outShape = [...batch, m, n];
  const values = Array.from({ length: size(outShape) }, (_, flat) => {
    const index = unravel(flat, outShape);
    const [i, j] = index.slice(-2);
    const batchIndex = index.slice(0, -2);
    let s = 0;
    for (let p = 0; p < k; p++) {
      const aIdx = [...batchIndex, tA ? p : i, tA ? i : p];
      const bIdx = [...batchIndex, tB ? j : p, tB ? p : j];
      s += a[sourceIndex(aIdx, aShape)] * b[sourceIndex(bIdx, bShape)];
    }
    return s;
  });
  return { shape: outShape, values };
}

export function transpose(x: ArrayLike<number>, shape: Shape, perm: number[]) {
  const outShape = perm.map((p) => shape[p]);
  const values = Array.from({ length: size(outShape) }, (_, flat) => {
    const outIndex = unravel(flat, outShape);
    const inIndex = new Array<number>(shape.length);
    perm.forEach((p, d) => {
      inIndex[p] = outIndex[d];
    });
    return x[ravel(inIndex, shape)];
  });
  return { shape: outShape, values };
}

export function slice(x: ArrayLike<number>, shape: Shape, begin: number[], sizes: number[]) {
  const values = Array.from({ length: size(sizes) }, (_, flat) => {
    const index = unravel(flat, sizes).map((v, d) => v + begin[d]);
    return x[ravel(index, shape)];
  });
  return { shape: sizes, values };
}

export function pad(x: ArrayLike<number>, shape: Shape, paddings: [number, number][], value: number) {
  const outShape = shape.map((d, i) => d + paddings[i][0] + paddings[i][1]);
  const values = Array.from({ length: size(outShape) }, (_, flat) => {
    const index = unravel(flat, outShape).map((v, d) => v - paddings[d][0]);
    const inside = index.every((v, d) => v >= 0 && v < shape[d]);
    return inside ? x[ravel(index, shape)] : value;
  });
  return { shape: outShape, values };
}

export function concat(xs: ArrayLike<number>[], shapes: Shape[], axis: number) {
  const outShape = [...shapes[0]];
  outShape[axis] = shapes.reduce((n, s) => n + s[axis], 0);
  const values = Array.from({ length: size(outShape) }, (_, flat) => {
    const index = unravel(flat, outShape);
    let at = index[axis];
    let t = 0;
    while (at >= shapes[t][axis]) at -= shapes[t++][axis];
    index[axis] = at;
    return xs[t][ravel(index, shapes[t])];
  });
  return { shape: outShape, values };
}

export function gather(x: ArrayLike<number>, shape: Shape, indices: ArrayLike<number>, indexShape: Shape, axis: number) {
  const outShape = [...shape.slice(0, axis), ...indexShape, ...shape.slice(axis + 1)];
  const values = Array.from({ length: size(outShape) }, (_, flat) => {
    const outIndex = unravel(flat, outShape);
    const which = indices[ravel(outIndex.slice(axis, axis + indexShape.length), indexShape)];
    const inIndex = [...outIndex.slice(0, axis), which, ...outIndex.slice(axis + indexShape.length)];
    return x[ravel(inIndex, shape)];
  });
  return { shape: outShape, values };
}

export function scatterAdd(updates: ArrayLike<number>, indices: ArrayLike<number>, indexShape: Shape, shape: Shape, axis: number) {
  const updShape = [...shape.slice(0, axis), ...indexShape, ...shape.slice(axis + 1)];
  const values = new Array<number>(size(shape)).fill(0);
  for (let flat = 0; flat < size(updShape); flat++) {
    const u = unravel(flat, updShape);
    const which = indices[ravel(u.slice(axis, axis + indexShape.length), indexShape)];
    const target = [...u.slice(0, axis), which, ...u.slice(axis + indexShape.length)];
    values[ravel(target, shape)] += updates[flat];
  }
  return { shape: [...shape], values };
}
