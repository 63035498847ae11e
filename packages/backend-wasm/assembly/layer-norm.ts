import { high, sumRunF32 } from './reduce';

// Layer norm over rows: the row's mean and biased variance in float64 (two passes, as PyTorch's
// F.layer_norm), then one pass writing (x − mean)·rstd·w + b in float32 lanes, each step rounded
// as the composed ops round it. Backward reads dy and x once for the two row means the gradient
// needs and once more to write it. Threads take disjoint runs of rows.

/** Σ (x − mean)² of a row in float64: each difference rounded to float32 (as the composed subtract), its square exact in float64. */
export function centeredSquares(x: usize, cols: i32, mean: f32): f64 {
  const m = f32x4.splat(mean);
  let s0 = f64x2.splat(0);
  let s1 = f64x2.splat(0);
  let j = 0;
  for (; j + 4 <= cols; j += 4) {
    const c = f32x4.sub(v128.load(x + (<usize>j << 2)), m);
    const lo = f64x2.promote_low_f32x4(c);
    const hi = f64x2.promote_low_f32x4(high(c));
    s0 = f64x2.add(s0, f64x2.mul(lo, lo));
    s1 = f64x2.add(s1, f64x2.mul(hi, hi));
  }
  const s = f64x2.add(s0, s1);
  let total = f64x2.extract_lane(s, 0) + f64x2.extract_lane(s, 1);
  for (; j < cols; j++) {
    const c = <f64>(load<f32>(x + (<usize>j << 2)) - mean);
    total += c * c;
  }
  return total;
}

/**
 * y[r, :] = (x[r, :] − mean_r)·rstd_r, times w and plus b where given (0: none), for `rows` rows
 * of `cols`; mean_r and rstd_r = 1/√(var_r + eps) stored to `means` and `rstds`.
 */
export function layerNormRows(x: usize, w: usize, b: usize, y: usize, means: usize, rstds: usize, rows: i32, cols: i32, eps: f32): void {
  const row = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    const xr = x + <usize>r * row;
    const yr = y + <usize>r * row;
    const mean = <f32>(sumRunF32(xr, cols) / <f64>cols);
    const variance = <f32>(centeredSquares(xr, cols, mean) / <f64>cols);
    const rstd = <f32>(1.0 / Math.sqrt(<f64>(variance + eps)));
    store<f32>(means + (<usize>r << 2), mean);
    store<f32>(rstds + (<usize>r << 2), rstd);
    const m = f32x4.splat(mean);
    const s = f32x4.splat(rstd);
    let j = 0;
    for (; j + 4 <= cols; j += 4) {
      const at = <usize>j << 2;
      let v = f32x4.mul(f32x4.sub(v128.load(xr + at), m), s);
      if (w) v = f32x4.mul(v, v128.load(w + at));
      if (b) v = f32x4.add(v, v128.load(b + at));
      v128.store(yr + at, v);
    }
    for (; j < cols; j++) {
      const at = <usize>j << 2;
      let v = (load<f32>(xr + at) - mean) * rstd;
      if (w) v *= load<f32>(w + at);
      if (b) v += load<f32>(b + at);
      store<f32>(yr + at, v);
    }
  }
}

/** Σ g·x̂ of the last gradSums call (a wasm global: each thread's instance has its own). */
export let lastSumGXhat: f64 = 0;

/**
 * Σ g over `count` floats in float64, g = dy·w (dy where w is 0) and x̂ = (x − mean)·rstd, with
 * Σ g·x̂ left in lastSumGXhat; where dyXhat is not 0, dy·x̂ is written there.
 */
export function gradSums(dy: usize, x: usize, w: usize, dyXhat: usize, count: i32, mean: f32, rstd: f32): f64 {
  const m = f32x4.splat(mean);
  const s = f32x4.splat(rstd);
  let sg = f64x2.splat(0);
  let sgx = f64x2.splat(0);
  let j = 0;
  for (; j + 4 <= count; j += 4) {
    const at = <usize>j << 2;
    const xhat = f32x4.mul(f32x4.sub(v128.load(x + at), m), s);
    const d = v128.load(dy + at);
    const g = w ? f32x4.mul(d, v128.load(w + at)) : d;
    if (dyXhat) v128.store(dyXhat + at, f32x4.mul(d, xhat));
    const glo = f64x2.promote_low_f32x4(g);
    const ghi = f64x2.promote_low_f32x4(high(g));
    sg = f64x2.add(sg, f64x2.add(glo, ghi));
    sgx = f64x2.add(sgx, f64x2.add(f64x2.mul(glo, f64x2.promote_low_f32x4(xhat)), f64x2.mul(ghi, f64x2.promote_low_f32x4(high(xhat)))));
  }
  let sumG = f64x2.extract_lane(sg, 0) + f64x2.extract_lane(sg, 1);
  let sumGXhat = f64x2.extract_lane(sgx, 0) + f64x2.extract_lane(sgx, 1);
  for (; j < count; j++) {
    const at = <usize>j << 2;
    const xhat = (load<f32>(x + at) - mean) * rstd;
    const d = load<f32>(dy + at);
    const g = w ? d * load<f32>(w + at) : d;
    if (dyXhat) store<f32>(dyXhat + at, d * xhat);
    sumG += <f64>g;
    sumGXhat += <f64>g * <f64>xhat;
  }
  lastSumGXhat = sumGXhat;
  return sumG;
}

/**
 * dx[r, :] = rstd·(g − mean(g) − x̂·mean(g·x̂)) with x̂ = (x − mean)·rstd and g = dy·w (dy where w
 * is 0), the two row means in float64; where dyXhat is not 0, dy·x̂ is written there too.
 */
export function layerNormGradRows(
  dy: usize,
  x: usize,
  means: usize,
  rstds: usize,
  w: usize,
  dx: usize,
  dyXhat: usize,
  rows: i32,
  cols: i32,
): void {
  const row = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    const dyr = dy + <usize>r * row;
    const xr = x + <usize>r * row;
    const dxr = dx + <usize>r * row;
    const mean = load<f32>(means + (<usize>r << 2));
    const rstd = load<f32>(rstds + (<usize>r << 2));
    const m = f32x4.splat(mean);
    const s = f32x4.splat(rstd);
    const sumG = gradSums(dyr, xr, w, dyXhat ? dyXhat + <usize>r * row : 0, cols, mean, rstd);
    const sumGXhat = lastSumGXhat;
    const meanG = <f32>(sumG / <f64>cols);
    const meanGXhat = <f32>(sumGXhat / <f64>cols);
    const mg = f32x4.splat(meanG);
    const mgx = f32x4.splat(meanGXhat);
    let j = 0;
    for (; j + 4 <= cols; j += 4) {
      const at = <usize>j << 2;
      const xhat = f32x4.mul(f32x4.sub(v128.load(xr + at), m), s);
      const d = v128.load(dyr + at);
      const g = w ? f32x4.mul(d, v128.load(w + at)) : d;
      v128.store(dxr + at, f32x4.mul(s, f32x4.sub(f32x4.sub(g, mg), f32x4.mul(xhat, mgx))));
    }
    for (; j < cols; j++) {
      const at = <usize>j << 2;
      const xhat = (load<f32>(xr + at) - mean) * rstd;
      const d = load<f32>(dyr + at);
      const g = w ? d * load<f32>(w + at) : d;
      store<f32>(dxr + at, rstd * (g - meanG - xhat * meanGXhat));
    }
  }
}
