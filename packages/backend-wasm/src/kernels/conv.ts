/**
 * Conv2d, Conv2dBackpropInput, Conv2dBackpropFilter (core's FusedKernels): one image at a time,
 * its columns (assembly/conv.ts's im2col, into one panel of c·kh·kw × oh·ow floats) multiplied
 * with the weights by the SIMD GEMM, one call per group; the input gradient adds its columns back
 * (col2im). A panel per thread is the only temporary: never the whole unfolded batch. Threads
 * share each image's product where it is big enough, else runs of images (or, for the filter
 * gradient, runs of its columns' rows), always with the bits of one thread.
 */
import type { Conv2dAttrs, Conv2dBackpropFilterAttrs, Conv2dBackpropInputAttrs, KernelFn, TensorInfo, Window2d } from '@surrograd/core';
import { convWindow, fmt } from '@surrograd/core';
import type { WasmBackend } from '../wasm-backend.js';
import { matmulOnThreads, matmulWorkBytes } from './matmul.js';
import { alignedParts, rowParts, taskCount } from './parts.js';

type Shape4 = [number, number, number, number];

function float32(kernel: string, ...ts: TensorInfo[]): void {
  for (const t of ts) {
    if (t.dtype !== 'float32' || t.shape.length !== 4)
      throw new TypeError(`${kernel}: expected float32 4-d tensors, got ${t.dtype} ${fmt(t.shape)}`);
  }
}

/** The window's geometry as im2col/col2im take it, after the image pointers. */
function geometryArgs(win: Window2d, c: number): number[] {
  const [h, w] = win.input;
  return [
    c,
    h,
    w,
    win.kernel[0],
    win.kernel[1],
    win.stride[0],
    win.stride[1],
    win.padding[0][0],
    win.padding[1][0],
    win.dilation[0],
    win.dilation[1],
    win.output[0],
    win.output[1],
  ];
}

/**
 * Runs im2col or col2im (clearing the image first) over one image's channels, shared between
 * threads by runs of channels: each channel's columns come from, and go back to, its own plane,
 * so every split gives the same bits.
 */
function byChannels(backend: WasmBackend, kernel: 'im2col' | 'col2im', image: number, panel: number, geometry: number[]): void {
  const [c, h, w, kh, kw] = geometry as [number, number, number, number, number];
  const [oh, ow] = geometry.slice(-2) as [number, number];
  const plane = h * w * 4;
  const rows = kh * kw * oh * ow * 4;
  backend.parallel(
    kernel,
    rowParts(c, (c * rows) / 4, backend).map(([c0, count]) => {
      const [img, cols, rest] = [image + c0 * plane, panel + c0 * rows, [count, ...geometry.slice(1)]];
      return kernel === 'im2col' ? [img, cols, ...rest] : [cols, img, ...rest, 1];
    }),
  );
}

function im2col(backend: WasmBackend, x: number, panel: number, geometry: number[]): void {
  byChannels(backend, 'im2col', x, panel, geometry);
}

function col2im(backend: WasmBackend, panel: number, dx: number, geometry: number[]): void {
  byChannels(backend, 'col2im', dx, panel, geometry);
}

/**
 * Runs of images for threads when each image's products are too small to share but the batch's
 * are not (LeNet's 28×28 maps: 117K multiply-adds an image): [first, count] per task, or null to
 * run image by image, sharing each image's product and columns where they are big enough.
 */
function imageRuns(backend: WasmBackend, n: number, imageMacs: number): [number, number][] | null {
  const { macs } = backend.thresholds;
  if (backend.threads < 2 || n < 2 || imageMacs >= macs) return null;
  const tasks = taskCount(n * imageMacs, macs, backend);
  return tasks > 1 ? alignedParts(n, 1, tasks) : null;
}

/**
 * Whole images on threads (assembly/conv.ts's convImagesF32, mode 0 forward, 1 input gradient):
 * each task with its own columns panel and product scratch, the geometry in a plan in memory.
 */
function imagesOnThreads(
  backend: WasmBackend,
  mode: 0 | 1,
  runs: [number, number][],
  pointers: [number, number, number],
  win: Window2d,
  c: number,
  o: number,
  g: number,
): void {
  const [oh, ow] = win.output;
  const panelBytes = line(c * win.kernel[0] * win.kernel[1] * oh * ow * 4);
  const workBytes = line(backend.kernels.matmulScratchBytes(oh * ow));
  const each = panelBytes + workBytes;
  const kernel = mode === 0 ? 'Conv2d' : 'Conv2dBackpropInput';
  withPlan(backend, kernel, [...geometryArgs(win, c), o, g], runs.length * each, (plan, first) =>
    backend.parallel(
      'convImagesF32',
      runs.map(([img, count], t) => [mode, ...pointers, img, count, plan, first + t * each, first + t * each + panelBytes]),
    ),
  );
}

/** `bytes` rounded up to whole cache lines: each task's panel and scratch start on one, as the GEMM's packed panels expect. */
const line = (bytes: number) => Math.ceil(bytes / 64) * 64;

/**
 * Runs `fn` with a plan of `words` (i32) in wasm memory and `bytes` of scratch after it (from a
 * cache line), as the batch kernels of assembly/conv.ts take their geometry (more numbers than a
 * pool task carries).
 */
function withPlan(backend: WasmBackend, kernel: string, words: number[], bytes: number, fn: (plan: number, scratch: number) => void): void {
  backend.withTemp(64 + words.length * 4 + bytes, kernel, (block) => {
    const plan = line(block);
    new Int32Array(backend.kernels.memory.buffer, plan, words.length).set(words);
    fn(plan, plan + line(words.length * 4));
  });
}

/**
 * Runs of rows of the unfolded columns (input channel × tap, c·kh·kw of them) for threads to take
 * the filter gradient by, when each image's product is too small to share but the batch's are
 * not: [first, count] per task, or null. The gradient sums over the batch; splitting its columns
 * (each thread unfolding and packing only its rows) keeps that sum in image order, as one thread
 * adds it, where splitting the batch would not. Rows, not channels, so that a one-channel conv
 * (LeNet's first: 25 rows) is shared too.
 */
function filterRowRuns(backend: WasmBackend, n: number, rows: number, imageMacs: number): [number, number][] | null {
  const { macs } = backend.thresholds;
  if (backend.threads < 2 || rows < 2 || imageMacs >= macs) return null;
  // One run a thread: every task packs all of dy again for each image.
  const tasks = taskCount(n * imageMacs, macs, backend, 1);
  return tasks > 1 ? alignedParts(rows, 1, tasks) : null;
}

/** The filter gradient (groups 1) on threads by runs of rows of the columns (assembly/conv.ts's convFilterRowsF32), each task with its own columns panel, partial product and product scratch. */
function filterRowsOnThreads(
  backend: WasmBackend,
  runs: [number, number][],
  pointers: [number, number, number],
  n: number,
  win: Window2d,
  c: number,
  o: number,
): void {
  const [oh, ow] = win.output;
  const widest = Math.max(...runs.map(([, count]) => count));
  const panelBytes = line(widest * oh * ow * 4);
  const partialBytes = line(o * widest * 4);
  const workBytes = line(backend.kernels.matmulScratchBytes(widest));
  const each = panelBytes + partialBytes + workBytes;
  withPlan(backend, 'Conv2dBackpropFilter', [...geometryArgs(win, c), o, 1], runs.length * each, (plan, first) =>
    backend.parallel(
      'convFilterRowsF32',
      runs.map(([r0, count], t) => {
        const at = first + t * each;
        return [...pointers, r0, count, n, plan, at, at + panelBytes, at + panelBytes + partialBytes];
      }),
    ),
  );
}

/** [x [N, C, H, W], w [O, C / g, kh, kw]] → y [N, O, oh, ow]. */
export const conv2d: KernelFn<WasmBackend, Conv2dAttrs> = ({ inputs, attrs, backend }) => {
  const [x, w] = inputs as [TensorInfo, TensorInfo];
  float32('Conv2d', x, w);
  const [n, c, h, wd] = x.shape as Shape4;
  const [o, cg, kh, kw] = w.shape as Shape4;
  const g = attrs.groups;
  const win = convWindow(attrs, [h, wd], [kh, kw]);
  const [oh, ow] = win.output;
  const y = backend.output([n, o, oh, ow], 'float32', 'Conv2d');
  if (y.dataId.bytes === 0) return y;
  const L = oh * ow;
  const ck = cg * kh * kw;
  const og = o / g;
  const [px, pw, py] = [backend.ptr(x, 'Conv2d'), backend.ptr(w, 'Conv2d'), y.dataId.ptr];
  const runs = imageRuns(backend, n, o * ck * L);
  if (runs) {
    imagesOnThreads(backend, 0, runs, [px, pw, py], win, c, o, g);
    return y;
  }
  const geometry = geometryArgs(win, c);
  backend.withTemp(c * kh * kw * L * 4, 'Conv2d', (panel) =>
    backend.withTemp(matmulWorkBytes(backend, og, L, ck, 1), 'Conv2d', (work) => {
      for (let img = 0; img < n; img++) {
        im2col(backend, px + img * c * h * wd * 4, panel, geometry);
        for (let gi = 0; gi < g; gi++) {
          matmulOnThreads(
            backend,
            pw + gi * og * ck * 4,
            panel + gi * ck * L * 4,
            py + (img * o + gi * og) * L * 4,
            og,
            L,
            ck,
            ck,
            1,
            L,
            1,
            work,
          );
        }
      }
    }),
  );
  return y;
};

/** [dy [N, O, oh, ow], w [O, C / g, kh, kw]] → dx of attrs.inputShape: wᵀ·dy per image and group, added back by col2im. */
export const conv2dBackpropInput: KernelFn<WasmBackend, Conv2dBackpropInputAttrs> = ({ inputs, attrs, backend }) => {
  const [dy, w] = inputs as [TensorInfo, TensorInfo];
  float32('Conv2dBackpropInput', dy, w);
  const [n, c, h, wd] = attrs.inputShape;
  const [, o, oh, ow] = dy.shape as Shape4;
  const [, cg, kh, kw] = w.shape as Shape4;
  const g = attrs.groups;
  const win = convWindow(attrs, [h, wd], [kh, kw], [oh, ow]);
  const dx = backend.output([n, c, h, wd], 'float32', 'Conv2dBackpropInput');
  if (dx.dataId.bytes === 0) return dx;
  const L = oh * ow;
  const ck = cg * kh * kw;
  const og = o / g;
  const [pdy, pw, pdx] = [backend.ptr(dy, 'Conv2dBackpropInput'), backend.ptr(w, 'Conv2dBackpropInput'), dx.dataId.ptr];
  const runs = imageRuns(backend, n, o * ck * L);
  if (runs) {
    imagesOnThreads(backend, 1, runs, [pdy, pw, pdx], win, c, o, g);
    return dx;
  }
  const geometry = geometryArgs(win, c);
  backend.withTemp(c * kh * kw * L * 4, 'Conv2dBackpropInput', (panel) =>
    backend.withTemp(matmulWorkBytes(backend, ck, L, og, ck), 'Conv2dBackpropInput', (work) => {
      for (let img = 0; img < n; img++) {
        for (let gi = 0; gi < g; gi++) {
          // panel_g [ck, L] = W_gᵀ [ck, og] · dy_g [og, L]: Wᵀ read through its strides.
          matmulOnThreads(
            backend,
            pw + gi * og * ck * 4,
            pdy + (img * o + gi * og) * L * 4,
            panel + gi * ck * L * 4,
            ck,
            L,
            og,
            1,
            ck,
            L,
            1,
            work,
          );
        }
        col2im(backend, panel, pdx + img * c * h * wd * 4, geometry);
      }
    }),
  );
  return dx;
};

/** [x [N, C, H, W], dy [N, O, oh, ow]] → dw of attrs.filterShape: dy·colsᵀ per image and group, summed. */
export const conv2dBackpropFilter: KernelFn<WasmBackend, Conv2dBackpropFilterAttrs> = ({ inputs, attrs, backend }) => {
  const [x, dy] = inputs as [TensorInfo, TensorInfo];
  float32('Conv2dBackpropFilter', x, dy);
  const [n, c, h, wd] = x.shape as Shape4;
  const [, o, oh, ow] = dy.shape as Shape4;
  const [, cg, kh, kw] = attrs.filterShape;
  const g = attrs.groups;
  const win = convWindow(attrs, [h, wd], [kh, kw], [oh, ow]);
  const dw = backend.output(attrs.filterShape, 'float32', 'Conv2dBackpropFilter');
  if (dw.dataId.bytes === 0) return dw;
  const L = oh * ow;
  const ck = cg * kh * kw;
  const og = o / g;
  const [px, pdy, pdw] = [backend.ptr(x, 'Conv2dBackpropFilter'), backend.ptr(dy, 'Conv2dBackpropFilter'), dw.dataId.ptr];
  const k = backend.kernels;
  const geometry = geometryArgs(win, c);
  if (n === 0) {
    new Float32Array(k.memory.buffer, pdw, o * ck).fill(0);
    return dw;
  }
  const rowRuns = g === 1 ? filterRowRuns(backend, n, ck, o * ck * L) : null;
  if (rowRuns) {
    filterRowsOnThreads(backend, rowRuns, [px, pdy, pdw], n, win, c, o);
    return dw;
  }
  backend.withTemp(c * kh * kw * L * 4 + og * ck * 4, 'Conv2dBackpropFilter', (panel) =>
    backend.withTemp(matmulWorkBytes(backend, og, ck, L, 1), 'Conv2dBackpropFilter', (work) => {
      const partial = panel + c * kh * kw * L * 4;
      for (let img = 0; img < n; img++) {
        im2col(backend, px + img * c * h * wd * 4, panel, geometry);
        for (let gi = 0; gi < g; gi++) {
          // dW_g [og, ck] (+)= dy_g [og, L] · panel_gᵀ [L, ck]: the panel read through its strides.
          const target = img === 0 ? pdw + gi * og * ck * 4 : partial;
          matmulOnThreads(backend, pdy + (img * o + gi * og) * L * 4, panel + gi * ck * L * 4, target, og, ck, L, L, 1, 1, L, work);
          if (img > 0) k.addIntoF32(pdw + gi * og * ck * 4, partial, og * ck);
        }
      }
    }),
  );
  return dw;
};
