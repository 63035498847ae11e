import { extremeRunF32 } from './reduce';
import { expF32x4 } from './simd-math';

// Softmax and log-softmax over the last axis, by rows: one pass for the row max, one for
// e^(x − max) and its sum, one to normalize. Composed from tensor ops (max, subtract, exp, sum,
// divide) they take five kernels and four temporary buffers.

/** A row's shift: its max, or 0 where that is infinite or NaN (core's logSumExp's rule, so ±Inf logits give ±Inf, not NaN). */
export function rowShift(x: usize, cols: i32): f32 {
  // The row max, NaN if the row holds one (reduce.ts's fold: wasm's max propagates NaN).
  const mx = extremeRunF32(true, -Infinity, x, cols);
  return isFinite(mx) ? mx : 0;
}

/** e^(x − shift) for a row's `cols` floats, written to y (unless y is 0), and their sum in float64: four lanes' sums, then the tail in order. */
export function expSumRow(x: usize, y: usize, cols: i32, shift: f32): f64 {
  const sv = f32x4.splat(shift);
  let acc = f32x4.splat(0);
  let j = 0;
  for (; j + 4 <= cols; j += 4) {
    const e = expF32x4(f32x4.sub(v128.load(x + (<usize>j << 2)), sv));
    if (y) v128.store(y + (<usize>j << 2), e);
    acc = f32x4.add(acc, e);
  }
  let sum = <f64>f32x4.extract_lane(acc, 0) + <f64>f32x4.extract_lane(acc, 1) + <f64>f32x4.extract_lane(acc, 2) + <f64>f32x4.extract_lane(acc, 3);
  for (; j < cols; j++) {
    const e = f32x4.extract_lane(expF32x4(f32x4.splat(load<f32>(x + (<usize>j << 2)) - shift)), 0);
    if (y) store<f32>(y + (<usize>j << 2), e);
    sum += <f64>e;
  }
  return sum;
}

/**
 * y[r, :] = softmax(x[r, :]) (log 0) or log-softmax (log 1) for `rows` rows of `cols` from the
 * pointers given; threads take disjoint runs of rows. The shift is the row max, 0 where that is
 * infinite or NaN (core's logSumExp's rule, so ±Inf and NaN rows give what the composed ops
 * give). The sum is in float64; then e^(x − max) times 1/sum rounded to float32 (a multiply, as
 * the cross-entropy kernel's probabilities: within 1.5 ulp of the quotient), or (x − max) − ln sum.
 */
export function softmaxRows(x: usize, y: usize, rows: i32, cols: i32, log: i32): void {
  const row = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    const xr = x + <usize>r * row;
    const yr = y + <usize>r * row;
    const shift = rowShift(xr, cols);
    const sv = f32x4.splat(shift);
    const sum = expSumRow(xr, log ? 0 : yr, cols, shift);
    let j = 0;
    if (log) {
      const lse = f32x4.splat(<f32>Math.log(sum));
      for (; j + 4 <= cols; j += 4) v128.store(yr + (<usize>j << 2), f32x4.sub(f32x4.sub(v128.load(xr + (<usize>j << 2)), sv), lse));
      for (; j < cols; j++) store<f32>(yr + (<usize>j << 2), load<f32>(xr + (<usize>j << 2)) - shift - f32x4.extract_lane(lse, 0));
    } else {
      const inv = f32x4.splat(<f32>(1.0 / sum));
      for (; j + 4 <= cols; j += 4) v128.store(yr + (<usize>j << 2), f32x4.mul(v128.load(yr + (<usize>j << 2)), inv));
      for (; j < cols; j++) store<f32>(yr + (<usize>j << 2), load<f32>(yr + (<usize>j << 2)) * f32x4.extract_lane(inv, 0));
    }
  }
}
