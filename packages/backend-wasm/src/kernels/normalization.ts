/**
 * The fused normalization kernels (core's FusedKernels.LayerNorm, BatchNorm and their gradients):
 * one call of assembly/layer-norm.ts per run of rows, of assembly/batch-norm.ts per run of
 * channels, the runs on threads. Rows and channels are independent, so any split gives the same bits.
 */
import type { BatchNormAttrs, BatchNormGradAttrs, KernelFn, LayerNormAttrs, LayerNormGradAttrs, TensorInfo } from '@surrograd/core';
import { fmt } from '@surrograd/core';
import type { WasmBackend } from '../wasm-backend.js';
import { rowParts } from './parts.js';

/** [rows, cols] of a float32 matrix with at least one element, or an error naming the kernel. */
function matrixShape(kernel: string, t: TensorInfo): [number, number] {
  if (t.dtype !== 'float32' || t.shape.length !== 2 || (t.shape[0] as number) < 1 || (t.shape[1] as number) < 1) {
    throw new TypeError(`${kernel}: expected a float32 [rows, cols] with rows, cols ≥ 1, got ${t.dtype} ${fmt(t.shape)}`);
  }
  return t.shape as [number, number];
}

/** A float32 vector of `n` elements, or an error naming the kernel and the operand. */
function checkVector(kernel: string, name: string, t: TensorInfo | undefined, n: number): TensorInfo {
  if (t?.dtype !== 'float32' || t.shape.length !== 1 || t.shape[0] !== n) {
    throw new TypeError(`${kernel}: ${name} must be float32 [${n}], got ${t ? `${t.dtype} ${fmt(t.shape)}` : 'nothing'}`);
  }
  return t;
}

/** [x [R, N], weight? [N], bias? [N]] → [y [R, N], mean [R], rstd [R]]. */
export const layerNorm: KernelFn<WasmBackend, LayerNormAttrs> = ({ inputs, attrs, backend }) => {
  const x = inputs[0] as TensorInfo;
  const [rows, cols] = matrixShape('LayerNorm', x);
  const w = attrs.weight ? checkVector('LayerNorm', 'weight', inputs[1], cols) : null;
  const b = attrs.bias ? checkVector('LayerNorm', 'bias', inputs[attrs.weight ? 2 : 1], cols) : null;
  const y = backend.output([rows, cols], 'float32', 'LayerNorm');
  const means = backend.output([rows], 'float32', 'LayerNorm');
  const rstds = backend.output([rows], 'float32', 'LayerNorm');
  const [px, pw, pb] = [backend.ptr(x, 'LayerNorm'), w ? backend.ptr(w, 'LayerNorm') : 0, b ? backend.ptr(b, 'LayerNorm') : 0];
  const [py, pm, ps, row] = [y.dataId.ptr, means.dataId.ptr, rstds.dataId.ptr, cols * 4];
  backend.parallel(
    'layerNormRows',
    rowParts(rows, rows * cols, backend).map(([r, n]) => [px + r * row, pw, pb, py + r * row, pm + r * 4, ps + r * 4, n, cols, attrs.eps]),
  );
  return [y, means, rstds];
};

/** [dy [R, N], x [R, N], mean [R], rstd [R], weight? [N]] → [dx [R, N], dy·x̂ [R, N] (with weightGrad)]. */
export const layerNormGrad: KernelFn<WasmBackend, LayerNormGradAttrs> = ({ inputs, attrs, backend }) => {
  const [dy, x, means, rstds] = inputs as [TensorInfo, TensorInfo, TensorInfo, TensorInfo];
  const [rows, cols] = matrixShape('LayerNormGrad', x);
  if (dy.dtype !== 'float32' || fmt(dy.shape) !== fmt(x.shape)) {
    throw new TypeError(`LayerNormGrad: dy must be float32 ${fmt(x.shape)} as x, got ${dy.dtype} ${fmt(dy.shape)}`);
  }
  checkVector('LayerNormGrad', 'mean', means, rows);
  checkVector('LayerNormGrad', 'rstd', rstds, rows);
  const w = attrs.weight ? checkVector('LayerNormGrad', 'weight', inputs[4], cols) : null;
  const dx = backend.output([rows, cols], 'float32', 'LayerNormGrad');
  const dyXhat = attrs.weightGrad ? backend.output([rows, cols], 'float32', 'LayerNormGrad') : null;
  const [pdy, px, pm, ps] = [dy, x, means, rstds].map((t) => backend.ptr(t, 'LayerNormGrad')) as [number, number, number, number];
  const [pw, pdx, pdyx, row] = [w ? backend.ptr(w, 'LayerNormGrad') : 0, dx.dataId.ptr, dyXhat ? dyXhat.dataId.ptr : 0, cols * 4];
  backend.parallel(
    'layerNormGradRows',
    rowParts(rows, rows * cols, backend).map(([r, n]) => [
      pdy + r * row,
      px + r * row,
      pm + r * 4,
      ps + r * 4,
      pw,
      pdx + r * row,
      pdyx && pdyx + r * row,
      n,
      cols,
    ]),
  );
  return dyXhat ? [dx, dyXhat] : [dx];
};

/** [N, C, S] of a float32 tensor with at least one element, or an error naming the kernel. */
function batchShape(kernel: string, t: TensorInfo): [number, number, number] {
  if (t.dtype !== 'float32' || t.shape.length !== 3 || t.shape.some((d) => d < 1)) {
    throw new TypeError(`${kernel}: expected a float32 [N, C, S] with every dim ≥ 1, got ${t.dtype} ${fmt(t.shape)}`);
  }
  return t.shape as [number, number, number];
}

/** [x [N, C, S], weight? [C], bias? [C]] → [y [N, C, S], mean [C], var [C], rstd [C]]. */
export const batchNorm: KernelFn<WasmBackend, BatchNormAttrs> = ({ inputs, attrs, backend }) => {
  const x = inputs[0] as TensorInfo;
  const [n, channels, s] = batchShape('BatchNorm', x);
  const w = attrs.weight ? checkVector('BatchNorm', 'weight', inputs[1], channels) : null;
  const b = attrs.bias ? checkVector('BatchNorm', 'bias', inputs[attrs.weight ? 2 : 1], channels) : null;
  const y = backend.output([n, channels, s], 'float32', 'BatchNorm');
  const [means, vars, rstds] = [0, 1, 2].map(() => backend.output([channels], 'float32', 'BatchNorm')) as [
    TensorInfo,
    TensorInfo,
    TensorInfo,
  ];
  const px = backend.ptr(x, 'BatchNorm');
  const [pw, pb] = [w ? backend.ptr(w, 'BatchNorm') : 0, b ? backend.ptr(b, 'BatchNorm') : 0];
  const [py, pm, pv, ps] = [y, means, vars, rstds].map((t) => backend.ptr(t, 'BatchNorm')) as [number, number, number, number];
  backend.parallel(
    'batchNormChannels',
    rowParts(channels, n * channels * s, backend).map(([c0, count]) => [px, pw, pb, py, pm, pv, ps, n, channels, s, c0, count, attrs.eps]),
  );
  return [y, means, vars, rstds];
};

/** [dy [N, C, S], x, mean [C], rstd [C], weight? [C]] → [dx [N, C, S], dweight [C], dbias [C]]. */
export const batchNormGrad: KernelFn<WasmBackend, BatchNormGradAttrs> = ({ inputs, attrs, backend }) => {
  const [dy, x, means, rstds] = inputs as [TensorInfo, TensorInfo, TensorInfo, TensorInfo];
  const [n, channels, s] = batchShape('BatchNormGrad', x);
  if (dy.dtype !== 'float32' || fmt(dy.shape) !== fmt(x.shape)) {
    throw new TypeError(`BatchNormGrad: dy must be float32 ${fmt(x.shape)} as x, got ${dy.dtype} ${fmt(dy.shape)}`);
  }
  checkVector('BatchNormGrad', 'mean', means, channels);
  checkVector('BatchNormGrad', 'rstd', rstds, channels);
  const w = attrs.weight ? checkVector('BatchNormGrad', 'weight', inputs[4], channels) : null;
  const dx = backend.output([n, channels, s], 'float32', 'BatchNormGrad');
  const [dw, db] = [backend.output([channels], 'float32', 'BatchNormGrad'), backend.output([channels], 'float32', 'BatchNormGrad')];
  const [pdy, px, pm, ps] = [dy, x, means, rstds].map((t) => backend.ptr(t, 'BatchNormGrad')) as [number, number, number, number];
  const pw = w ? backend.ptr(w, 'BatchNormGrad') : 0;
  const [pdx, pdw, pdb] = [dx, dw, db].map((t) => backend.ptr(t, 'BatchNormGrad')) as [number, number, number];
  backend.parallel(
    'batchNormGradChannels',
    rowParts(channels, n * channels * s, backend).map(([c0, count]) => [pdy, px, pm, ps, pw, pdx, pdw, pdb, n, channels, s, c0, count]),
  );
  return [dx, dw, db];
};
