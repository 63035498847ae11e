import { toInt32 } from './convert';
import { beginRows, beginRowsAt, nextRow, off0, off1, ROW_SLOTS, rowLength, rowStride, seekRow } from './rows';

// Op codes, shared with src/kernels/codes.ts.
export const SUM = 0;
export const MAX = 1;
export const MIN = 2;
export const PROD = 3;

// The plan in the scratch block has two operands: input strides and output strides (0 on
// reduced groups). A row is the last group: reduced (fold a run into one output) or kept (fold a
// run into a run of outputs). Sums and products accumulate in f64 whatever the dtype, as the
// reference does, so float32 results match it to the last bit more often than not.

/** The upper two float32 lanes of v, in the lower two (for promote_low). */
@inline export function high(v: v128): v128 {
  return f32x4.shuffle(v, v, 2, 3, 2, 3);
}

/** Σ x[0..n) in f64, eight lanes in flight. */
export function sumRunF32(x: usize, n: i32): f64 {
  let s0 = f64x2.splat(0);
  let s1 = f64x2.splat(0);
  let s2 = f64x2.splat(0);
  let s3 = f64x2.splat(0);
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const v0 = v128.load(x);
    const v1 = v128.load(x, 16);
    s0 = f64x2.add(s0, f64x2.promote_low_f32x4(v0));
    s1 = f64x2.add(s1, f64x2.promote_low_f32x4(high(v0)));
    s2 = f64x2.add(s2, f64x2.promote_low_f32x4(v1));
    s3 = f64x2.add(s3, f64x2.promote_low_f32x4(high(v1)));
    x += 32;
  }
  const s = f64x2.add(f64x2.add(s0, s1), f64x2.add(s2, s3));
  let total = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
  for (; i < n; i++) {
    total += <f64>load<f32>(x);
    x += 4;
  }
  return total;
}

/** acc[j] += x[j] for j < n, acc in f64. */
export function sumIntoF32(acc: usize, x: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const v = v128.load(x);
    v128.store(acc, f64x2.add(v128.load(acc), f64x2.promote_low_f32x4(v)));
    v128.store(acc, f64x2.add(v128.load(acc, 16), f64x2.promote_low_f32x4(high(v))), 16);
    acc += 32;
    x += 16;
  }
  for (; i < n; i++) {
    store<f64>(acc, load<f64>(acc) + <f64>load<f32>(x));
    acc += 8;
    x += 4;
  }
}

@inline function pick(isMax: bool, a: v128, b: v128): v128 {
  return isMax ? f32x4.max(a, b) : f32x4.min(a, b); // NaN propagates
}

/** max/min of acc and x[0..n). */
@inline export function extremeRunF32(isMax: bool, acc: f32, x: usize, n: i32): f32 {
  let m0 = f32x4.splat(acc);
  let m1 = m0;
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    m0 = pick(isMax, m0, v128.load(x));
    m1 = pick(isMax, m1, v128.load(x, 16));
    x += 32;
  }
  for (; i < n; i++) {
    m0 = pick(isMax, m0, f32x4.splat(load<f32>(x)));
    x += 4;
  }
  const m = pick(isMax, m0, m1);
  const h = pick(isMax, m, f32x4.shuffle(m, m, 2, 3, 0, 1));
  return f32x4.extract_lane(pick(isMax, h, f32x4.shuffle(h, h, 1, 0, 3, 2)), 0);
}

@inline export function extremeIntoF32(isMax: bool, acc: usize, x: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    v128.store(acc, pick(isMax, v128.load(acc), v128.load(x)));
    acc += 16;
    x += 16;
  }
  for (; i < n; i++) {
    store<f32>(acc, f32x4.extract_lane(pick(isMax, f32x4.splat(load<f32>(acc)), f32x4.splat(load<f32>(x))), 0));
    acc += 4;
    x += 4;
  }
}

@inline export function scalarFold(op: i32, a: f64, v: f64): f64 {
  if (op == SUM) return a + v;
  if (op == PROD) return a * v;
  // NaN wins, as Math.max/min.
  if (isNaN(a) || isNaN(v)) return NaN;
  return op == MAX ? max(a, v) : min(a, v);
}

@inline export function identity(op: i32): f64 {
  return op == SUM ? 0 : op == PROD ? 1 : op == MAX ? -Infinity : Infinity;
}

/** float32: sums and products into the f64 `acc`, max/min straight into `out`. */
export function reduceF32(op: i32, x: usize, out: usize, acc: usize, outSize: i32): void {
  const viaAcc = op == SUM || op == PROD;
  const init = identity(op);
  for (let o = 0; o < outSize; o++) {
    if (viaAcc) store<f64>(acc + (<usize>o << 3), init);
    else store<f32>(out + (<usize>o << 2), <f32>init);
  }
  foldRowsF32(op, x, out, acc, beginRows(2));
  if (viaAcc) {
    for (let o = 0; o < outSize; o++) store<f32>(out + (<usize>o << 2), <f32>load<f64>(acc + (<usize>o << 3)));
  }
}

/**
 * Reduces chunks [firstChunk, firstChunk + chunkCount) of a plan whose first dim is reduced, each
 * `rowsPerChunk` rows of its `rows`, chunk k into its own partials at partial + k · outSize · 8
 * (f64 for sums and products, f32 for max/min; finished by reduceChunksFinishF32 with outer 1),
 * walking in this thread's `area` (ROW_AREA_BYTES).
 */
export function reduceRowChunksF32(
  op: i32,
  x: usize,
  partial: usize,
  outSize: i32,
  rows: i32,
  rowsPerChunk: i32,
  firstChunk: i32,
  chunkCount: i32,
  area: usize,
): void {
  const viaAcc = op == SUM || op == PROD;
  const init = identity(op);
  for (let k = firstChunk; k < firstChunk + chunkCount; k++) {
    const at = partial + <usize>k * (<usize>outSize << 3);
    for (let o = 0; o < outSize; o++) {
      if (viaAcc) store<f64>(at + (<usize>o << 3), init);
      else store<f32>(at + (<usize>o << 2), <f32>init);
    }
    beginRowsAt(2, area + ROW_SLOTS);
    const first = k * rowsPerChunk;
    seekRow(first);
    foldRowsF32(op, x, at, at, min(rowsPerChunk, rows - first));
  }
}

/** Folds `count` rows of the plan, from where the walk stands, into acc (sums, products) or out (max/min). */
function foldRowsF32(op: i32, x: usize, out: usize, acc: usize, count: i32): void {
  const n = rowLength();
  const foldsRun = rowStride(1) == 0;
  for (let r = 0; r < count; r++) {
    const xi = x + (<usize>off0 << 2);
    if (foldsRun) {
      if (op == SUM) {
        const at = acc + (<usize>off1 << 3);
        store<f64>(at, load<f64>(at) + sumRunF32(xi, n));
      } else if (op == PROD) {
        const at = acc + (<usize>off1 << 3);
        let p = load<f64>(at);
        for (let i = 0; i < n; i++) p *= <f64>load<f32>(xi + (<usize>i << 2));
        store<f64>(at, p);
      } else {
        const at = out + (<usize>off1 << 2);
        store<f32>(at, op == MAX ? extremeRunF32(true, load<f32>(at), xi, n) : extremeRunF32(false, load<f32>(at), xi, n));
      }
    } else if (op == SUM) {
      sumIntoF32(acc + (<usize>off1 << 3), xi, n);
    } else if (op == PROD) {
      const at = acc + (<usize>off1 << 3);
      for (let i = 0; i < n; i++) {
        const ai = at + (<usize>i << 3);
        store<f64>(ai, load<f64>(ai) * <f64>load<f32>(xi + (<usize>i << 2)));
      }
    } else if (op == MAX) {
      extremeIntoF32(true, out + (<usize>off1 << 2), xi, n);
    } else {
      extremeIntoF32(false, out + (<usize>off1 << 2), xi, n);
    }
    nextRow();
  }
}

/** int32 (4-byte) or bool (1-byte) input: scalar folds in f64, stored back as the reference stores them. */
export function reduceInt(op: i32, elemBytes: i32, x: usize, out: usize, acc: usize, outSize: i32): void {
  const init = identity(op);
  for (let o = 0; o < outSize; o++) store<f64>(acc + (<usize>o << 3), init);
  const rows = beginRows(2);
  const n = rowLength();
  const inner = rowStride(1);
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < n; i++) {
      const at = acc + (<usize>(off1 + inner * i) << 3);
      const xi = x + <usize>(off0 + i) * elemBytes;
      const v = elemBytes == 4 ? <f64>load<i32>(xi) : <f64>load<u8>(xi);
      store<f64>(at, scalarFold(op, load<f64>(at), v));
    }
    nextRow();
  }
  for (let o = 0; o < outSize; o++) {
    const v = load<f64>(acc + (<usize>o << 3));
    // bool stays 0/1: sum reads as any, prod as all.
    if (elemBytes == 4) store<i32>(out + (<usize>o << 2), toInt32(v));
    else store<u8>(out + o, <u8>(v != 0));
  }
}
