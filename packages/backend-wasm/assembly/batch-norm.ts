import { centeredSquares, gradSums, lastSumGXhat } from './layer-norm';
import { sumRunF32 } from './reduce';

// Batch norm in training over x [n, channels, s]: each channel's n runs of s floats give its mean
// and biased variance in float64 (two passes, as layer-norm.ts over a row), then one pass writes
// (x − mean)·rstd·w + b. Backward: one pass for Σ dy and Σ dy·x̂ (the bias's and weight's
// gradients), one to write dx. Threads take disjoint runs of channels, so any split gives the same bits.

/** Channels [c0, c0 + count) of x [n, channels, s]: y, and each channel's mean, variance and rstd = 1/√(var + eps); w and b are 0 for none. */
export function batchNormChannels(
  x: usize,
  w: usize,
  b: usize,
  y: usize,
  means: usize,
  vars: usize,
  rstds: usize,
  n: i32,
  channels: i32,
  s: i32,
  c0: i32,
  count: i32,
  eps: f32,
): void {
  const run = <usize>s << 2;
  const stride = <usize>channels * run;
  const total = <f64>n * <f64>s;
  for (let c = c0; c < c0 + count; c++) {
    const at = <usize>c * run;
    let sum: f64 = 0;
    for (let i = 0; i < n; i++) sum += sumRunF32(x + at + <usize>i * stride, s);
    const mean = <f32>(sum / total);
    let squares: f64 = 0;
    for (let i = 0; i < n; i++) squares += centeredSquares(x + at + <usize>i * stride, s, mean);
    const variance = <f32>(squares / total);
    const rstd = <f32>(1.0 / Math.sqrt(<f64>(variance + eps)));
    store<f32>(means + (<usize>c << 2), mean);
    store<f32>(vars + (<usize>c << 2), variance);
    store<f32>(rstds + (<usize>c << 2), rstd);
    const wc = w ? load<f32>(w + (<usize>c << 2)) : <f32>1;
    const bc = b ? load<f32>(b + (<usize>c << 2)) : <f32>0;
    const m = f32x4.splat(mean);
    const r = f32x4.splat(rstd);
    const wv = f32x4.splat(wc);
    const bv = f32x4.splat(bc);
    for (let i = 0; i < n; i++) {
      const xr = x + at + <usize>i * stride;
      const yr = y + at + <usize>i * stride;
      let j = 0;
      for (; j + 4 <= s; j += 4) {
        const o = <usize>j << 2;
        let v = f32x4.mul(f32x4.sub(v128.load(xr + o), m), r);
        if (w) v = f32x4.mul(v, wv);
        if (b) v = f32x4.add(v, bv);
        v128.store(yr + o, v);
      }
      for (; j < s; j++) {
        const o = <usize>j << 2;
        let v = (load<f32>(xr + o) - mean) * rstd;
        if (w) v *= wc;
        if (b) v += bc;
        store<f32>(yr + o, v);
      }
    }
  }
}

/**
 * Channels [c0, c0 + count): dbias = Σ dy, dweight = Σ dy·x̂ with x̂ = (x − mean)·rstd, and
 * dx = w·rstd·(dy − mean(dy) − x̂·mean(dy·x̂)) (rstd alone where w is 0), the sums in float64.
 */
export function batchNormGradChannels(
  dy: usize,
  x: usize,
  means: usize,
  rstds: usize,
  w: usize,
  dx: usize,
  dw: usize,
  db: usize,
  n: i32,
  channels: i32,
  s: i32,
  c0: i32,
  count: i32,
): void {
  const run = <usize>s << 2;
  const stride = <usize>channels * run;
  const total = <f64>n * <f64>s;
  for (let c = c0; c < c0 + count; c++) {
    const at = <usize>c * run;
    const mean = load<f32>(means + (<usize>c << 2));
    const rstd = load<f32>(rstds + (<usize>c << 2));
    const m = f32x4.splat(mean);
    const r = f32x4.splat(rstd);
    let sumDy: f64 = 0;
    let sumDyXhat: f64 = 0;
    for (let i = 0; i < n; i++) {
      const off = at + <usize>i * stride;
      sumDy += gradSums(dy + off, x + off, 0, 0, s, mean, rstd);
      sumDyXhat += lastSumGXhat;
    }
    store<f32>(db + (<usize>c << 2), <f32>sumDy);
    store<f32>(dw + (<usize>c << 2), <f32>sumDyXhat);
    const meanDy = <f32>(sumDy / total);
    const meanDyXhat = <f32>(sumDyXhat / total);
    const k = w ? load<f32>(w + (<usize>c << 2)) * rstd : rstd;
    const md = f32x4.splat(meanDy);
    const mdx = f32x4.splat(meanDyXhat);
    const kv = f32x4.splat(k);
    for (let i = 0; i < n; i++) {
      const off = at + <usize>i * stride;
      let j = 0;
      for (; j + 4 <= s; j += 4) {
        const o = off + (<usize>j << 2);
        const xhat = f32x4.mul(f32x4.sub(v128.load(x + o), m), r);
        v128.store(dx + o, f32x4.mul(kv, f32x4.sub(f32x4.sub(v128.load(dy + o), md), f32x4.mul(xhat, mdx))));
      }
      for (; j < s; j++) {
        const o = off + (<usize>j << 2);
        const xhat = (load<f32>(x + o) - mean) * rstd;
        store<f32>(dx + o, k * (load<f32>(dy + o) - meanDy - xhat * meanDyXhat));
      }
    }
  }
}
