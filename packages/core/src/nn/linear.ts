import { rand } from '../ops/creation.js';
import { matmul } from '../ops/matmul.js';
import { scoped } from '../scope.js';
import type { Tensor } from '../tensor.js';
import { Module } from './module.js';

/** Options of {@link Linear}. */
export interface LinearOptions {
  /** Whether to learn an additive bias (default true). */
  bias?: boolean;
  /** Seed for the initial weights (otherwise the global generator, see manualSeed). */
  seed?: number;
}

/**
 * y = x·Wᵀ + b with PyTorch's layout (weight [out, in]) and init: U(-1/√in, 1/√in) for both
 * (kaiming_uniform with a = √5), so weights port from PyTorch as they are.
 */
export class Linear extends Module {
  /** The weight, shape [outFeatures, inFeatures] (PyTorch's layout). */
  weight: Tensor;
  /** The bias, shape [outFeatures], or null when created with `bias: false`. */
  bias: Tensor | null;

  constructor(
    /** Size of each input's last dim. */
    readonly inFeatures: number,
    /** Size of each output's last dim. */
    readonly outFeatures: number,
    options: LinearOptions = {},
  ) {
    super();
    for (const [name, v] of [
      ['inFeatures', inFeatures],
      ['outFeatures', outFeatures],
    ] as const) {
      if (!Number.isInteger(v) || v <= 0) throw new RangeError(`Linear: ${name} must be a positive integer, got ${v}`);
    }
    const bound = 1 / Math.sqrt(inFeatures);
    const seed = options.seed;
    this.weight = rand([outFeatures, inFeatures], { low: -bound, high: bound, seed, requiresGrad: true });
    this.bias =
      options.bias === false
        ? null
        : rand([outFeatures], { low: -bound, high: bound, seed: seed === undefined ? undefined : seed + 1, requiresGrad: true });
  }

  /** x·Wᵀ + b for `x` of shape [..., inFeatures], giving [..., outFeatures]; throws if the last dim is not inFeatures. */
  forward(x: Tensor): Tensor {
    const last = x.shape[x.rank - 1];
    if (last !== this.inFeatures) {
      throw new Error(
        `Linear(${this.inFeatures}, ${this.outFeatures}): input has ${last} features in its last dimension (shape [${x.shape.join(', ')}]), expected ${this.inFeatures}`,
      );
    }
    return scoped(() => {
      const y = matmul(x, this.weight, { transposeB: true });
      return this.bias ? y.add(this.bias) : y;
    });
  }
}
