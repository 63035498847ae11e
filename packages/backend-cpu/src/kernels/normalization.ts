/**
 * The optional fused normalization kernels (core's FusedKernels.LayerNorm, BatchNorm and their
 * gradients): layer norm row by row, batch norm channel by channel over its N runs of S values;
 * the sums in float64, every per-element step rounded to float32 as the composed ops round it.
 */
import type { BatchNormAttrs, BatchNormGradAttrs, KernelFn, LayerNormAttrs, LayerNormGradAttrs, TensorInfo } from '@surrograd/core';
import type { CpuBackend } from '../cpu-backend.js';

const f32 = Math.fround;

/** [x [R, N], weight? [N], bias? [N]] → [y [R, N], mean [R], rstd [R]]. */
export const layerNorm: KernelFn<CpuBackend, LayerNormAttrs> = ({ inputs, attrs, backend }) => {
  const xInfo = inputs[0] as TensorInfo;
  const [rows, cols] = xInfo.shape as [number, number];
  const x = backend.valuesOf(xInfo);
  const w = attrs.weight ? backend.valuesOf(inputs[1] as TensorInfo) : null;
  const b = attrs.bias ? backend.valuesOf(inputs[attrs.weight ? 2 : 1] as TensorInfo) : null;
  const eps = f32(attrs.eps);
  const y = new Float32Array(rows * cols);
  const means = new Float32Array(rows);
  const rstds = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    const at = r * cols;
    let sum = 0;
    for (let j = 0; j < cols; j++) sum += x[at + j] as number;
    const mean = f32(sum / cols);
    let squares = 0;
    for (let j = 0; j < cols; j++) {
      const c = f32((x[at + j] as number) - mean);
      squares += c * c;
    }
    const rstd = f32(1 / Math.sqrt(f32(f32(squares / cols) + eps)));
    for (let j = 0; j < cols; j++) {
      let v = f32(f32((x[at + j] as number) - mean) * rstd);
      if (w) v = f32(v * (w[j] as number));
      if (b) v = f32(v + (b[j] as number));
      y[at + j] = v;
    }
    means[r] = mean;
    rstds[r] = rstd;
  }
  return [
    backend.makeOutput(y, [rows, cols], 'float32'),
    backend.makeOutput(means, [rows], 'float32'),
    backend.makeOutput(rstds, [rows], 'float32'),
  ];
};

/** [dy [R, N], x [R, N], mean [R], rstd [R], weight? [N]] → [dx [R, N], dy·x̂ [R, N] (with weightGrad)]. */
export const layerNormGrad: KernelFn<CpuBackend, LayerNormGradAttrs> = ({ inputs, attrs, backend }) => {
  const [dyInfo, xInfo, meanInfo, rstdInfo, wInfo] = inputs as [TensorInfo, TensorInfo, TensorInfo, TensorInfo, TensorInfo?];
  const [rows, cols] = xInfo.shape as [number, number];
  const [dy, x, means, rstds] = [backend.valuesOf(dyInfo), backend.valuesOf(xInfo), backend.valuesOf(meanInfo), backend.valuesOf(rstdInfo)];
  const w = attrs.weight ? backend.valuesOf(wInfo as TensorInfo) : null;
  const dx = new Float32Array(rows * cols);
  const dyXhat = attrs.weightGrad ? new Float32Array(rows * cols) : null;
  for (let r = 0; r < rows; r++) {
    const at = r * cols;
    const [mean, rstd] = [means[r] as number, rstds[r] as number];
    let sumG = 0;
    let sumGXhat = 0;
    for (let j = 0; j < cols; j++) {
      const xhat = f32(f32((x[at + j] as number) - mean) * rstd);
      const g = w ? f32((dy[at + j] as number) * (w[j] as number)) : (dy[at + j] as number);
      sumG += g;
      sumGXhat += g * xhat;
      if (dyXhat) dyXhat[at + j] = (dy[at + j] as number) * xhat;
    }
    const [meanG, meanGXhat] = [sumG / cols, sumGXhat / cols];
    for (let j = 0; j < cols; j++) {
      const xhat = f32(f32((x[at + j] as number) - mean) * rstd);
      const g = w ? f32((dy[at + j] as number) * (w[j] as number)) : (dy[at + j] as number);
      dx[at + j] = rstd * (g - meanG - xhat * meanGXhat);
    }
  }
  const out = [backend.makeOutput(dx, [rows, cols], 'float32')];
  if (dyXhat) out.push(backend.makeOutput(dyXhat, [rows, cols], 'float32'));
  return out;
};

/** [x [N, C, S], weight? [C], bias? [C]] → [y [N, C, S], mean [C], var [C], rstd [C]]. */
export const batchNorm: KernelFn<CpuBackend, BatchNormAttrs> = ({ inputs, attrs, backend }) => {
  const xInfo = inputs[0] as TensorInfo;
  const [n, channels, s] = xInfo.shape as [number, number, number];
  const x = backend.valuesOf(xInfo);
  const w = attrs.weight ? backend.valuesOf(inputs[1] as TensorInfo) : null;
  const b = attrs.bias ? backend.valuesOf(inputs[attrs.weight ? 2 : 1] as TensorInfo) : null;
  const eps = f32(attrs.eps);
  const count = n * s;
  const y = new Float32Array(x.length);
  const [means, vars, rstds] = [new Float32Array(channels), new Float32Array(channels), new Float32Array(channels)];
  for (let c = 0; c < channels; c++) {
    let sum = 0;
    for (let i = 0; i < n; i++) for (let j = (i * channels + c) * s, end = j + s; j < end; j++) sum += x[j] as number;
    const mean = f32(sum / count);
    let squares = 0;
    for (let i = 0; i < n; i++) {
      for (let j = (i * channels + c) * s, end = j + s; j < end; j++) {
        const d = f32((x[j] as number) - mean);
        squares += d * d;
      }
    }
    const variance = f32(squares / count);
    const rstd = f32(1 / Math.sqrt(f32(variance + eps)));
    const [wc, bc] = [w ? (w[c] as number) : 1, b ? (b[c] as number) : 0];
    for (let i = 0; i < n; i++) {
      for (let j = (i * channels + c) * s, end = j + s; j < end; j++) {
        let v = f32(f32((x[j] as number) - mean) * rstd);
        if (w) v = f32(v * wc);
        if (b) v = f32(v + bc);
        y[j] = v;
      }
    }
    means[c] = mean;
    vars[c] = variance;
    rstds[c] = rstd;
  }
  return [
    backend.makeOutput(y, [n, channels, s], 'float32'),
    backend.makeOutput(means, [channels], 'float32'),
    backend.makeOutput(vars, [channels], 'float32'),
    backend.makeOutput(rstds, [channels], 'float32'),
  ];
};

/** [dy [N, C, S], x, mean [C], rstd [C], weight? [C]] → [dx [N, C, S], dweight [C], dbias [C]]. */
export const batchNormGrad: KernelFn<CpuBackend, BatchNormGradAttrs> = ({ inputs, attrs, backend }) => {
  const [dyInfo, xInfo, meanInfo, rstdInfo, wInfo] = inputs as [TensorInfo, TensorInfo, TensorInfo, TensorInfo, TensorInfo?];
  const [n, channels, s] = xInfo.shape as [number, number, number];
  const [dy, x, means, rstds] = [backend.valuesOf(dyInfo), backend.valuesOf(xInfo), backend.valuesOf(meanInfo), backend.valuesOf(rstdInfo)];
  const w = attrs.weight ? backend.valuesOf(wInfo as TensorInfo) : null;
  const count = n * s;
  const dx = new Float32Array(x.length);
  const [dw, db] = [new Float32Array(channels), new Float32Array(channels)];
  for (let c = 0; c < channels; c++) {
    const [mean, rstd] = [means[c] as number, rstds[c] as number];
    let sumDy = 0;
    let sumDyXhat = 0;
    for (let i = 0; i < n; i++) {
      for (let j = (i * channels + c) * s, end = j + s; j < end; j++) {
        sumDy += dy[j] as number;
        sumDyXhat += (dy[j] as number) * f32(f32((x[j] as number) - mean) * rstd);
      }
    }
    const [meanDy, meanDyXhat] = [sumDy / count, sumDyXhat / count];
    const k = w ? f32((w[c] as number) * rstd) : rstd;
    for (let i = 0; i < n; i++) {
      for (let j = (i * channels + c) * s, end = j + s; j < end; j++) {
        const xhat = f32(f32((x[j] as number) - mean) * rstd);
        dx[j] = k * ((dy[j] as number) - meanDy - xhat * meanDyXhat);
      }
    }
    dw[c] = sumDyXhat;
    db[c] = sumDy;
  }
  return [
    backend.makeOutput(dx, [n, channels, s], 'float32'),
    backend.makeOutput(dw, [channels], 'float32'),
    backend.makeOutput(db, [channels], 'float32'),
  ];
};
