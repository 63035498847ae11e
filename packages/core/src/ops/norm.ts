/**
 * Normalization as PyTorch's functional forms (layer, group and batch norm), composed of
 * reductions and elementwise ops, so their gradients and tangents are those ops' own; layer norm
 * and batch norm in training, of float32, run on a backend's fused kernels where it has them
 * (fused-layer-norm.ts, fused-batch-norm.ts). Variances are biased (divided by n), as PyTorch
 * normalizes; batch norm's running variance is unbiased.
 */
import { noGrad } from '../autograd/grad-mode.js';
import { isFloat } from '../dtype.js';
import { scoped } from '../scope.js';
import { fmt, show, sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import { rsqrt } from './elementwise.js';
import { FusedBatchNorm, hasFusedBatchNorm } from './fused-batch-norm.js';
import { FusedLayerNorm, hasFusedLayerNorm } from './fused-layer-norm.js';
import { standardized } from './fused-norm.js';
import { reshape } from './shape-ops.js';

/** Options of {@link layerNorm}. */
export interface LayerNormOptions {
  /** Per-element scale, of the normalized shape. */
  weight?: Tensor | null;
  /** Per-element shift, of the normalized shape. */
  bias?: Tensor | null;
  /** Added to the variance. Default 1e-5. */
  eps?: number;
}

/** Options of {@link groupNorm}. */
export interface GroupNormOptions {
  /** Per-channel scale [C]. */
  weight?: Tensor | null;
  /** Per-channel shift [C]. */
  bias?: Tensor | null;
  eps?: number;
}

/** Options of {@link batchNorm}. */
export interface BatchNormOptions {
  weight?: Tensor | null;
  bias?: Tensor | null;
  /** Normalize with the batch's statistics (and update the running ones) instead of the running ones. Default false. */
  training?: boolean;
  /** running = (1 − momentum)·running + momentum·batch. Default 0.1. */
  momentum?: number;
  eps?: number;
}

function floatTensor(op: string, name: string, x: unknown): Tensor {
  if (!(x instanceof Tensor)) throw new TypeError(`${op}: ${name} must be a Tensor, got ${show(x)}`);
  x.assertAlive(op);
  if (!isFloat(x.dtype)) throw new TypeError(`${op}: ${name} must be a float tensor, got ${x.dtype}`);
  return x;
}

function epsOf(op: string, eps: number | undefined): number {
  const e = eps ?? 1e-5;
  if (typeof e !== 'number' || !(e >= 0)) throw new RangeError(`${op}: eps must be a non-negative number, got ${show(eps)}`);
  return e;
}

/** An optional affine parameter of exactly `shape`. */
function affine(op: string, name: string, t: Tensor | null | undefined, shape: readonly number[]): Tensor | null {
  if (t === undefined || t === null) return null;
  floatTensor(op, name, t);
  if (t.shape.length !== shape.length || t.shape.some((s, i) => s !== shape[i])) {
    throw new RangeError(`${op}: ${name} must have shape ${fmt(shape)}, got ${fmt(t.shape)}`);
  }
  return t;
}

/** `t` reshaped to `shape`, or itself where it has that shape already (so a fused Function's node stays the output's). */
const as = (t: Tensor, shape: number[]) => (t.rank === shape.length && t.shape.every((d, i) => d === shape[i]) ? t : reshape(t, shape));

/** (x − mean) / √(var + eps) over `axes`, the biased variance. */
const standardize = (x: Tensor, axes: number[], eps: number): Tensor => standardized(x, axes, eps).xhat;

/**
 * Normalizes over the last dims, those of `normalizedShape`, then scales and shifts elementwise,
 * as PyTorch's `F.layer_norm`.
 */
export function layerNorm(x: Tensor, normalizedShape: number | readonly number[], options: LayerNormOptions = {}): Tensor {
  floatTensor('layerNorm', 'input', x);
  const shape = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
  const k = shape.length;
  if (k === 0 || k > x.rank || shape.some((s, i) => s !== x.shape[x.rank - k + i])) {
    throw new RangeError(`layerNorm: input ${fmt(x.shape)} does not end with the normalized shape ${fmt(shape)}`);
  }
  const eps = epsOf('layerNorm', options.eps);
  const weight = affine('layerNorm', 'weight', options.weight, shape);
  const bias = affine('layerNorm', 'bias', options.bias, shape);
  const axes = shape.map((_, i) => x.rank - k + i);
  if (hasFusedLayerNorm(x, weight, bias)) {
    // Rows of the normalized size (a 2-D input over its last dim is already that).
    const n = sizeOf(shape);
    return scoped(() => as(FusedLayerNorm(as(x, [x.size / n, n]), weight && as(weight, [n]), bias && as(bias, [n]), eps), x.shape));
  }
  return scoped(() => {
    let y = standardize(x, axes, eps);
    if (weight) y = y.mul(weight);
    return bias ? y.add(bias) : y;
  });
}

/** weight/bias [C] as [1, C, 1, …] against an input of rank `rank`. */
function perChannel(t: Tensor, rank: number): Tensor {
  return reshape(t, [1, t.shape[0] as number, ...new Array(rank - 2).fill(1)]);
}

/**
 * Normalizes x [N, C, *] within each of `numGroups` groups of channels, then scales and shifts
 * per channel, as PyTorch's `F.group_norm`.
 */
export function groupNorm(x: Tensor, numGroups: number, options: GroupNormOptions = {}): Tensor {
  floatTensor('groupNorm', 'input', x);
  if (x.rank < 2) throw new RangeError(`groupNorm: expected input of shape [N, C, …], got ${fmt(x.shape)}`);
  const [n, c] = x.shape as [number, number];
  if (!Number.isInteger(numGroups) || numGroups < 1 || c % numGroups !== 0) {
    throw new RangeError(`groupNorm: ${c} channels (input ${fmt(x.shape)}) cannot be split into ${show(numGroups)} groups`);
  }
  const eps = epsOf('groupNorm', options.eps);
  const weight = affine('groupNorm', 'weight', options.weight, [c]);
  const bias = affine('groupNorm', 'bias', options.bias, [c]);
  return scoped(() => {
    // Each group's values are a row of [N, G, C/G·…]: layer norm over it, fused where the backend can.
    const grouped = reshape(x, [n, numGroups, -1]);
    let y = reshape(layerNorm(grouped, [grouped.shape[2] as number], { eps }), x.shape);
    if (weight) y = y.mul(perChannel(weight, x.rank));
    return bias ? y.add(perChannel(bias, x.rank)) : y;
  });
}

/**
 * Batch normalization of x [N, C, *] per channel, as PyTorch's `F.batch_norm`. In training the
 * batch's statistics normalize and, where given, `runningMean` and `runningVar` are updated in
 * place (the variance unbiased); in evaluation the running statistics normalize.
 */
export function batchNorm(x: Tensor, runningMean: Tensor | null, runningVar: Tensor | null, options: BatchNormOptions = {}): Tensor {
  floatTensor('batchNorm', 'input', x);
  if (x.rank < 2) throw new RangeError(`batchNorm: expected input of shape [N, C, …], got ${fmt(x.shape)}`);
  const c = x.shape[1] as number;
  const training = options.training ?? false;
  const momentum = options.momentum ?? 0.1;
  if (typeof momentum !== 'number' || !Number.isFinite(momentum))
    throw new RangeError(`batchNorm: momentum must be a finite number, got ${show(momentum)}`);
  const eps = epsOf('batchNorm', options.eps);
  const mean = affine('batchNorm', 'runningMean', runningMean, [c]);
  const variance = affine('batchNorm', 'runningVar', runningVar, [c]);
  const weight = affine('batchNorm', 'weight', options.weight, [c]);
  const bias = affine('batchNorm', 'bias', options.bias, [c]);
  const axes = [0, ...x.shape.slice(2).map((_, i) => i + 2)];
  const count = x.size / Math.max(c, 1);
  if (training && count <= 1) {
    throw new RangeError(`batchNorm: training needs more than one value per channel, got input ${fmt(x.shape)}`);
  }
  if (!training && (!mean || !variance)) throw new TypeError('batchNorm: evaluation (training: false) needs runningMean and runningVar');
  if (training && hasFusedBatchNorm(x, weight, bias)) {
    const n = x.shape[0] as number;
    return scoped(() => {
      const [y, batchMean, batchVar] = FusedBatchNorm(as(x, [n, c, x.size / (n * c)]), weight, bias, eps);
      noGrad(() => {
        if (mean) mean.mul_(1 - momentum).add_(batchMean.mul(momentum));
        if (variance) variance.mul_(1 - momentum).add_(batchVar.mul((momentum * count) / (count - 1)));
      });
      return as(y, x.shape);
    });
  }
  return scoped(() => {
    let y: Tensor;
    if (training) {
      const batchMean = x.mean(axes, true);
      const centered = x.sub(batchMean);
      const batchVar = centered.square().mean(axes, true);
      y = centered.mul(rsqrt(batchVar.add(eps)));
      noGrad(() => {
        if (mean) mean.mul_(1 - momentum).add_(reshape(batchMean.detach(), [c]).mul(momentum));
        if (variance) variance.mul_(1 - momentum).add_(reshape(batchVar.detach(), [c]).mul((momentum * count) / (count - 1)));
      });
    } else {
      // Folded into one scale and one shift per channel, computed on [C] (as PyTorch's cpu
      // inference does): two passes over x instead of four.
      let scale = rsqrt((variance as Tensor).add(eps));
      if (weight) scale = scale.mul(weight);
      let shift = (mean as Tensor).mul(scale).neg();
      if (bias) shift = shift.add(bias);
      return x.mul(perChannel(scale, x.rank)).add(perChannel(shift, x.rank));
    }
    if (weight) y = y.mul(perChannel(weight, x.rank));
    return bias ? y.add(perChannel(bias, x.rank)) : y;
  });
}
