import { extremeIntoF32, extremeRunF32, identity, MAX, scalarFold, SUM, sumIntoF32, sumRunF32 } from './reduce';

// Sums, maxima and minima of a contiguous float32 x viewed as [outer, n, inner], over n: the
// reductions threads can share. The n rows of each output are cut into chunks of `rows` rows,
// fixed by the shape alone; each chunk folds into a partial (f64 for sums, f32 for max/min), and
// the partials are folded in chunk order. Wide outputs are also cut into blocks of `width`
// columns. A thread takes a run of (outer index, chunk, column block) items, so the order of
// additions of every output, and the bits, never depend on the split.

/**
 * The partials of items [from, from + count): item t is column block t % blocks of chunk
 * (t / blocks) % chunks of outer index t / (blocks · chunks). The partials of (o, chunk k) are
 * `inner` values at partial + (o · chunks + k) · inner · 8 (f64 for sums, f32 for max/min).
 */
export function reduceChunksF32(
  op: i32,
  x: usize,
  partial: usize,
  n: i32,
  inner: i32,
  rows: i32,
  chunks: i32,
  width: i32,
  blocks: i32,
  from: i32,
  count: i32,
): void {
  const isSum = op == SUM;
  const isMax = op == MAX;
  for (let t = from; t < from + count; t++) {
    const region = t / blocks;
    const o = region / chunks;
    const first = (region % chunks) * rows;
    const len = min(rows, n - first);
    const j0 = (t % blocks) * width;
    const cols = min(width, inner - j0);
    let run = x + ((((<usize>o * <usize>n + <usize>first) * <usize>inner) + <usize>j0) << 2);
    const base = partial + ((<usize>region * <usize>inner) << 3);
    if (inner == 1) {
      if (isSum) store<f64>(base, sumRunF32(run, len));
      else store<f32>(base, extremeRunF32(isMax, <f32>identity(op), run, len));
      continue;
    }
    if (isSum) {
      const at = base + (<usize>j0 << 3);
      memory.fill(at, 0, <usize>cols << 3);
      for (let i = 0; i < len; i++, run += <usize>inner << 2) sumIntoF32(at, run, cols);
    } else {
      const at = base + (<usize>j0 << 2);
      const init = <f32>identity(op);
      for (let j = 0; j < cols; j++) store<f32>(at + (<usize>j << 2), init);
      for (let i = 0; i < len; i++, run += <usize>inner << 2) {
        if (isMax) extremeIntoF32(true, at, run, cols);
        else extremeIntoF32(false, at, run, cols);
      }
    }
  }
}

/** out[o, j] = the fold of the chunks' partials of output (o, j), in chunk order, for o < outer, j < inner (folded into chunk 0's). */
export function reduceChunksFinishF32(op: i32, partial: usize, out: usize, outer: i32, inner: i32, chunks: i32): void {
  const isSum = op == SUM;
  const isMax = op == MAX;
  const stride = <usize>inner << 3;
  for (let o = 0; o < outer; o++) {
    const first = partial + <usize>o * <usize>chunks * stride;
    const dst = out + ((<usize>o * <usize>inner) << 2);
    if (inner == 1) {
      // The identity first, as a fold over the chunks starts: 0 + p is p, and max/min's NaN wins.
      let a = identity(op);
      for (let k = 0; k < chunks; k++) {
        const at = first + (<usize>k << 3);
        a = isSum ? a + load<f64>(at) : scalarFold(op, a, <f64>load<f32>(at));
      }
      store<f32>(dst, <f32>a);
      continue;
    }
    // Chunk by chunk into chunk 0's partials: every (o, j) still adds its chunks in order.
    for (let k = 1; k < chunks; k++) {
      const at = first + <usize>k * stride;
      if (isSum) addIntoF64(first, at, inner);
      else if (isMax) extremeIntoF32(true, first, at, inner);
      else extremeIntoF32(false, first, at, inner);
    }
    for (let j = 0; j < inner; j++) {
      store<f32>(dst + (<usize>j << 2), isSum ? <f32>load<f64>(first + (<usize>j << 3)) : load<f32>(first + (<usize>j << 2)));
    }
  }
}

/** acc[j] += x[j] for j < n, both f64. */
function addIntoF64(acc: usize, x: usize, n: i32): void {
  let j = 0;
  for (; j + 2 <= n; j += 2) v128.store(acc + (<usize>j << 3), f64x2.add(v128.load(acc + (<usize>j << 3)), v128.load(x + (<usize>j << 3))));
  for (; j < n; j++) store<f64>(acc + (<usize>j << 3), load<f64>(acc + (<usize>j << 3)) + load<f64>(x + (<usize>j << 3)));
}

/**
 * out[r] = the fold of row r's n floats, for `rows` contiguous rows: a reduction over the last
 * axis whose rows each make one chunk (short rows, many of them: a [N, 2] sum). The same folds as
 * reduceChunksF32 then reduceChunksFinishF32 with one chunk (their identity-first finish changes
 * no value), without their per-row divisions, partials and second pass.
 */
export function reduceRowsF32(op: i32, x: usize, out: usize, rows: i32, n: i32): void {
  const isSum = op == SUM;
  const isMax = op == MAX;
  const init = <f32>identity(op);
  for (let r = 0; r < rows; r++, x += <usize>n << 2) {
    let v: f32;
    if (isSum) {
      // sumRunF32's arithmetic below its vector width: a float64 total from +0, added in order.
      if (n < 8) {
        let total: f64 = 0;
        for (let i = 0; i < n; i++) total += <f64>load<f32>(x + (<usize>i << 2));
        v = <f32>total;
      } else v = <f32>sumRunF32(x, n);
    } else v = isMax ? extremeRunF32(true, init, x, n) : extremeRunF32(false, init, x, n);
    store<f32>(out + (<usize>r << 2), v);
  }
}
