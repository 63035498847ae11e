import { noGrad } from '../autograd/grad-mode.js';
import { ones, zeros } from '../ops/creation.js';
import { batchNorm, groupNorm, layerNorm } from '../ops/norm.js';
import { fmt } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { Module } from './module.js';

/** Options of {@link BatchNorm1d} and {@link BatchNorm2d}, as PyTorch's. */
export interface BatchNormModuleOptions {
  /** Added to the variance (default 1e-5). */
  eps?: number;
  /** running = (1 − momentum)·running + momentum·batch (default 0.1). */
  momentum?: number;
  /** Learn a per-channel scale and shift (default true). */
  affine?: boolean;
  /** Keep running statistics for evaluation (default true); without them, batch statistics always. */
  trackRunningStats?: boolean;
}

/** Batch normalization over the channel dim 1 of inputs of the ranks `ranks`. */
abstract class BatchNormBase extends Module {
  /** Per-channel scale [numFeatures] (ones), or null without `affine`. */
  weight: Tensor | null;
  /** Per-channel shift [numFeatures] (zeros), or null without `affine`. */
  bias: Tensor | null;
  declare running_mean: Tensor | null;
  declare running_var: Tensor | null;
  declare num_batches_tracked: Tensor | null;
  readonly eps: number;
  readonly momentum: number;

  constructor(
    private readonly layer: string,
    private readonly ranks: readonly number[],
    readonly numFeatures: number,
    options: BatchNormModuleOptions,
  ) {
    super();
    if (!Number.isInteger(numFeatures) || numFeatures < 1)
      throw new RangeError(`${layer}: numFeatures must be a positive integer, got ${numFeatures}`);
    this.eps = options.eps ?? 1e-5;
    this.momentum = options.momentum ?? 0.1;
    const affine = options.affine ?? true;
    this.weight = affine ? ones([numFeatures], { requiresGrad: true }) : null;
    this.bias = affine ? zeros([numFeatures], { requiresGrad: true }) : null;
    const track = options.trackRunningStats ?? true;
    // PyTorch's buffer names, so state dicts port as they are.
    this.registerBuffer('running_mean', track ? zeros([numFeatures]) : null);
    this.registerBuffer('running_var', track ? ones([numFeatures]) : null);
    this.registerBuffer('num_batches_tracked', track ? zeros([], { dtype: 'int32' }) : null);
  }

  /** Normalizes x per channel: with the batch's statistics in training (updating the running ones), with the running ones in evaluation. */
  forward(x: Tensor): Tensor {
    if (!this.ranks.includes(x.rank)) {
      throw new RangeError(`${this.layer}(${this.numFeatures}): expected input of rank ${this.ranks.join(' or ')}, got ${fmt(x.shape)}`);
    }
    if (x.shape[1] !== this.numFeatures) {
      throw new RangeError(
        `${this.layer}(${this.numFeatures}): input ${fmt(x.shape)} has ${x.shape[1]} channels in dim 1, expected ${this.numFeatures}`,
      );
    }
    const useBatch = this.training || this.running_mean === null;
    const y = batchNorm(x, this.running_mean, this.running_var, {
      weight: this.weight,
      bias: this.bias,
      training: useBatch,
      momentum: this.training ? this.momentum : 0,
      eps: this.eps,
    });
    const count = this.num_batches_tracked;
    if (this.training && count) noGrad(() => count.add_(1));
    return y;
  }
}

/** Batch normalization of [N, C] or [N, C, L] inputs (PyTorch's `nn.BatchNorm1d`). */
export class BatchNorm1d extends BatchNormBase {
  constructor(numFeatures: number, options: BatchNormModuleOptions = {}) {
    super('BatchNorm1d', [2, 3], numFeatures, options);
  }
}

/** Batch normalization of [N, C, H, W] inputs (PyTorch's `nn.BatchNorm2d`). */
export class BatchNorm2d extends BatchNormBase {
  constructor(numFeatures: number, options: BatchNormModuleOptions = {}) {
    super('BatchNorm2d', [4], numFeatures, options);
  }
}

/** Options of {@link LayerNorm}. */
export interface LayerNormModuleOptions {
  eps?: number;
  /** Learn an elementwise scale (ones) and shift (zeros) of the normalized shape (default true). */
  elementwiseAffine?: boolean;
  /** With elementwiseAffine, learn the shift too (default true). */
  bias?: boolean;
}

/** Layer normalization over the last dims (PyTorch's `nn.LayerNorm`). */
export class LayerNorm extends Module {
  weight: Tensor | null;
  bias: Tensor | null;
  readonly normalizedShape: number[];
  readonly eps: number;

  constructor(normalizedShape: number | readonly number[], options: LayerNormModuleOptions = {}) {
    super();
    this.normalizedShape = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
    if (this.normalizedShape.length === 0 || this.normalizedShape.some((s) => !Number.isInteger(s) || s < 1)) {
      throw new RangeError(`LayerNorm: normalizedShape must be positive integers, got ${JSON.stringify(normalizedShape)}`);
    }
    this.eps = options.eps ?? 1e-5;
    const affine = options.elementwiseAffine ?? true;
    this.weight = affine ? ones(this.normalizedShape, { requiresGrad: true }) : null;
    this.bias = affine && (options.bias ?? true) ? zeros(this.normalizedShape, { requiresGrad: true }) : null;
  }

  /** layerNorm(x) over x's last dims, which must be the normalized shape. */
  forward(x: Tensor): Tensor {
    return layerNorm(x, this.normalizedShape, { weight: this.weight, bias: this.bias, eps: this.eps });
  }
}

/** Group normalization (PyTorch's `nn.GroupNorm`): numChannels split into numGroups groups. */
export class GroupNorm extends Module {
  weight: Tensor | null;
  bias: Tensor | null;
  readonly eps: number;

  constructor(
    readonly numGroups: number,
    readonly numChannels: number,
    options: { eps?: number; affine?: boolean } = {},
  ) {
    super();
    if (!Number.isInteger(numGroups) || !Number.isInteger(numChannels) || numGroups < 1 || numChannels % numGroups !== 0) {
      throw new RangeError(`GroupNorm: numChannels ${numChannels} must be divisible by numGroups ${numGroups}`);
    }
    this.eps = options.eps ?? 1e-5;
    const affine = options.affine ?? true;
    this.weight = affine ? ones([numChannels], { requiresGrad: true }) : null;
    this.bias = affine ? zeros([numChannels], { requiresGrad: true }) : null;
  }

  /** groupNorm(x) for x [N, numChannels, *]. */
  forward(x: Tensor): Tensor {
    if (x.shape[1] !== this.numChannels) {
      throw new RangeError(`GroupNorm(${this.numGroups}, ${this.numChannels}): input ${fmt(x.shape)} has ${x.shape[1]} channels in dim 1`);
    }
    return groupNorm(x, this.numGroups, { weight: this.weight, bias: this.bias, eps: this.eps });
  }
}
