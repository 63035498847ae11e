/** Shape arithmetic shared by core and every backend. Shapes are plain arrays of non-negative integers. */
export type Shape = readonly number[];

/** Number of elements in a tensor of `shape` (1 for a scalar, [], and 0 if any dim is 0). */
export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** Row-major (C-contiguous) strides of `shape`, in elements: the last dim has stride 1. */
export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i] as number;
  }
  return strides;
}

/** True when two shapes have the same rank and dims. */
export function shapesEqual(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A shape as `[2, 3]`, for error messages. */
export function fmt(shape: Shape): string {
  return `[${shape.join(', ')}]`;
}

/**
 * A value as the user wrote it, for error messages: NaN and Infinity stay themselves (JSON would
 * print null), strings are quoted, arrays nest.
 */
export function show(value: unknown): string {
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(show).join(', ')}]`;
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'object') return ArrayBuffer.isView(value) ? value.constructor.name : 'an object';
  return `${typeof value} ${String(value)}`;
}

/**
 * The most elements a tensor may have: indices are 32-bit on the wasm and WebGPU backends, and
 * typed arrays past it can't be allocated by every JavaScript engine.
 */
export const MAX_ELEMENTS = 2 ** 31 - 1;

/** Throws naming `op` unless `shape` is an array of non-negative integers with at most {@link MAX_ELEMENTS} elements in all. */
export function assertShape(op: string, shape: unknown): asserts shape is Shape {
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new TypeError(`${op}: a shape must be an array of non-negative integers, got ${show(shape)}`);
  }
  assertSize(op, shape, sizeOf(shape));
}

/** Throws a RangeError naming `op` when `size` elements (of a tensor of `shape`) exceed {@link MAX_ELEMENTS}. */
export function assertSize(op: string, shape: Shape, size: number): void {
  if (size > MAX_ELEMENTS) {
    throw new RangeError(`${op}: shape ${fmt(shape)} has ${size} elements; a tensor can have at most ${MAX_ELEMENTS} (2^31 - 1)`);
  }
}

/** numpy broadcasting of two shapes, or null when they don't broadcast. */
export function tryBroadcastShapes(a: Shape, b: Shape): number[] | null {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da === db || db === 1) out[i] = da;
    else if (da === 1) out[i] = db;
    else return null;
  }
  return out;
}

/** The numpy broadcast of all `shapes`; throws an error naming `op` and the shapes when they don't broadcast. */
export function broadcastShapes(op: string, ...shapes: Shape[]): number[] {
  const first = shapes[0];
  if (first !== undefined && shapes.every((s) => shapesEqual(s, first))) return [...first];
  let out: number[] = [];
  for (const s of shapes) {
    const next = tryBroadcastShapes(out, s);
    if (next === null) {
      throw new Error(`${op}: shapes ${shapes.map(fmt).join(' and ')} cannot be broadcast together`);
    }
    out = next;
  }
  return out;
}

/** Strides for reading `shape` as if broadcast to `outShape` (0 where a dimension is broadcast). */
export function broadcastStrides(shape: Shape, outShape: Shape): number[] {
  const strides = stridesOf(shape);
  const out = new Array<number>(outShape.length).fill(0);
  const offset = outShape.length - shape.length;
  for (let i = 0; i < shape.length; i++) {
    out[i + offset] = shape[i] === 1 && outShape[i + offset] !== 1 ? 0 : (strides[i] as number);
  }
  return out;
}

/** Normalizes possibly negative axes against a rank, sorted; an axis named twice is an error, as in PyTorch. */
export function normalizeAxes(op: string, axes: number | readonly number[] | undefined, rank: number): number[] {
  if (axes === undefined) return Array.from({ length: rank }, (_, i) => i);
  if (typeof axes !== 'number' && !Array.isArray(axes)) {
    throw new TypeError(`${op}: an axis must be an integer (or an array of them), got ${show(axes)}`);
  }
  const list = typeof axes === 'number' ? [axes] : axes;
  const out = new Set<number>();
  for (const a of list) {
    const axis = normalizeAxis(op, a, rank);
    if (out.has(axis) && rank > 0) throw new RangeError(`${op}: axis ${axis} appears more than once in ${show(list)}`);
    out.add(axis);
  }
  // A scalar has no axes; 0 and -1 name it, as in PyTorch.
  if (rank === 0) return [];
  return [...out].sort((x, y) => x - y);
}

/** Resolves a possibly negative axis (counting from the end) against `rank`, throwing a RangeError naming `op` when it is out of range. A scalar accepts 0 and -1, as in PyTorch. */
export function normalizeAxis(op: string, axis: number, rank: number): number {
  if (typeof axis !== 'number' || !Number.isInteger(axis)) {
    throw new TypeError(`${op}: an axis must be an integer, got ${show(axis)}`);
  }
  if (axis < -Math.max(rank, 1) || axis >= Math.max(rank, 1)) {
    throw new RangeError(`${op}: axis ${axis} is out of range for a tensor of rank ${rank}`);
  }
  return axis < 0 ? axis + rank : axis;
}

/** The shape after reducing `axes` (already normalized) of `shape`: those dims become 1 with `keepDims`, else are dropped. */
export function reducedShape(shape: Shape, axes: readonly number[], keepDims: boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < shape.length; i++) {
    if (axes.includes(i)) {
      if (keepDims) out.push(1);
    } else out.push(shape[i] as number);
  }
  return out;
}

/** Sizes of a (batched) matrix product op(A)·op(B) over the last two dims, as every backend's MatMul needs them. */
export interface MatmulShapes {
  /** Rows of each product: op(A) is m×k. */
  m: number;
  /** Columns of each product: op(B) is k×n. */
  n: number;
  /** The contracted dim. */
  k: number;
  /** The broadcast batch dims. */
  batch: number[];
  /** The result's shape: the batch dims, then m and n (either dropped for a 1-D operand). */
  outShape: number[];
}

/**
 * Checks and sizes op(A)·op(B), op a transpose of the last two dims where asked: ranks ≥ 2, equal
 * inner dimensions, broadcastable batch dims. Errors name `op` and both shapes.
 */
export function matmulShapes(op: string, a: Shape, b: Shape, transposeA: boolean, transposeB: boolean): MatmulShapes {
  if (a.length < 2 || b.length < 2) {
    throw new RangeError(`${op}: both inputs need rank >= 2, got a ${fmt(a)} and b ${fmt(b)}`);
  }
  const [aRows, aCols] = a.slice(-2) as [number, number];
  const [bRows, bCols] = b.slice(-2) as [number, number];
  const m = transposeA ? aCols : aRows;
  const k = transposeA ? aRows : aCols;
  const n = transposeB ? bRows : bCols;
  const kb = transposeB ? bCols : bRows;
  if (k !== kb) {
    throw new RangeError(
      `${op}: a ${fmt(a)}${transposeA ? 'ᵀ' : ''} · b ${fmt(b)}${transposeB ? 'ᵀ' : ''}: inner dimensions ${k} and ${kb} differ`,
    );
  }
  const batch = broadcastShapes(op, a.slice(0, -2), b.slice(0, -2));
  return { m, n, k, batch, outShape: [...batch, m, n] };
}
