import { type Conv1dOptions, type Conv2dOptions, type ConvTranspose2dOptions, conv1d, conv2d, convTranspose2d } from '../ops/conv.js';
import { zeros } from '../ops/creation.js';
import { Generator, globalGenerator } from '../random.js';
import type { Tensor } from '../tensor.js';
import { fans, kaimingUniform_, uniform_ } from './init.js';
import { Module } from './module.js';

/** Options of {@link Conv2d}: the functional form's, plus the module's. */
export interface Conv2dModuleOptions extends Conv2dOptions {
  /** Whether to learn an additive bias (default true). */
  bias?: boolean;
  /** Seed for the initial weights (otherwise the global generator, see manualSeed). */
  seed?: number;
}

/** Options of {@link Conv1d}. */
export interface Conv1dModuleOptions extends Conv1dOptions {
  bias?: boolean;
  seed?: number;
}

function positiveInt(op: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1)
    throw new RangeError(`${op}: ${name} must be a positive integer, got ${String(v)}`);
  return v;
}

/**
 * A weight [out, in / groups, ...kernel] and bias [out] with PyTorch's default initialization:
 * kaiming-uniform with a = √5 (U(−1/√fanIn, 1/√fanIn)) for both, so weights port as they are.
 */
function convParameters(
  op: string,
  inChannels: number,
  outChannels: number,
  kernel: number[],
  groups: number,
  bias: boolean,
  seed?: number,
  transposed = false,
) {
  positiveInt(op, 'inChannels', inChannels);
  positiveInt(op, 'outChannels', outChannels);
  positiveInt(op, 'groups', groups);
  if (inChannels % groups !== 0 || outChannels % groups !== 0) {
    throw new RangeError(`${op}: inChannels ${inChannels} and outChannels ${outChannels} must both be divisible by groups ${groups}`);
  }
  for (const k of kernel) positiveInt(op, 'kernelSize', k);
  const generator = seed === undefined ? globalGenerator() : new Generator(seed);
  // A transposed conv's weight is [in, out / groups, ...]: PyTorch's fan in is then out / groups · k.
  const shape = transposed ? [inChannels, outChannels / groups, ...kernel] : [outChannels, inChannels / groups, ...kernel];
  const weight = zeros(shape, { requiresGrad: true });
  kaimingUniform_(weight, { a: Math.sqrt(5), generator });
  let b: Tensor | null = null;
  if (bias) {
    const bound = 1 / Math.sqrt(fans(op, weight)[0]);
    b = uniform_(zeros([outChannels], { requiresGrad: true }), { a: -bound, b: bound, generator });
  }
  return { weight, bias: b };
}

/** A 2-d convolution layer (PyTorch's `nn.Conv2d`): weight [out, in / groups, kh, kw], bias [out]. */
export class Conv2d extends Module {
  /** The filters, shape [outChannels, inChannels / groups, kh, kw]. */
  weight: Tensor;
  /** The bias, shape [outChannels], or null when created with `bias: false`. */
  bias: Tensor | null;
  /** The functional form's options (stride, padding, dilation, groups). */
  readonly options: Conv2dOptions;

  constructor(
    readonly inChannels: number,
    readonly outChannels: number,
    kernelSize: number | readonly [number, number],
    options: Conv2dModuleOptions = {},
  ) {
    super();
    const kernel = typeof kernelSize === 'number' ? [kernelSize, kernelSize] : [...kernelSize];
    if (kernel.length !== 2) throw new RangeError(`Conv2d: kernelSize must be a number or [h, w], got ${JSON.stringify(kernelSize)}`);
    const { bias, seed, ...conv } = options;
    const p = convParameters('Conv2d', inChannels, outChannels, kernel, conv.groups ?? 1, bias ?? true, seed);
    this.weight = p.weight;
    this.bias = p.bias;
    this.options = conv;
  }

  /** conv2d(x, weight, bias) for x [N, inChannels, H, W] (or unbatched). */
  forward(x: Tensor): Tensor {
    return conv2d(x, this.weight, this.bias, this.options);
  }
}

/** Options of {@link ConvTranspose2d}. */
export interface ConvTranspose2dModuleOptions extends ConvTranspose2dOptions {
  bias?: boolean;
  seed?: number;
}

/** A transposed 2-d convolution layer (PyTorch's `nn.ConvTranspose2d`): weight [in, out / groups, kh, kw], bias [out]. */
export class ConvTranspose2d extends Module {
  /** The filters, shape [inChannels, outChannels / groups, kh, kw]. */
  weight: Tensor;
  /** The bias, shape [outChannels], or null. */
  bias: Tensor | null;
  /** The functional form's options (stride, padding, outputPadding, groups, dilation). */
  readonly options: ConvTranspose2dOptions;

  constructor(
    readonly inChannels: number,
    readonly outChannels: number,
    kernelSize: number | readonly [number, number],
    options: ConvTranspose2dModuleOptions = {},
  ) {
    super();
    const kernel = typeof kernelSize === 'number' ? [kernelSize, kernelSize] : [...kernelSize];
    if (kernel.length !== 2)
      throw new RangeError(`ConvTranspose2d: kernelSize must be a number or [h, w], got ${JSON.stringify(kernelSize)}`);
    const { bias, seed, ...conv } = options;
    const p = convParameters('ConvTranspose2d', inChannels, outChannels, kernel, conv.groups ?? 1, bias ?? true, seed, true);
    this.weight = p.weight;
    this.bias = p.bias;
    this.options = conv;
  }

  /** convTranspose2d(x, weight, bias) for x [N, inChannels, H, W] (or unbatched). */
  forward(x: Tensor): Tensor {
    return convTranspose2d(x, this.weight, this.bias, this.options);
  }
}

/** A 1-d convolution layer (PyTorch's `nn.Conv1d`): weight [out, in / groups, k], bias [out]. */
export class Conv1d extends Module {
  /** The filters, shape [outChannels, inChannels / groups, k]. */
  weight: Tensor;
  /** The bias, shape [outChannels], or null. */
  bias: Tensor | null;
  /** The functional form's options. */
  readonly options: Conv1dOptions;

  constructor(
    readonly inChannels: number,
    readonly outChannels: number,
    kernelSize: number,
    options: Conv1dModuleOptions = {},
  ) {
    super();
    const { bias, seed, ...conv } = options;
    const p = convParameters('Conv1d', inChannels, outChannels, [kernelSize], conv.groups ?? 1, bias ?? true, seed);
    this.weight = p.weight;
    this.bias = p.bias;
    this.options = conv;
  }

  /** conv1d(x, weight, bias) for x [N, inChannels, L] (or unbatched). */
  forward(x: Tensor): Tensor {
    return conv1d(x, this.weight, this.bias, this.options);
  }
}
