import { beginRows, beginRowsAt, nextRow, off0, off1, ROW_SLOTS, rowLength, rowStride, seekRow } from './rows';

/**
 * dst ← src through a two-operand plan (operand 0: source strides, 1: destination strides, in
 * elements of `elemBytes`). Each row is copied whole when the source walks it contiguously,
 * filled with one value when the source is broadcast along it (stride 0), else gathered.
 * Serves Slice, Pad, Concat, BroadcastTo and Transpose. Rows [first, first + count) (count −1:
 * all); a thread walking its own run keeps its odometer in its own `area` (0: the static one).
 */
export function copyRows(elemBytes: i32, src: usize, dst: usize, first: i32, count: i32, area: usize): void {
  const all = area ? beginRowsAt(2, area + ROW_SLOTS) : beginRows(2);
  const rows = count < 0 ? all : count;
  if (first) seekRow(first);
  const n = rowLength();
  const ss = rowStride(0);
  const ds = rowStride(1);
  const eb = <usize>elemBytes;
  for (let r = 0; r < rows; r++) {
    const s = src + <usize>off0 * eb;
    const d = dst + <usize>off1 * eb;
    if (ss == 1 && ds == 1) {
      memory.copy(d, s, <usize>n * eb);
    } else if (ss == 0 && ds == 1 && eb == 1) {
      memory.fill(d, load<u8>(s), <usize>n);
    } else if (ss == 0 && ds == 1) {
      const v = v128.load32_splat(s);
      let i = 0;
      for (; i + 4 <= n; i += 4) v128.store(d + (<usize>i << 2), v);
      for (; i < n; i++) store<i32>(d + (<usize>i << 2), load<i32>(s));
    } else if (eb == 4) {
      for (let i = 0; i < n; i++) store<i32>(d + ((<usize>i * <usize>ds) << 2), load<i32>(s + ((<usize>i * <usize>ss) << 2)));
    } else {
      for (let i = 0; i < n; i++) store<u8>(d + <usize>i * <usize>ds, load<u8>(s + <usize>i * <usize>ss));
    }
    nextRow();
  }
}

/** out[o, t, :] = x[o, idx[t], :] for x viewed as [outer, n, inner]; indices checked by the host. */
export function gather(elemBytes: i32, x: usize, idx: usize, out: usize, outer: i32, n: i32, count: i32, inner: i32): void {
  const run = <usize>inner * <usize>elemBytes;
  for (let o = 0; o < outer; o++) {
    const base = x + <usize>o * <usize>n * run;
    for (let t = 0; t < count; t++) {
      const from = base + <usize>load<i32>(idx + (<usize>t << 2)) * run;
      if (run == 4) store<i32>(out, load<i32>(from));
      else memory.copy(out, from, run);
      out += run;
    }
  }
}

/** Zeros, then out[o, idx[t], :] += updates[o, t, :]: Gather's adjoint (repeated indices accumulate). */
export function scatterAdd(isFloat: bool, updates: usize, idx: usize, out: usize, outer: i32, n: i32, count: i32, inner: i32): void {
  memory.fill(out, 0, (<usize>outer * <usize>n * <usize>inner) << 2);
  for (let o = 0; o < outer; o++) {
    for (let t = 0; t < count; t++) {
      let to = out + ((<usize>o * <usize>n + <usize>load<i32>(idx + (<usize>t << 2))) * <usize>inner << 2);
      for (let j = 0; j < inner; j++) {
        if (isFloat) store<f32>(to, load<f32>(to) + load<f32>(updates));
        else store<i32>(to, load<i32>(to) + load<i32>(updates));
        to += 4;
        updates += 4;
      }
    }
  }
}

/** The position of the first of `count` int32 indices outside [0, size), or −1: Gather's and ScatterAdd's check, four at a time. */
export function firstIndexOutside(idx: usize, count: i32, size: i32): i32 {
  const limit = i32x4.splat(size);
  let t = 0;
  // An index is in range when 0 ≤ index < size: unsigned, index < size alone says it.
  for (; t + 4 <= count; t += 4) {
    if (!i32x4.all_true(i32x4.lt_u(v128.load(idx + (<usize>t << 2)), limit))) break;
  }
  for (; t < count; t++) {
    if (<u32>load<i32>(idx + (<usize>t << 2)) >= <u32>size) return t;
  }
  return -1;
}

/**
 * ScatterAdd's flat case (one axis, no outer or inner dims) for the destinations [lo, lo + len):
 * zeros them, then adds every update whose index falls there, in index order. Threads take runs
 * of destinations, each scanning all the indices, so every destination sums its updates in the
 * same order as on one thread.
 */
export function scatterAddRange(isFloat: bool, updates: usize, idx: usize, out: usize, count: i32, lo: i32, len: i32): void {
  memory.fill(out + (<usize>lo << 2), 0, <usize>len << 2);
  for (let t = 0; t < count; t++) {
    const i = load<i32>(idx + (<usize>t << 2));
    // One unsigned comparison: lo ≤ i < lo + len.
    if (<u32>(i - lo) >= <u32>len) continue;
    const to = out + (<usize>i << 2);
    const from = updates + (<usize>t << 2);
    if (isFloat) store<f32>(to, load<f32>(to) + load<f32>(from));
    else store<i32>(to, load<i32>(to) + load<i32>(from));
  }
}
