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

/** dtype 0 float32, 1 int32, 2 bool; out int32 [outer·inner]. */
export function argReduce(isMax: bool, dtype: i32, x: usize, out: usize, outer: i32, n: i32, inner: i32): void {
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
