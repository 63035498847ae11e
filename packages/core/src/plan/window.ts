/**
 * The geometry of a sliding window over a 2-d plane (convolution, unfold, pooling): output sizes
 * as PyTorch computes them, and which padded-plane position each (window element, output
 * position) pair reads. Pure shape arithmetic, shared by core's composite ops and by any backend
 * kernel that implements them directly.
 */
import { show } from '../shape.js';

/** Two integers, one per spatial dim (height, width). */
export type Pair = readonly [number, number];

/** A window sliding over an H×W plane, padded [top, bottom] × [left, right]. */
export interface Window2d {
  /** Input height and width. */
  readonly input: Pair;
  /** Kernel (window) height and width. */
  readonly kernel: Pair;
  readonly stride: Pair;
  readonly dilation: Pair;
  /** [top, bottom] and [left, right] padding; bottom/right may exceed top/left (ceil mode, 'same'). */
  readonly padding: readonly [Pair, Pair];
  /** Output height and width. */
  readonly output: Pair;
}

/** `v` as a pair of integers ≥ `min`: a number for both dims, or [h, w]. */
export function pairOf(op: string, name: string, v: number | readonly number[], min: number): Pair {
  const pair = typeof v === 'number' ? [v, v] : v;
  if (!Array.isArray(pair) || pair.length !== 2 || pair.some((n) => typeof n !== 'number' || !Number.isInteger(n) || n < min)) {
    throw new RangeError(`${op}: ${name} must be an integer ≥ ${min} or a pair [h, w] of them, got ${show(v)}`);
  }
  return [pair[0] as number, pair[1] as number];
}

/**
 * PyTorch's output size along one dim: ⌊(n + padding − dilation·(k − 1) − 1) / stride⌋ + 1, or
 * with `ceilMode` rounded up, less one where the last window would start in the right padding.
 * `padding` is the total of both sides; `padBefore` the left side (for the ceil-mode rule).
 */
export function windowOutputSize(
  n: number,
  k: number,
  stride: number,
  padding: number,
  dilation: number,
  ceilMode = false,
  padBefore = padding / 2,
): number {
  const span = n + padding - dilation * (k - 1) - 1;
  if (span < 0) return 0;
  let out = (ceilMode ? Math.ceil(span / stride) : Math.floor(span / stride)) + 1;
  if (ceilMode && (out - 1) * stride >= n + padBefore) out -= 1;
  return out;
}

/**
 * The window over an H×W plane, with output sizes; checks that the window fits the padded input
 * and that the output is not empty (both errors name `op` and the sizes).
 */
export function window2d(
  op: string,
  input: Pair,
  kernel: Pair,
  stride: Pair,
  padding: readonly [Pair, Pair],
  dilation: Pair,
  ceilMode = false,
): Window2d {
  const out = [0, 1].map((d) => {
    const n = input[d] as number;
    const [before, after] = padding[d] as Pair;
    const k = kernel[d] as number;
    const reach = (dilation[d] as number) * (k - 1) + 1;
    if (n + before + after < reach) {
      throw new RangeError(
        `${op}: the ${d === 0 ? 'height' : 'width'} ${n} padded by [${before}, ${after}] is smaller than the kernel's reach ${reach} (size ${k}, dilation ${dilation[d]})`,
      );
    }
    return windowOutputSize(n, k, stride[d] as number, before + after, dilation[d] as number, ceilMode, before);
  }) as [number, number];
  // Ceil mode can add a last window that runs past the right padding: pad that far too.
  const padded: [Pair, Pair] = [0, 1].map((d) => {
    const [before, after] = padding[d] as Pair;
    const end = ((out[d] as number) - 1) * (stride[d] as number) + (dilation[d] as number) * ((kernel[d] as number) - 1) + 1;
    return [before, Math.max(after, end - (input[d] as number) - before)] as Pair;
  }) as [Pair, Pair];
  return { input, kernel, stride, dilation, padding: padded, output: out };
}

/** The padded plane's height and width. */
export function paddedSize(w: Window2d): Pair {
  return [w.input[0] + w.padding[0][0] + w.padding[0][1], w.input[1] + w.padding[1][0] + w.padding[1][1]];
}

/**
 * For window element k (row-major over the kernel) and output position l (row-major over the
 * output), the flat index into the padded plane it reads: a [K, L] table, K = kh·kw, L = oh·ow.
 * Gathering a [.., Hp·Wp] plane with it gives im2col's columns as PyTorch's unfold orders them.
 */
export function windowIndices(w: Window2d): Int32Array {
  const [kh, kw] = w.kernel;
  const [oh, ow] = w.output;
  const [, wp] = paddedSize(w);
  const L = oh * ow;
  const table = new Int32Array(kh * kw * L);
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      const row = (i * kw + j) * L;
      for (let y = 0; y < oh; y++) {
        const base = (y * w.stride[0] + i * w.dilation[0]) * wp + j * w.dilation[1];
        for (let x = 0; x < ow; x++) table[row + y * ow + x] = base + x * w.stride[1];
      }
    }
  }
  return table;
}

/** The sliding-window part of a conv kernel's attrs (kernels.ts's Conv2dAttrs). */
export interface ConvGeometry {
  readonly stride: Pair;
  readonly padding: readonly [Pair, Pair];
  readonly dilation: Pair;
}

/**
 * The window of a convolution with `attrs` over an H×W input and a kh×kw kernel; `output` given
 * (a backward pass: the gradient's spatial size), or computed as PyTorch does.
 */
export function convWindow(attrs: ConvGeometry, input: Pair, kernel: Pair, output?: Pair): Window2d {
  const out =
    output ??
    ([0, 1].map((d) =>
      windowOutputSize(
        input[d] as number,
        kernel[d] as number,
        attrs.stride[d] as number,
        (attrs.padding[d] as Pair)[0] + (attrs.padding[d] as Pair)[1],
        attrs.dilation[d] as number,
      ),
    ) as unknown as Pair);
  return { input, kernel, stride: attrs.stride, dilation: attrs.dilation, padding: attrs.padding, output: out };
}
