/**
 * Convolution as PyTorch's (NCHW input, OIHW weight): argument checks and shapes here; the three
 * linear maps (conv, its input gradient, its weight gradient) in conv-functions.ts, run by a
 * backend's fused kernels or composed of im2col, matmul and fold. unfold and fold are im2col.ts's.
 */

import type { Conv2dAttrs, Conv2dBackpropInputAttrs } from '../kernels.js';
import { type Pair, pairOf, window2d } from '../plan/window.js';
import { scoped } from '../scope.js';
import { fmt, show } from '../shape.js';
import { Tensor } from '../tensor.js';
import { BackpropInputFn, Conv2dFn } from './conv-functions.js';
import { foldColumns, windowColumns } from './im2col.js';
import { reshape } from './shape-ops.js';

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
  const [, c, h, wIn] = x.shape as [number, number, number, number];
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
  const attrs: Conv2dAttrs = {
    stride: [stride[0], stride[1]],
    padding: [
      [win.padding[0][0], win.padding[0][1]],
      [win.padding[1][0], win.padding[1][1]],
    ],
    dilation: [dilation[0], dilation[1]],
    groups,
  };
  return scoped(() => {
    const y = Conv2dFn(x, weight, attrs);
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

/** Options of {@link fold}, as PyTorch's `F.fold`. */
export type FoldOptions = UnfoldOptions;

/**
 * Sums columns [N, C·kh·kw, L] back into images [N, C, H, W] (`outputSize` [H, W]), adding where
 * windows overlap: PyTorch's `F.fold` (col2im), the adjoint of {@link unfold}.
 */
export function fold(
  cols: Tensor,
  outputSize: number | readonly [number, number],
  kernelSize: number | readonly [number, number],
  options: FoldOptions = {},
): Tensor {
  assertTensor('fold', 'input', cols);
  if (cols.rank !== 3) throw new RangeError(`fold: expected input of shape [N, C·kh·kw, L], got ${fmt(cols.shape)}`);
  const kernel = pairOf('fold', 'kernelSize', kernelSize, 1);
  const size = pairOf('fold', 'outputSize', outputSize, 1);
  const [ph, pw] = pairOf('fold', 'padding', options.padding ?? 0, 0);
  const win = window2d(
    'fold',
    size,
    kernel,
    pairOf('fold', 'stride', options.stride ?? 1, 1),
    [
      [ph, ph],
      [pw, pw],
    ],
    pairOf('fold', 'dilation', options.dilation ?? 1, 1),
  );
  const [n, ck, L] = cols.shape as [number, number, number];
  const K = kernel[0] * kernel[1];
  if (ck % K !== 0 || L !== win.output[0] * win.output[1]) {
    throw new RangeError(
      `fold: input ${fmt(cols.shape)} does not match kernel ${fmt(kernel)} over ${fmt(size)}: expected [N, C·${K}, ${win.output[0] * win.output[1]}]`,
    );
  }
  return scoped(() => foldColumns(reshape(cols, [n, ck / K, K, L]), win));
}

/** Options of {@link convTranspose2d}, as PyTorch's keyword arguments. */
export interface ConvTranspose2dOptions {
  stride?: number | readonly [number, number];
  /** Removed from both sides of the output (the padding of the conv this transposes). Default 0. */
  padding?: number | readonly [number, number];
  /** Added to one side of the output, to pick among the sizes a strided conv maps to one size. Default 0. */
  outputPadding?: number | readonly [number, number];
  groups?: number;
  dilation?: number | readonly [number, number];
}

/**
 * The transposed 2-d convolution (PyTorch's `F.conv_transpose2d`, the gradient of conv2d with
 * respect to its input): x [N, Cin, H, W] or [Cin, H, W], weight [Cin, Cout / groups, kh, kw],
 * bias [Cout]. Output height (H − 1)·stride − 2·padding + dilation·(kh − 1) + outputPadding + 1.
 */
export function convTranspose2d(x: Tensor, weight: Tensor, bias?: Tensor | null, options: ConvTranspose2dOptions = {}): Tensor {
  const op = 'convTranspose2d';
  assertTensor(op, 'input', x);
  assertTensor(op, 'weight', weight);
  if (bias !== undefined && bias !== null) assertTensor(op, 'bias', bias);
  if (x.rank === 3) {
    return scoped(() => {
      const y = convTranspose2d(reshape(x, [1, ...x.shape]), weight, bias, options);
      return reshape(y, y.shape.slice(1));
    });
  }
  if (x.rank !== 4) throw new RangeError(`${op}: expected input of shape [N, C, H, W] or [C, H, W], got ${fmt(x.shape)}`);
  if (weight.rank !== 4)
    throw new RangeError(`${op}: expected weight of shape [inChannels, outChannels / groups, kh, kw], got ${fmt(weight.shape)}`);
  const groups = options.groups ?? 1;
  if (!Number.isInteger(groups) || groups < 1) throw new RangeError(`${op}: groups must be a positive integer, got ${show(groups)}`);
  const [n, cin] = x.shape as [number, number, number, number];
  const [wcin, og, kh, kw] = weight.shape as [number, number, number, number];
  if (wcin !== cin)
    throw new RangeError(`${op}: input ${fmt(x.shape)} has ${cin} channels but weight ${fmt(weight.shape)} expects ${wcin}`);
  if (cin % groups !== 0) throw new RangeError(`${op}: in channels ${cin} are not divisible by groups ${groups}`);
  const cout = og * groups;
  if (bias && (bias.rank !== 1 || bias.shape[0] !== cout)) {
    throw new RangeError(
      `${op}: bias must have shape [${cout}] for weight ${fmt(weight.shape)} and groups ${groups}, got ${fmt(bias.shape)}`,
    );
  }
  if (weight.dtype !== x.dtype || (bias && bias.dtype !== x.dtype)) {
    throw new TypeError(
      `${op}: input, weight and bias must have one float dtype, got ${x.dtype}, ${weight.dtype}${bias ? `, ${bias.dtype}` : ''}`,
    );
  }
  const stride = pairOf(op, 'stride', options.stride ?? 1, 1);
  const padding = pairOf(op, 'padding', options.padding ?? 0, 0);
  const dilation = pairOf(op, 'dilation', options.dilation ?? 1, 1);
  const outputPadding = pairOf(op, 'outputPadding', options.outputPadding ?? 0, 0);
  const out = [0, 1].map((d) => {
    if ((outputPadding[d] as number) >= Math.max(stride[d] as number, dilation[d] as number)) {
      throw new RangeError(
        `${op}: outputPadding ${fmt(outputPadding)} must be smaller than the stride ${fmt(stride)} or the dilation ${fmt(dilation)}`,
      );
    }
    const size =
      ((x.shape[2 + d] as number) - 1) * (stride[d] as number) -
      2 * (padding[d] as number) +
      (dilation[d] as number) * ((d === 0 ? kh : kw) - 1) +
      (outputPadding[d] as number) +
      1;
    if (size < 1)
      throw new RangeError(`${op}: the output would have size ${size} in dim ${2 + d} (input ${fmt(x.shape)}, padding ${fmt(padding)})`);
    return size;
  }) as [number, number];
  // The gradient of the conv (weight as given, [in, out / groups, …]) that maps an out-sized plane
  // onto x's H×W: x plays that conv's output gradient.
  const attrs: Conv2dBackpropInputAttrs = {
    stride: [stride[0], stride[1]],
    padding: [
      [padding[0], padding[0]],
      [padding[1], padding[1]],
    ],
    dilation: [dilation[0], dilation[1]],
    groups,
    inputShape: [n, cout, out[0], out[1]],
  };
  return scoped(() => {
    const y = BackpropInputFn(x, weight, attrs);
    return bias ? y.add(reshape(bias, [1, cout, 1, 1])) : y;
  });
}
