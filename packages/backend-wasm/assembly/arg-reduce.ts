import { extremeRunF32 } from './reduce';

// [outer, n, inner] view: the index along n of the first max (or min). A NaN beats every number
// and the first NaN beats later ones, for argmax and argmin alike (numpy, PyTorch).

@inline function value(dtype: i32, x: usize, i: usize): f64 {
  if (dtype == 0) return <f64>load<f32>(x + (i << 2));
  if (dtype == 1) return <f64>load<i32>(x + (i << 2));
  return <f64>load<u8>(x + i);
}

@inline function beats(isMax: bool, v: f64, best: f64): bool {
  if (isNaN(best)) return false;
  if (isNaN(v)) return true;
  return isMax ? v > best : v < best;
}

/**
 * The index of the first max (min) of a contiguous float32 row, in two vector passes: the extreme,
 * then the first lane equal to it (the first NaN when it is NaN). ±0 compare equal, so the first
 * of them wins, as in the scalar loop.
 */
function argRowF32(isMax: bool, x: usize, n: i32): i32 {
  const m = isMax ? extremeRunF32(true, -Infinity, x, n) : extremeRunF32(false, Infinity, x, n);
  const nan = isNaN(m);
  const mv = f32x4.splat(m);
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const v = v128.load(x + (<usize>j << 2));
    const hit = i32x4.bitmask(nan ? f32x4.ne(v, v) : f32x4.eq(v, mv));
    if (hit) return j + ctz(hit);
  }
  for (; j < n; j++) {
    const v = load<f32>(x + (<usize>j << 2));
    if (nan ? isNaN(v) : v == m) return j;
  }
  return 0;
}

/** dtype 0 float32, 1 int32, 2 bool; out int32 [outer·inner]. */
export function argReduce(isMax: bool, dtype: i32, x: usize, out: usize, outer: i32, n: i32, inner: i32): void {
  if (dtype == 0 && inner == 1) {
    for (let o = 0; o < outer; o++) store<i32>(out + (<usize>o << 2), argRowF32(isMax, x + ((<usize>o * <usize>n) << 2), n));
    return;
  }
  for (let o = 0; o < outer; o++) {
    for (let c = 0; c < inner; c++) {
      const base = <usize>o * <usize>n * <usize>inner + <usize>c;
      let best = value(dtype, x, base);
      let at = 0;
      for (let k = 1; k < n; k++) {
        const v = value(dtype, x, base + <usize>k * <usize>inner);
        if (beats(isMax, v, best)) {
          best = v;
          at = k;
        }
      }
      store<i32>(out + ((<usize>o * <usize>inner + <usize>c) << 2), at);
    }
  }
}
