/**
 * Convolution as PyTorch's (NCHW input, OIHW weight), composed of kernels every backend has:
 * pad, one gather of the padded plane with the window table (im2col, `unfold`), and a batched
 * matmul with the weight. The gradients are those ops' own: matmul's to the weight and the
 * columns, gather's scatter-add to the input.
 */

import { type Pair, paddedSize, pairOf, type Window2d, window2d, windowIndices } from '../plan/window.js';
import { onBackend } from '../registry.js';
import { scoped } from '../scope.js';
import { fmt, show } from '../shape.js';
import { Tensor } from '../tensor.js';
import { fromValues } from './creation.js';
import { matmul } from './matmul.js';
import { gather, pad, reshape } from './shape-ops.js';

/** Options of {@link conv2d}, as PyTorch's keyword arguments. */
export interface Conv2dOptions {
  /** Step of the window, one number or [h, w]. Default 1. */
  stride?: number | readonly [number, number];
  /** Zeros added on both sides, one number or [h, w]; 'valid' is 0; 'same' keeps the size (stride 1 only). Default 0. */
  padding?: number | readonly [number, number] | 'same' | 'valid';
  /** Spacing between kernel elements. Default 1. */
  dilation?: number | readonly [number, number];
  /** Input and output channels split into this many independent groups. Default 1. */
  groups?: number;
}

/** Options of {@link conv1d}. */
export interface Conv1dOptions {
  stride?: number;
  padding?: number | 'same' | 'valid';
  dilation?: number;
  groups?: number;
}

/** Options of {@link unfold}, as PyTorch's `F.unfold`. */
export interface UnfoldOptions {
  dilation?: number | readonly [number, number];
  padding?: number | readonly [number, number];
  stride?: number | readonly [number, number];
}

function assertTensor(op: string, name: string, x: unknown): asserts x is Tensor {
  if (!(x instanceof Tensor)) throw new TypeError(`${op}: ${name} must be a Tensor, got ${show(x)}`);
  x.assertAlive(op);
}

/** [[top, bottom], [left, right]] for a padding option; 'same' splits d·(k − 1) as PyTorch (the extra one after). */
function paddingOf(op: string, padding: Conv2dOptions['padding'], kernel: Pair, dilation: Pair, stride: Pair): [Pair, Pair] {
  if (padding === 'valid')
    return [
      [0, 0],
      [0, 0],
    ];
  if (padding === 'same') {
    if (stride[0] !== 1 || stride[1] !== 1) throw new RangeError(`${op}: padding 'same' needs stride 1, got stride ${fmt(stride)}`);
    return [0, 1].map((d) => {
      const total = (dilation[d] as number) * ((kernel[d] as number) - 1);
      return [Math.floor(total / 2), total - Math.floor(total / 2)] as Pair;
    }) as [Pair, Pair];
  }
  const [ph, pw] = pairOf(op, 'padding', padding ?? 0, 0);
  return [
    [ph, ph],
    [pw, pw],
  ];
}

/**
 * The columns of x [N, C, H, W] under window `w`: [N, C·kh·kw, oh·ow], PyTorch's unfold layout,
 * `fill` in the padding. One gather of the padded plane.
 */
export function windowColumns(x: Tensor, w: Window2d, fill = 0): Tensor {
  return scoped(() => {
    const [n, c] = x.shape as [number, number];
    const [hp, wp] = paddedSize(w);
    const padded = w.padding.some(([a, b]) => a > 0 || b > 0) ? pad(x, [[0, 0], [0, 0], w.padding[0], w.padding[1]], fill) : x;
    const K = w.kernel[0] * w.kernel[1];
    const L = w.output[0] * w.output[1];
    const table = onBackend(x.backend, () => fromValues(windowIndices(w), [K, L], 'int32', 'unfold'));
    const cols = gather(reshape(padded, [n, c, hp * wp]), table, 2);
    return reshape(cols, [n, c * K, L]);
  });
}

/**
 * Sliding local blocks of x [N, C, H, W] as columns [N, C·kh·kw, L] (L output positions), as
 * PyTorch's `F.unfold` (im2col). Its gradient (fold) adds each column back where it came from.
 */
export function unfold(x: Tensor, kernelSize: number | readonly [number, number], options: UnfoldOptions = {}): Tensor {
  assertTensor('unfold', 'input', x);
  if (x.rank !== 4) throw new RangeError(`unfold: expected input of shape [N, C, H, W], got ${fmt(x.shape)}`);
  const kernel = pairOf('unfold', 'kernelSize', kernelSize, 1);
  const [ph, pw] = pairOf('unfold', 'padding', options.padding ?? 0, 0);
  const w = window2d(
    'unfold',
    [x.shape[2] as number, x.shape[3] as number],
    kernel,
    pairOf('unfold', 'stride', options.stride ?? 1, 1),
    [
      [ph, ph],
      [pw, pw],
    ],
    pairOf('unfold', 'dilation', options.dilation ?? 1, 1),
  );
  return windowColumns(x, w);
}

/**
 * 2-d convolution (cross-correlation, as PyTorch's `F.conv2d`): x [N, C, H, W] or [C, H, W],
 * weight [O, C / groups, kh, kw], bias [O] or null. Output [N, O, oh, ow].
 */
export function conv2d(x: Tensor, weight: Tensor, bias?: Tensor | null, options: Conv2dOptions = {}): Tensor {
  assertTensor('conv2d', 'input', x);
  assertTensor('conv2d', 'weight', weight);
  if (bias !== undefined && bias !== null) assertTensor('conv2d', 'bias', bias);
  if (x.rank === 3) {
    return scoped(() => {
      const y = conv2d(reshape(x, [1, ...x.shape]), weight, bias, options);
      return reshape(y, y.shape.slice(1));
    });
  }
  if (x.rank !== 4) throw new RangeError(`conv2d: expected input of shape [N, C, H, W] or [C, H, W], got ${fmt(x.shape)}`);
  if (weight.rank !== 4)
    throw new RangeError(`conv2d: expected weight of shape [outChannels, inChannels / groups, kh, kw], got ${fmt(weight.shape)}`);
  const groups = options.groups ?? 1;
  if (!Number.isInteger(groups) || groups < 1) throw new RangeError(`conv2d: groups must be a positive integer, got ${show(groups)}`);
  const [n, c, h, wIn] = x.shape as [number, number, number, number];
  const [o, cg, kh, kw] = weight.shape as [number, number, number, number];
  if (c !== cg * groups) {
    throw new RangeError(
      `conv2d: input ${fmt(x.shape)} has ${c} channels but weight ${fmt(weight.shape)} with groups ${groups} expects ${cg * groups}`,
    );
  }
  if (o % groups !== 0)
    throw new RangeError(`conv2d: out channels ${o} (weight ${fmt(weight.shape)}) are not divisible by groups ${groups}`);
  if (bias && (bias.rank !== 1 || bias.shape[0] !== o)) {
    throw new RangeError(`conv2d: bias must have shape [${o}] for weight ${fmt(weight.shape)}, got ${fmt(bias.shape)}`);
  }
  if (weight.dtype !== x.dtype || (bias && bias.dtype !== x.dtype)) {
    throw new TypeError(
      `conv2d: input, weight and bias must have one float dtype, got ${x.dtype}, ${weight.dtype}${bias ? `, ${bias.dtype}` : ''}`,
    );
  }
  const stride = pairOf('conv2d', 'stride', options.stride ?? 1, 1);
  const dilation = pairOf('conv2d', 'dilation', options.dilation ?? 1, 1);
  const win = window2d('conv2d', [h, wIn], [kh, kw], stride, paddingOf('conv2d', options.padding, [kh, kw], dilation, stride), dilation);
  const [oh, ow] = win.output;
  const K = kh * kw;
  return scoped(() => {
    const cols = reshape(windowColumns(x, win), [n, groups, cg * K, oh * ow]);
    const out = matmul(reshape(weight, [groups, o / groups, cg * K]), cols);
    const y = reshape(out, [n, o, oh, ow]);
    return bias ? y.add(reshape(bias, [1, o, 1, 1])) : y;
  });
}

/**
 * 1-d convolution as PyTorch's `F.conv1d`: x [N, C, L] or [C, L], weight [O, C / groups, k],
 * bias [O] or null. Output [N, O, outL]. A conv2d over a plane of height 1.
 */
export function conv1d(x: Tensor, weight: Tensor, bias?: Tensor | null, options: Conv1dOptions = {}): Tensor {
  assertTensor('conv1d', 'input', x);
  assertTensor('conv1d', 'weight', weight);
  if (x.rank !== 2 && x.rank !== 3) throw new RangeError(`conv1d: expected input of shape [N, C, L] or [C, L], got ${fmt(x.shape)}`);
  if (weight.rank !== 3)
    throw new RangeError(`conv1d: expected weight of shape [outChannels, inChannels / groups, k], got ${fmt(weight.shape)}`);
  const one = (name: string, v: number | undefined, fallback: number, min: number): [number, number] => {
    const k = v ?? fallback;
    if (typeof k !== 'number' || !Number.isInteger(k) || k < min)
      throw new RangeError(`conv1d: ${name} must be an integer ≥ ${min}, got ${show(v)}`);
    return [1, k];
  };
  const padding = options.padding === 'same' || options.padding === 'valid' ? options.padding : ([0, options.padding ?? 0] as const);
  if (Array.isArray(padding)) one('padding', padding[1], 0, 0);
  return scoped(() => {
    const x4 =
      x.rank === 3
        ? reshape(x, [x.shape[0] as number, x.shape[1] as number, 1, x.shape[2] as number])
        : reshape(x, [x.shape[0] as number, 1, x.shape[1] as number]);
    const y = conv2d(x4, reshape(weight, [weight.shape[0] as number, weight.shape[1] as number, 1, weight.shape[2] as number]), bias, {
      stride: one('stride', options.stride, 1, 1),
      dilation: one('dilation', options.dilation, 1, 1),
      padding,
      groups: options.groups ?? 1,
    });
    return x.rank === 3
      ? reshape(y, [y.shape[0] as number, y.shape[1] as number, y.shape[3] as number])
      : reshape(y, [y.shape[0] as number, y.shape[2] as number]);
  });
}
