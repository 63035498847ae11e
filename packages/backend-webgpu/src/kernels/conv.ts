/**
 * Conv2d, Conv2dBackpropInput, Conv2dBackpropFilter (core's FusedKernels) as implicit GEMMs on the
 * tiled GEMM (gemm.ts): the conv's columns are read straight from the image by the B loader, a tap
 * at a time, so no unfolded input ever exists. Each workgroup z is one (image, group) pair.
 *  - forward:         y[og, oh·ow]     = W[og, cg·kh·kw] · cols[cg·kh·kw, oh·ow]
 *  - backprop input:  dx[cg, h·w]      = Wᵀ[cg, og·kh·kw] · dyTaps[og·kh·kw, h·w], where a tap is
 *                     dy at the output position whose window puts (i, j) on (h, w), if any: a
 *                     gather, so each dx element is written once (no col2im scatter, no atomics);
 *  - backprop filter: dW[og, cg·kh·kw] = dy[og, n·oh·ow] · colsᵀ[n·oh·ow, cg·kh·kw], the batch
 *                     summed inside k (z is the group alone).
 */
import type { Conv2dAttrs, Conv2dBackpropFilterAttrs, Conv2dBackpropInputAttrs, KernelFn, TensorInfo } from '@surrograd/core';
import { convWindow, fmt, sizeOf, type Window2d } from '@surrograd/core';
import type { WebGpuBackend } from '../backend.js';
import { UniformLayout } from '../wgsl/uniforms.js';
import { fillWords } from './fill.js';
import { gemmSource, MICRO } from './gemm.js';

type Shape4 = [number, number, number, number];

const GEOMETRY = ['C', 'H', 'W', 'KH', 'KW', 'SH', 'SW', 'PH', 'PW', 'DH', 'DW', 'OH', 'OW', 'CG', 'OG', 'G'] as const;
const LAYOUT = new UniformLayout([...GEOMETRY.map((n) => [n, 'u32'] as const), ['M', 'u32'], ['N', 'u32'], ['K', 'u32'], ['zBase', 'u32']]);

/**
 * x at tap r = (c, i, j) of output position l = (p, q), from the image channels at `base`; 0 in
 * the padding.
 */
const TAP_X = `
fn tapX(base: u32, r: u32, l: u32) -> f32 {
  let kk = u.KH * u.KW;
  let c = r / kk; let rem = r % kk; let i = rem / u.KW; let j = rem % u.KW;
  let p = l / u.OW; let q = l % u.OW;
  let h = i32(p * u.SH + i * u.DH) - i32(u.PH);
  let w = i32(q * u.SW + j * u.DW) - i32(u.PW);
  if (h < 0 || w < 0 || h >= i32(u.H) || w >= i32(u.W)) { return 0.0; }
  return x[base + (c * u.H + u32(h)) * u.W + u32(w)];
}`;

/**
 * dy at the output position whose window puts tap (i, j) of output channel o (r = (o, i, j)) on
 * input position l = (h, w): (h + pad − i·d) must be a multiple of the stride, inside the output.
 */
const TAP_DY = `
fn tapDy(base: u32, r: u32, l: u32) -> f32 {
  let kk = u.KH * u.KW;
  let o = r / kk; let rem = r % kk; let i = rem / u.KW; let j = rem % u.KW;
  let hp = i32(l / u.W + u.PH) - i32(i * u.DH);
  let wp = i32(l % u.W + u.PW) - i32(j * u.DW);
  if (hp < 0 || wp < 0) { return 0.0; }
  let h = u32(hp); let w = u32(wp);
  if (h % u.SH != 0u || w % u.SW != 0u) { return 0.0; }
  let p = h / u.SH; let q = w / u.SW;
  if (p >= u.OH || q >= u.OW) { return 0.0; }
  return dy[base + (o * u.OH + p) * u.OW + q];
}`;

function float32(kernel: string, ...ts: TensorInfo[]): void {
  for (const t of ts) {
    if (t.dtype !== 'float32' || t.shape.length !== 4)
      throw new TypeError(`${kernel}: expected float32 4-d tensors, got ${t.dtype} ${fmt(t.shape)}`);
  }
}

function geometry(win: Window2d, c: number, cg: number, og: number, g: number): Record<(typeof GEOMETRY)[number], number> {
  return {
    C: c,
    H: win.input[0],
    W: win.input[1],
    KH: win.kernel[0],
    KW: win.kernel[1],
    SH: win.stride[0],
    SW: win.stride[1],
    PH: win.padding[0][0],
    PW: win.padding[1][0],
    DH: win.dilation[0],
    DW: win.dilation[1],
    OH: win.output[0],
    OW: win.output[1],
    CG: cg,
    OG: og,
    G: g,
  };
}

interface ConvGemm {
  name: string;
  storage: readonly [string, string, string];
  helper: string;
  prologue: string;
  loadA: string;
  aContiguous: 'row' | 'col';
  loadB: string;
  bContiguous: 'row' | 'col';
  store: string;
}

/** Runs one implicit GEMM of M × N by K for each of `count` workgroup layers. */
function runConvGemm(
  backend: WebGpuBackend,
  spec: ConvGemm,
  buffers: Parameters<WebGpuBackend['run']>[1],
  sizes: { M: number; N: number; K: number; count: number },
  geo: Record<string, number>,
): void {
  const t = backend.limits.matmulThreads;
  const { helpers, body } = gemmSource(t, spec);
  const program = {
    key: `${spec.name}|t${t}`,
    storage: [
      { name: spec.storage[0], type: 'f32', access: 'read' },
      { name: spec.storage[1], type: 'f32', access: 'read' },
      { name: spec.storage[2], type: 'f32', access: 'write' },
    ] as const,
    uniforms: LAYOUT,
    workgroupSize: [t, t, 1] as const,
    helpers: `${spec.helper}\n${helpers}`,
    body,
  };
  const block = t * MICRO;
  const maxZ = backend.limits.maxWorkgroupsPerDimension;
  for (let base = 0; base < sizes.count; base += maxZ) {
    backend.run(program, buffers, { ...geo, M: sizes.M, N: sizes.N, K: sizes.K, zBase: base }, [
      Math.ceil(sizes.N / block),
      Math.ceil(sizes.M / block),
      Math.min(maxZ, sizes.count - base),
    ]);
  }
}

const FORWARD: ConvGemm = {
  name: 'Conv2d',
  storage: ['x', 'w', 'y'],
  helper: TAP_X,
  prologue: `
  let z = u.zBase + wid.z;
  let img = z / u.G; let gi = z % u.G;
  let aOff = gi * u.M * u.K;
  let xOff = (img * u.C + gi * u.CG) * u.H * u.W;
  let cOff = z * u.M * u.N;`,
  loadA: 'w[aOff + row * u.K + col]',
  aContiguous: 'col',
  loadB: 'tapX(xOff, row, col)',
  bContiguous: 'col',
  store: 'y[cOff + row * u.N + col] = v;',
};

const BACKPROP_INPUT: ConvGemm = {
  name: 'Conv2dBackpropInput',
  storage: ['dy', 'w', 'dx'],
  helper: TAP_DY,
  prologue: `
  let z = u.zBase + wid.z;
  let img = z / u.G; let gi = z % u.G;
  let taps = u.KH * u.KW;
  let dyOff = (img * u.G + gi) * u.OG * u.OH * u.OW;
  let cOff = (img * u.C + gi * u.CG) * u.H * u.W;`,
  // Wᵀ: A[c, (o, i, j)] = W[gi·og + o, c, i, j].
  loadA: 'w[((gi * u.OG + col / taps) * u.CG + row) * taps + col % taps]',
  aContiguous: 'col',
  loadB: 'tapDy(dyOff, row, col)',
  bContiguous: 'col',
  store: 'dx[cOff + row * u.N + col] = v;',
};

const BACKPROP_FILTER: ConvGemm = {
  name: 'Conv2dBackpropFilter',
  storage: ['x', 'dy', 'dw'],
  helper: TAP_X,
  prologue: `
  let gi = u.zBase + wid.z;
  let L = u.OH * u.OW;
  let cOff = gi * u.M * u.N;`,
  // A[o, (img, l)] = dy[img, gi·og + o, l]; B[(img, l), r] = the columns of image img, transposed.
  loadA: 'dy[((col / L) * u.G * u.OG + gi * u.OG + row) * L + col % L]',
  aContiguous: 'col',
  loadB: 'tapX(((row / L) * u.C + gi * u.CG) * u.H * u.W, col, row % L)',
  bContiguous: 'row',
  store: 'dw[cOff + row * u.N + col] = v;',
};

/** [x [N, C, H, W], w [O, C / g, kh, kw]] → y [N, O, oh, ow]. */
export const conv2d: KernelFn<WebGpuBackend, Conv2dAttrs> = ({ inputs, attrs, backend }) => {
  const [x, w] = inputs as [TensorInfo, TensorInfo];
  float32('Conv2d', x, w);
  const [n, c, h, wd] = x.shape as Shape4;
  const [o, cg, kh, kw] = w.shape as Shape4;
  const g = attrs.groups;
  const win = convWindow(attrs, [h, wd], [kh, kw]);
  const [oh, ow] = win.output;
  const out = backend.makeOutput([n, o, oh, ow], 'float32', 'Conv2d');
  if (sizeOf([n, o, oh, ow]) === 0) return out.info;
  if (cg * kh * kw === 0) {
    fillWords(backend, out.data, [n, o, oh, ow], 0);
    return out.info;
  }
  runConvGemm(
    backend,
    FORWARD,
    [backend.dataOf(x, 'Conv2d'), backend.dataOf(w, 'Conv2d'), out.data],
    { M: o / g, N: oh * ow, K: cg * kh * kw, count: n * g },
    geometry(win, c, cg, o / g, g),
  );
  return out.info;
};

/** [dy [N, O, oh, ow], w [O, C / g, kh, kw]] → dx of attrs.inputShape. */
export const conv2dBackpropInput: KernelFn<WebGpuBackend, Conv2dBackpropInputAttrs> = ({ inputs, attrs, backend }) => {
  const [dy, w] = inputs as [TensorInfo, TensorInfo];
  float32('Conv2dBackpropInput', dy, w);
  const [n, c, h, wd] = attrs.inputShape;
  const [, o, oh, ow] = dy.shape as Shape4;
  const [, cg, kh, kw] = w.shape as Shape4;
  const g = attrs.groups;
  const win = convWindow(attrs, [h, wd], [kh, kw], [oh, ow]);
  const out = backend.makeOutput([n, c, h, wd], 'float32', 'Conv2dBackpropInput');
  if (sizeOf(attrs.inputShape) === 0) return out.info;
  if ((o / g) * kh * kw * oh * ow === 0) {
    fillWords(backend, out.data, attrs.inputShape, 0);
    return out.info;
  }
  runConvGemm(
    backend,
    BACKPROP_INPUT,
    [backend.dataOf(dy, 'Conv2dBackpropInput'), backend.dataOf(w, 'Conv2dBackpropInput'), out.data],
    { M: cg, N: h * wd, K: (o / g) * kh * kw, count: n * g },
    geometry(win, c, cg, o / g, g),
  );
  return out.info;
};

/** [x [N, C, H, W], dy [N, O, oh, ow]] → dw of attrs.filterShape, summed over the batch. */
export const conv2dBackpropFilter: KernelFn<WebGpuBackend, Conv2dBackpropFilterAttrs> = ({ inputs, attrs, backend }) => {
  const [x, dy] = inputs as [TensorInfo, TensorInfo];
  float32('Conv2dBackpropFilter', x, dy);
  const [n, c, h, wd] = x.shape as Shape4;
  const [, , oh, ow] = dy.shape as Shape4;
  const [o, cg, kh, kw] = attrs.filterShape;
  const g = attrs.groups;
  const win = convWindow(attrs, [h, wd], [kh, kw], [oh, ow]);
  const out = backend.makeOutput(attrs.filterShape, 'float32', 'Conv2dBackpropFilter');
  if (sizeOf(attrs.filterShape) === 0) return out.info;
  if (n * oh * ow === 0) {
    fillWords(backend, out.data, attrs.filterShape, 0);
    return out.info;
  }
  runConvGemm(
    backend,
    BACKPROP_FILTER,
    [backend.dataOf(x, 'Conv2dBackpropFilter'), backend.dataOf(dy, 'Conv2dBackpropFilter'), out.data],
    { M: o / g, N: cg * kh * kw, K: n * oh * ow, count: g },
    geometry(win, c, cg, o / g, g),
  );
  return out.info;
};
