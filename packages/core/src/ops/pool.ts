/**
 * Pooling as PyTorch's, over NCHW (or unbatched CHW) planes. Max and average pooling gather each
 * window's elements as columns (im2col.ts's windowColumns) and reduce them; adaptive average
 * pooling is two matmuls with averaging matrices. Gradients are the composed ops' own: max
 * pooling's goes to the first maximum of each window (a NaN wins), as PyTorch's.
 */

import { type DifferentiableFunction, defineFunction } from '../autograd/function.js';
import { allocArray, type DType, isFloat } from '../dtype.js';
import { FusedKernels, type MaxPool2dAttrs } from '../kernels.js';
import { type Pair, pairOf, type Window2d, window2d } from '../plan/window.js';
import { hasKernel, onBackend } from '../registry.js';
import { scoped } from '../scope.js';
import { fmt, show, sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import { eq } from './compare.js';
import { arange, fromValues } from './creation.js';
import { runKernel } from './dispatch.js';
import { scatterAdd } from './gather-scatter.js';
import { windowColumns } from './im2col.js';
import { matmul } from './matmul.js';
import { argmax } from './reduce.js';
import { gather, reshape } from './shape-ops.js';
import { where } from './where.js';

/** Options of {@link maxPool2d}, as PyTorch's keyword arguments. */
export interface MaxPool2dOptions {
  /** Step of the window; default the kernel size. */
  stride?: number | readonly [number, number];
  /** -Infinity added on both sides, at most half the (dilated) kernel. Default 0. */
  padding?: number | readonly [number, number];
  dilation?: number | readonly [number, number];
  /** Round the output size up (a last, partial window). Default false. */
  ceilMode?: boolean;
}

/** Options of {@link avgPool2d}. */
export interface AvgPool2dOptions {
  stride?: number | readonly [number, number];
  /** Zeros added on both sides, at most half the kernel. Default 0. */
  padding?: number | readonly [number, number];
  ceilMode?: boolean;
  /** Count the zero padding in each window's divisor. Default true. */
  countIncludePad?: boolean;
  /** Divide every window's sum by this instead. */
  divisorOverride?: number;
}

function planeOf(op: string, x: unknown): Tensor {
  if (!(x instanceof Tensor)) throw new TypeError(`${op}: input must be a Tensor, got ${show(x)}`);
  x.assertAlive(op);
  if (x.rank !== 3 && x.rank !== 4) throw new RangeError(`${op}: expected input of shape [N, C, H, W] or [C, H, W], got ${fmt(x.shape)}`);
  if (!isFloat(x.dtype)) throw new TypeError(`${op}: expected a float input, got ${x.dtype}`);
  return x;
}

/** Runs `f` on x as [N, C, H, W] (an unbatched [C, H, W] gets N = 1 and loses it again). */
function batched(x: Tensor, f: (x4: Tensor) => Tensor): Tensor {
  return scoped(() => {
    if (x.rank === 4) return f(x);
    const y = f(reshape(x, [1, ...x.shape]));
    return reshape(y, y.shape.slice(1));
  });
}

/** The pooling window, with PyTorch's check that padding is at most half the (dilated) kernel. */
function poolWindow(op: string, x: Tensor, kernelSize: number | readonly number[], o: MaxPool2dOptions, dilated: boolean): Window2d {
  const kernel = pairOf(op, 'kernelSize', kernelSize, 1);
  const stride = pairOf(op, 'stride', o.stride ?? kernel, 1);
  const padding = pairOf(op, 'padding', o.padding ?? 0, 0);
  const dilation = pairOf(op, 'dilation', o.dilation ?? 1, 1);
  for (const d of [0, 1]) {
    const reach = dilated ? (dilation[d] as number) * ((kernel[d] as number) - 1) + 1 : (kernel[d] as number);
    if ((padding[d] as number) * 2 > reach) {
      throw new RangeError(
        `${op}: padding ${fmt(padding)} must be at most half the kernel ${fmt(kernel)}${dilated ? ` (dilation ${fmt(dilation)})` : ''}`,
      );
    }
  }
  const rank = x.rank;
  const plane: Pair = [x.shape[rank - 2] as number, x.shape[rank - 1] as number];
  const pads: [Pair, Pair] = [
    [padding[0], padding[0]],
    [padding[1], padding[1]],
  ];
  return window2d(op, plane, kernel, stride, pads, dilation, o.ceilMode ?? false);
}

/**
 * The maximum of each kh×kw window of x [N, C, H, W] (or [C, H, W]), as PyTorch's
 * `F.max_pool2d`; the gradient goes to each window's first maximum.
 */
export function maxPool2d(x: Tensor, kernelSize: number | readonly [number, number], options: MaxPool2dOptions = {}): Tensor {
  const input = planeOf('maxPool2d', x);
  const win = poolWindow('maxPool2d', input, kernelSize, options, true);
  const K = win.kernel[0] * win.kernel[1];
  const L = win.output[0] * win.output[1];
  if (input.dtype === 'float32' && hasKernel(FusedKernels.MaxPool2d, input.backend.name)) {
    const attrs: MaxPool2dAttrs = {
      kernel: [...win.kernel],
      stride: [...win.stride],
      padding: [[...win.padding[0]], [...win.padding[1]]],
      dilation: [...win.dilation],
      output: [...win.output],
    };
    return batched(input, (x4) => MaxPool2dFn(x4, attrs));
  }
  return batched(input, (x4) => {
    const [n, c] = x4.shape as [number, number];
    const cols = reshape(windowColumns(x4, win, Number.NEGATIVE_INFINITY), [n, c, K, L]);
    const first = eq(argmax(cols, 2, true), reshape(arange(0, K, 1, { dtype: 'int32' }), [K, 1]));
    return reshape(where(first, cols, 0).sum(2), [n, c, ...win.output]);
  });
}

/**
 * Max pooling on a backend's fused kernel, which finds each window's first maximum once: the
 * gradient adds dy at those indices (a scatter-add, differentiable, so second derivatives exist),
 * and the tangent is gathered from them.
 */
const MaxPool2dFn: DifferentiableFunction<[Tensor, MaxPool2dAttrs], Tensor> = defineFunction({
  name: 'MaxPool2d',
  forward(ctx, x: Tensor, attrs: MaxPool2dAttrs) {
    const [y, indices] = runKernel<Tensor[]>(FusedKernels.MaxPool2d, [x], attrs) as [Tensor, Tensor];
    ctx.saveForBackward(reshape(indices, [indices.size]));
    indices.dispose();
    ctx.inputShape = x.shape;
    ctx.attrs = attrs;
    return y;
  },
  backward(ctx, dy) {
    const [indices] = ctx.savedTensors as [Tensor];
    const shape = ctx.inputShape as number[];
    return [reshape(scatterAdd(reshape(dy, [dy.size]), indices, 0, [sizeOf(shape)]), shape), null];
  },
  jvp(ctx, tx) {
    const [indices] = ctx.savedTensors as [Tensor];
    const t = tx as Tensor;
    const [n, c] = ctx.inputShape as number[];
    return reshape(gather(reshape(t, [t.size]), indices, 0), [n as number, c as number, ...(ctx.attrs as MaxPool2dAttrs).output]);
  },
});

/** Each output position's divisor, as PyTorch's avg_pool2d counts it. */
function divisors(win: Window2d, o: AvgPool2dOptions, dtype: DType): Float32Array | Float64Array {
  const [oh, ow] = win.output;
  const out = allocArray(dtype, oh * ow) as Float32Array | Float64Array;
  const along = (d: 0 | 1, i: number, includePad: boolean): number => {
    const n = win.input[d];
    const pad = win.padding[d][0];
    const start = i * win.stride[d] - pad;
    const end = Math.min(start + win.kernel[d], n + pad);
    return includePad ? end - start : Math.min(end, n) - Math.max(start, 0);
  };
  const include = o.countIncludePad ?? true;
  for (let y = 0; y < oh; y++) {
    for (let x = 0; x < ow; x++) out[y * ow + x] = o.divisorOverride ?? along(0, y, include) * along(1, x, include);
  }
  return out;
}

/** The average of each kh×kw window of x [N, C, H, W] (or [C, H, W]), as PyTorch's `F.avg_pool2d`. */
export function avgPool2d(x: Tensor, kernelSize: number | readonly [number, number], options: AvgPool2dOptions = {}): Tensor {
  const input = planeOf('avgPool2d', x);
  const d = options.divisorOverride;
  if (d !== undefined && (typeof d !== 'number' || !Number.isInteger(d) || d === 0)) {
    throw new RangeError(`avgPool2d: divisorOverride must be a non-zero integer, got ${show(d)}`);
  }
  const win = poolWindow('avgPool2d', input, kernelSize, options, false);
  const K = win.kernel[0] * win.kernel[1];
  const L = win.output[0] * win.output[1];
  return batched(input, (x4) => {
    const [n, c] = x4.shape as [number, number];
    const sums = reshape(windowColumns(x4, win), [n, c, K, L]).sum(2);
    const divisor = onBackend(x4.backend, () => fromValues(divisors(win, options, x4.dtype), [L], x4.dtype, 'avgPool2d'));
    return reshape(sums.div(divisor), [n, c, ...win.output]);
  });
}

/** [out, n]: row i averages input positions ⌊i·n/out⌋ … ⌈(i+1)·n/out⌉ − 1, as PyTorch's adaptive pooling. */
function averagingMatrix(n: number, out: number, dtype: DType): Float32Array | Float64Array {
  const m = allocArray(dtype, out * n) as Float32Array | Float64Array;
  for (let i = 0; i < out; i++) {
    const start = Math.floor((i * n) / out);
    const end = Math.ceil(((i + 1) * n) / out);
    for (let j = start; j < end; j++) m[i * n + j] = 1 / (end - start);
  }
  return m;
}

/**
 * Average pooling to a fixed output size (PyTorch's `F.adaptive_avg_pool2d`): `outputSize` is a
 * number, or [h, w] where null keeps that input size.
 */
export function adaptiveAvgPool2d(x: Tensor, outputSize: number | readonly [number | null, number | null]): Tensor {
  const input = planeOf('adaptiveAvgPool2d', x);
  const rank = input.rank;
  const plane = [input.shape[rank - 2] as number, input.shape[rank - 1] as number];
  const size = typeof outputSize === 'number' ? [outputSize, outputSize] : outputSize;
  if (!Array.isArray(size) || size.length !== 2)
    throw new RangeError(`adaptiveAvgPool2d: outputSize must be a number or [h, w], got ${show(outputSize)}`);
  const [oh, ow] = size.map((s, d) => (s === null ? plane[d] : s)) as [number, number];
  for (const s of [oh, ow]) {
    if (!Number.isInteger(s) || s < 1)
      throw new RangeError(`adaptiveAvgPool2d: output sizes must be positive integers, got ${show(outputSize)}`);
  }
  const [h, w] = plane as [number, number];
  return scoped(() => {
    const [rows, cols] = onBackend(input.backend, () => [
      fromValues(averagingMatrix(h, oh, input.dtype), [oh, h], input.dtype, 'adaptiveAvgPool2d'),
      fromValues(averagingMatrix(w, ow, input.dtype), [ow, w], input.dtype, 'adaptiveAvgPool2d'),
    ]);
    return matmul(matmul(rows, input), cols, { transposeB: true });
  });
}
