/**
 * Weight initialization in place, as PyTorch's `torch.nn.init` (names camelCased): each fills the
 * tensor with values drawn from a Generator (the global one unless given), under noGrad.
 */
import { noGrad } from '../autograd/grad-mode.js';
import { allocArray, isFloat } from '../dtype.js';
import { fromValues } from '../ops/creation.js';
import { type Generator, globalGenerator } from '../random.js';
import { onBackend } from '../registry.js';
import { fmt, show } from '../shape.js';
import { Tensor } from '../tensor.js';

/** The nonlinearities {@link calculateGain} knows, PyTorch's names camelCased. */
export type Nonlinearity = 'linear' | 'conv1d' | 'conv2d' | 'sigmoid' | 'tanh' | 'relu' | 'leakyRelu' | 'selu';

/** Options shared by the random initializers. */
export interface InitOptions {
  /** The random source; default the global generator (see `manualSeed`). */
  generator?: Generator;
}

/** Options of {@link kaimingUniform_} and {@link kaimingNormal_}. */
export interface KaimingOptions extends InitOptions {
  /** The negative slope of the leaky ReLU that follows (default 0). */
  a?: number;
  /** Preserve the variance of the forward pass ('fanIn', default) or of the backward pass ('fanOut'). */
  mode?: 'fanIn' | 'fanOut';
  /** The nonlinearity that follows (default 'leakyRelu'). */
  nonlinearity?: Nonlinearity;
}

/** The recommended gain for a nonlinearity, as PyTorch's `calculate_gain` (`param`: leaky ReLU's slope, default 0.01). */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  switch (nonlinearity) {
    case 'linear':
    case 'conv1d':
    case 'conv2d':
    case 'sigmoid':
      return 1;
    case 'tanh':
      return 5 / 3;
    case 'relu':
      return Math.SQRT2;
    case 'leakyRelu': {
      const slope = param ?? 0.01;
      if (typeof slope !== 'number' || !Number.isFinite(slope)) throw new TypeError(`calculateGain: slope ${show(param)} is not a number`);
      return Math.sqrt(2 / (1 + slope * slope));
    }
    case 'selu':
      return 3 / 4;
    default:
      throw new RangeError(`calculateGain: unknown nonlinearity ${show(nonlinearity)}`);
  }
}

/** [fanIn, fanOut] of a weight of shape [out, in, ...kernel], as PyTorch computes them. */
export function fans(op: string, t: Tensor): [number, number] {
  if (t.rank < 2) throw new RangeError(`${op}: fan in and fan out need a tensor of at least 2 dims, got ${fmt(t.shape)}`);
  const receptive = t.shape.slice(2).reduce((a, b) => a * b, 1);
  return [(t.shape[1] as number) * receptive, (t.shape[0] as number) * receptive];
}

/** Fills t in place with `sample()` per element. */
function fill(op: string, t: Tensor, sample: () => number): Tensor {
  if (!(t instanceof Tensor)) throw new TypeError(`${op}: expected a Tensor, got ${show(t)}`);
  t.assertAlive(op);
  if (!isFloat(t.dtype)) throw new TypeError(`${op}: expected a float tensor, got ${t.dtype}`);
  const values = allocArray(t.dtype, t.size);
  for (let i = 0; i < values.length; i++) values[i] = sample();
  noGrad(() => {
    const v = onBackend(t.backend, () => fromValues(values, t.shape, t.dtype, op));
    t.assign(v);
    v.dispose();
  });
  return t;
}

const generatorOf = (o: InitOptions) => o.generator ?? globalGenerator();

/** Fills t with U(a, b) (default U(0, 1)). */
export function uniform_(t: Tensor, options: InitOptions & { a?: number; b?: number } = {}): Tensor {
  const [a, b] = [options.a ?? 0, options.b ?? 1];
  if (!(a <= b)) throw new RangeError(`uniform_: expected a ≤ b, got a = ${show(options.a)}, b = ${show(options.b)}`);
  const g = generatorOf(options);
  return fill('uniform_', t, () => a + (b - a) * g.uniform());
}

/** Fills t with N(mean, std²) (default N(0, 1)). */
export function normal_(t: Tensor, options: InitOptions & { mean?: number; std?: number } = {}): Tensor {
  const [mean, std] = [options.mean ?? 0, options.std ?? 1];
  if (!(std >= 0)) throw new RangeError(`normal_: std must be ≥ 0, got ${show(options.std)}`);
  const g = generatorOf(options);
  return fill('normal_', t, () => mean + std * g.normal());
}

/** Fills t with `value`. */
export function constant_(t: Tensor, value: number): Tensor {
  return fill('constant_', t, () => value);
}

/** Fills t with zeros. */
export function zeros_(t: Tensor): Tensor {
  return fill('zeros_', t, () => 0);
}

/** Fills t with ones. */
export function ones_(t: Tensor): Tensor {
  return fill('ones_', t, () => 1);
}

function kaimingStd(op: string, t: Tensor, o: KaimingOptions): number {
  const [fanIn, fanOut] = fans(op, t);
  const fan = (o.mode ?? 'fanIn') === 'fanIn' ? fanIn : fanOut;
  if (o.mode !== undefined && o.mode !== 'fanIn' && o.mode !== 'fanOut')
    throw new RangeError(`${op}: mode must be 'fanIn' or 'fanOut', got ${show(o.mode)}`);
  if (fan === 0) throw new RangeError(`${op}: cannot initialize a tensor with no elements (shape ${fmt(t.shape)})`);
  return calculateGain(o.nonlinearity ?? 'leakyRelu', o.a ?? 0) / Math.sqrt(fan);
}

/**
 * Fills t with U(−bound, bound), bound = gain·√(3 / fan), He et al.'s uniform initialization
 * (PyTorch's `kaiming_uniform_`). `a = √5` gives PyTorch's default for Linear and Conv weights.
 */
export function kaimingUniform_(t: Tensor, options: KaimingOptions = {}): Tensor {
  const bound = Math.sqrt(3) * kaimingStd('kaimingUniform_', t, options);
  const g = generatorOf(options);
  return fill('kaimingUniform_', t, () => bound * (2 * g.uniform() - 1));
}

/** Fills t with N(0, std²), std = gain / √fan (PyTorch's `kaiming_normal_`). */
export function kaimingNormal_(t: Tensor, options: KaimingOptions = {}): Tensor {
  const std = kaimingStd('kaimingNormal_', t, options);
  const g = generatorOf(options);
  return fill('kaimingNormal_', t, () => std * g.normal());
}

/** Fills t with U(−a, a), a = gain·√(6 / (fanIn + fanOut)), Glorot's initialization (PyTorch's `xavier_uniform_`). */
export function xavierUniform_(t: Tensor, options: InitOptions & { gain?: number } = {}): Tensor {
  const [fanIn, fanOut] = fans('xavierUniform_', t);
  const a = (options.gain ?? 1) * Math.sqrt(6 / (fanIn + fanOut));
  const g = generatorOf(options);
  return fill('xavierUniform_', t, () => a * (2 * g.uniform() - 1));
}

/** Fills t with N(0, std²), std = gain·√(2 / (fanIn + fanOut)) (PyTorch's `xavier_normal_`). */
export function xavierNormal_(t: Tensor, options: InitOptions & { gain?: number } = {}): Tensor {
  const [fanIn, fanOut] = fans('xavierNormal_', t);
  const std = (options.gain ?? 1) * Math.sqrt(2 / (fanIn + fanOut));
  const g = generatorOf(options);
  return fill('xavierNormal_', t, () => std * g.normal());
}
