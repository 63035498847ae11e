import { describe } from '../describe.js';
import { rand } from '../ops/creation.js';
import { matmul } from '../ops/matmul.js';
import { assertSameBackend } from '../ops/operands.js';
import { scoped } from '../scope.js';
import { fmt } from '../shape.js';
import { Tensor } from '../tensor.js';
import { FusedLinear, hasFusedLinear } from './fused-linear.js';
import { Module } from './module.js';

/**
 * x·Wᵀ + b, PyTorch's F.linear: `x` [..., in], `weight` [out, in] (PyTorch's layout), `bias` [out]
 * or none → [..., out]. On a backend with the fused kernel (cpu, wasm, webgpu), float32 operands
 * take one pass: the bias is added to the product where it is computed, with the same rounding as
 * the two ops.
 */
export function linear(x: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  for (const [name, t] of [['input', x], ['weight', weight], ...(bias == null ? [] : [['bias', bias] as const])] as const) {
    if (!(t instanceof Tensor)) throw new TypeError(`linear: the ${name} must be a Tensor, got ${describe(t)}`);
    t.assertAlive('linear');
  }
  if (weight.rank !== 2) throw new Error(`linear: the weight must have shape [out, in], got ${fmt(weight.shape)}`);
  const [out, inFeatures] = weight.shape as [number, number];
  if (x.rank === 0 || x.shape[x.rank - 1] !== inFeatures) {
    throw new Error(`linear: the input ${fmt(x.shape)} must end in ${inFeatures} features, as the weight ${fmt(weight.shape)} takes`);
  }
  if (bias != null && (bias.rank !== 1 || bias.shape[0] !== out)) {
    throw new Error(`linear: the bias must have shape [${out}] for the weight ${fmt(weight.shape)}, got ${fmt(bias.shape)}`);
  }
  assertSameBackend('linear', x, weight);
  if (bias != null) assertSameBackend('linear', x, bias);
  return scoped(() => {
    if (bias == null) return matmul(x, weight, { transposeB: true });
    if (!hasFusedLinear(x, weight, bias)) return matmul(x, weight, { transposeB: true }).add(bias);
    // The kernel takes rows: leading dims are flattened (a view) and restored.
    const lead = x.shape.slice(0, -1);
    const rows = x.rank === 2 ? x : x.reshape([lead.reduce((a, b) => a * b, 1), inFeatures]);
    const y = FusedLinear(rows, weight, bias);
    return x.rank === 2 ? y : y.reshape([...lead, out]);
  });
}

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
    return linear(x, this.weight, this.bias);
  }
}
