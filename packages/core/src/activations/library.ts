/**
 * The activation library: each export is one entry pairing a forward kind with a derivative kind,
 * with its default options, what backward saves, its convention at 0, and where it comes from.
 * Entries whose derivative is not their forward's are the point: surrogate gradients.
 */
import type { Tensor } from '../tensor.js';
import { type ActivationParams, applyActivation, defineActivationFunction } from './function.js';
import { derivativeKind, forwardKind } from './kinds.js';

export interface ActivationEntry {
  /** The export's name. */
  name: string;
  /** The Function's (and nn module's) name. */
  title: string;
  forward: string;
  derivative: string;
  /** Option defaults; also the option names users pass. */
  defaults: Readonly<Record<string, number>>;
  /** Human descriptions, for the docs page. */
  forwardText: string;
  derivativeText: string;
  atZero: string;
  source: string;
  /** True where backward is deliberately not the forward's derivative. */
  surrogate: boolean;
}

const entries: ActivationEntry[] = [];
const functions = new Map<string, ActivationFn>();

export type ActivationFn = (x: Tensor, options?: Readonly<Record<string, number>>) => Tensor;

/**
 * Adds an entry and returns its function `(x, options?) => Tensor`. The kinds are looked up and
 * the Function built on first use, so defining entries at module load depends on nothing else.
 */
export function defineActivation(entry: ActivationEntry): ActivationFn {
  entries.push(entry);
  let built: { fn: ReturnType<typeof defineActivationFunction>; names: string[] } | null = null;
  const build = () => {
    const fwd = forwardKind(entry.forward);
    const der = derivativeKind(entry.derivative);
    const names = [...new Set([...fwd.params, ...der.params])];
    for (const n of names) {
      if (!(n in entry.defaults)) throw new Error(`defineActivation('${entry.name}'): no default for parameter '${n}'`);
    }
    return { fn: defineActivationFunction({ name: entry.title, forward: entry.forward, derivative: entry.derivative }), names };
  };
  const call: ActivationFn = (x, options = {}) => {
    built ??= build();
    for (const k of Object.keys(options)) {
      if (!(k in entry.defaults)) {
        const known = Object.keys(entry.defaults);
        throw new TypeError(
          `${entry.name}: unknown option '${k}'${known.length ? `; options are ${known.join(', ')}` : ' (it takes none)'}`,
        );
      }
    }
    const params: ActivationParams = { ...entry.defaults, ...options };
    return applyActivation(built.fn, entry.name, x, params, built.names);
  };
  functions.set(entry.name, call);
  return call;
}

/** An entry's function by its name ('relu', 'heaviside/atan', 'roundSTE/clip', …). */
export function activationFunction(name: string): ActivationFn {
  const fn = functions.get(name);
  if (!fn) throw new Error(`activationFunction: no activation named '${name}'; known: ${[...functions.keys()].join(', ')}`);
  return fn;
}

/** Every activation of the library, for docs, demos and other backends' adapters. */
export function activationEntries(): readonly ActivationEntry[] {
  return entries;
}

const PYTORCH = 'PyTorch torch.nn.functional';

export const relu = defineActivation({
  name: 'relu',
  title: 'ReLU',
  forward: 'relu',
  derivative: 'reluMask',
  defaults: {},
  forwardText: 'max(x, 0)',
  derivativeText: 'x > 0 ? 1 : 0',
  atZero: "relu'(0) = 0; relu(NaN) = NaN, relu'(NaN) = 1 (PyTorch)",
  source: `${PYTORCH}.relu`,
  surrogate: false,
});

export const leakyRelu = defineActivation({
  name: 'leakyRelu',
  title: 'LeakyReLU',
  forward: 'leakyRelu',
  derivative: 'leakyReluMask',
  defaults: { slope: 0.01 },
  forwardText: 'x > 0 ? x : slope·x',
  derivativeText: 'x > 0 ? 1 : slope',
  atZero: "leakyRelu'(0) = slope (PyTorch)",
  source: `${PYTORCH}.leaky_relu`,
  surrogate: false,
});

export const elu = defineActivation({
  name: 'elu',
  title: 'ELU',
  forward: 'elu',
  derivative: 'eluFromY',
  defaults: { alpha: 1 },
  forwardText: 'x > 0 ? x : α(eˣ − 1)',
  derivativeText: 'y > 0 ? 1 : y + α (from the output)',
  atZero: "elu'(0) = α",
  source: `${PYTORCH}.elu (Clevert et al. 2016)`,
  surrogate: false,
});

const geluErf = defineActivation({
  name: 'gelu',
  title: 'GELU',
  forward: 'gelu',
  derivative: 'gelu',
  defaults: {},
  forwardText: 'x·Φ(x) = ½x(1 + erf(x/√2))',
  derivativeText: 'Φ(x) + x·φ(x)',
  atZero: "gelu'(0) = ½",
  source: `${PYTORCH}.gelu (Hendrycks & Gimpel 2016)`,
  surrogate: false,
});

const geluTanh = defineActivation({
  name: 'geluTanh',
  title: 'GELUTanh',
  forward: 'geluTanh',
  derivative: 'geluTanh',
  defaults: {},
  forwardText: '½x(1 + tanh(√(2/π)(x + 0.044715x³)))',
  derivativeText: 'its derivative',
  atZero: "gelu'(0) = ½",
  source: `${PYTORCH}.gelu(approximate='tanh')`,
  surrogate: false,
});

/** GELU, exact (erf) by default or its tanh approximation with `{ approximate: 'tanh' }`. */
export function gelu(x: Tensor, options: { approximate?: 'none' | 'tanh' } = {}): Tensor {
  const a = options.approximate ?? 'none';
  if (a !== 'none' && a !== 'tanh') throw new TypeError(`gelu: approximate must be 'none' or 'tanh', got ${String(a)}`);
  return a === 'tanh' ? geluTanh(x) : geluErf(x);
}

export const silu = defineActivation({
  name: 'silu',
  title: 'SiLU',
  forward: 'silu',
  derivative: 'silu',
  defaults: {},
  forwardText: 'x·σ(x)',
  derivativeText: 'σ(x)(1 + x(1 − σ(x)))',
  atZero: "silu'(0) = ½",
  source: `${PYTORCH}.silu (Elfwing et al. 2018)`,
  surrogate: false,
});

export const sigmoid = defineActivation({
  name: 'sigmoid',
  title: 'Sigmoid',
  forward: 'sigmoid',
  derivative: 'sigmoidFromY',
  defaults: {},
  forwardText: '1 / (1 + e⁻ˣ)',
  derivativeText: 'y(1 − y) (from the output)',
  atZero: "σ'(0) = ¼",
  source: 'PyTorch torch.sigmoid',
  surrogate: false,
});

export const tanh = defineActivation({
  name: 'tanh',
  title: 'Tanh',
  forward: 'tanh',
  derivative: 'tanhFromY',
  defaults: {},
  forwardText: 'tanh(x)',
  derivativeText: '1 − y² (from the output)',
  atZero: "tanh'(0) = 1",
  source: 'PyTorch torch.tanh',
  surrogate: false,
});

export const softplus = defineActivation({
  name: 'softplus',
  title: 'Softplus',
  forward: 'softplus',
  derivative: 'softplus',
  defaults: { beta: 1, threshold: 20 },
  forwardText: 'βx > threshold ? x : log(1 + e^(βx)) / β',
  derivativeText: 'βx > threshold ? 1 : σ(βx)',
  atZero: "softplus'(0) = ½",
  source: `${PYTORCH}.softplus`,
  surrogate: false,
});

export const hardtanh = defineActivation({
  name: 'hardtanh',
  title: 'Hardtanh',
  forward: 'hardtanh',
  derivative: 'hardtanhMask',
  defaults: { minVal: -1, maxVal: 1 },
  forwardText: 'clamp(x, minVal, maxVal)',
  derivativeText: 'minVal < x < maxVal ? 1 : 0',
  atZero: "hardtanh'(0) = 1; at the bounds 0 (PyTorch)",
  source: `${PYTORCH}.hardtanh`,
  surrogate: false,
});

export const reluWithLeakyGrad = defineActivation({
  name: 'reluWithLeakyGrad',
  title: 'ReLUWithLeakyGrad',
  forward: 'relu',
  derivative: 'leakyReluMask',
  defaults: { slope: 0.01 },
  forwardText: 'max(x, 0)',
  derivativeText: 'x > 0 ? 1 : slope',
  atZero: "slope at 0, as PyTorch's LeakyReLU (the thread's NSReLU uses 1 there)",
  source: 'the PyTorch forum thread "ReLU forward, leaky ReLU backward"',
  surrogate: true,
});

export const bSiLU = defineActivation({
  name: 'bSiLU',
  title: 'BSiLU',
  forward: 'relu',
  derivative: 'bSiLU',
  defaults: { alpha: 1.67 },
  forwardText: 'max(x, 0)',
  derivativeText: "B-SiLU'(x) = σ(x) + (x + α)σ(x)(1 − σ(x)), B-SiLU(x) = (x + α)σ(x) − α/2",
  atZero: '½ + α/4 at 0',
  source: 'SUGAR (Horuz et al. 2025, "The Resurrection of the ReLU")',
  surrogate: true,
});

export const neLU = defineActivation({
  name: 'neLU',
  title: 'NeLU',
  forward: 'relu',
  derivative: 'neLU',
  defaults: { alpha: 0.1 },
  forwardText: 'max(x, 0)',
  derivativeText: 'x > 0 ? 1 : α(1 − x²)/(1 + x²)², the derivative of αx/(1 + x²)',
  atZero: 'α at 0',
  source: 'SUGAR (Horuz et al. 2025): a NeLU-style surrogate with a bounded negative-side derivative',
  surrogate: true,
});

const SPIKE = 'x > 0 ? 1 : 0';

const heavisideWith = {
  straightThrough: defineActivation({
    name: 'heaviside/straightThrough',
    title: 'HeavisideST',
    forward: 'heaviside',
    derivative: 'straightThrough',
    defaults: {},
    forwardText: SPIKE,
    derivativeText: '1',
    atZero: 'spike 0 at 0; gradient 1 everywhere',
    source: 'straight-through estimator (Bengio et al. 2013); snnTorch straight_through_estimator',
    surrogate: true,
  }),
  fastSigmoid: defineActivation({
    name: 'heaviside/fastSigmoid',
    title: 'HeavisideFastSigmoid',
    forward: 'heaviside',
    derivative: 'fastSigmoid',
    defaults: { slope: 25 },
    forwardText: SPIKE,
    derivativeText: '1 / (slope·|x| + 1)²',
    atZero: 'spike 0 at 0; gradient 1 at 0',
    source: 'SuperSpike (Zenke & Ganguli 2018); snnTorch fast_sigmoid (slope 25)',
    surrogate: true,
  }),
  atan: defineActivation({
    name: 'heaviside/atan',
    title: 'HeavisideATan',
    forward: 'heaviside',
    derivative: 'atan',
    defaults: { alpha: 2 },
    forwardText: SPIKE,
    derivativeText: '(α/2) / (1 + (πα x / 2)²)',
    atZero: 'spike 0 at 0; gradient α/2 at 0',
    source: 'Fang et al. 2021; snnTorch atan (alpha 2), SpikingJelly ATan',
    surrogate: true,
  }),
  sigmoid: defineActivation({
    name: 'heaviside/sigmoid',
    title: 'HeavisideSigmoid',
    forward: 'heaviside',
    derivative: 'sigmoidSurrogate',
    defaults: { slope: 25 },
    forwardText: SPIKE,
    derivativeText: 'slope·σ(slope·x)(1 − σ(slope·x))',
    atZero: 'spike 0 at 0; gradient slope/4 at 0',
    source: 'snnTorch sigmoid (slope 25); SpikingJelly Sigmoid',
    surrogate: true,
  }),
  triangular: defineActivation({
    name: 'heaviside/triangular',
    title: 'HeavisideTriangular',
    forward: 'heaviside',
    derivative: 'triangular',
    defaults: { width: 1, scale: 1 },
    forwardText: SPIKE,
    derivativeText: 'scale · max(0, 1 − |x|/width)',
    atZero: 'spike 0 at 0; gradient scale at 0',
    source: 'piecewise-linear pseudo-derivative (Esser et al. 2016; Bellec et al. 2018); snnTorch triangular',
    surrogate: true,
  }),
  piecewiseLeaky: defineActivation({
    name: 'heaviside/piecewiseLeaky',
    title: 'HeavisidePiecewiseLeaky',
    forward: 'heaviside',
    derivative: 'piecewiseLeaky',
    defaults: { width: 1, leak: 0.01 },
    forwardText: SPIKE,
    derivativeText: '|x| < width ? 1/width : leak',
    atZero: 'spike 0 at 0; gradient 1/width at 0',
    source: 'SpikingJelly PiecewiseLeakyReLU (w 1, c 0.01)',
    surrogate: true,
  }),
};

export type HeavisideSurrogate = keyof typeof heavisideWith;

export interface HeavisideOptions {
  /** The derivative used in backward (default fastSigmoid, snnTorch's default). */
  surrogate?: HeavisideSurrogate;
  slope?: number;
  alpha?: number;
  width?: number;
  scale?: number;
  leak?: number;
}

/** A spike: forward x > 0 ? 1 : 0 (NaN stays NaN); backward a surrogate derivative. */
export function heaviside(x: Tensor, options: HeavisideOptions = {}): Tensor {
  const { surrogate = 'fastSigmoid', ...rest } = options;
  const fn = heavisideWith[surrogate];
  if (!fn)
    throw new TypeError(`heaviside: unknown surrogate '${String(surrogate)}'; surrogates are ${Object.keys(heavisideWith).join(', ')}`);
  return fn(x, rest as Record<string, number>);
}

export const signSTE = defineActivation({
  name: 'signSTE',
  title: 'SignSTE',
  forward: 'sign',
  derivative: 'signWindowMask',
  defaults: {},
  forwardText: 'sign(x)',
  derivativeText: '|x| ≤ 1 ? 1 : 0 (the hardtanh straight-through estimator)',
  atZero: 'sign(0) = 0; gradient 1 at 0',
  source: 'BinaryNet (Courbariaux, Hubara et al. 2016)',
  surrogate: true,
});

export const approxSign = defineActivation({
  name: 'approxSign',
  title: 'ApproxSign',
  forward: 'sign',
  derivative: 'approxSign',
  defaults: {},
  forwardText: 'sign(x)',
  derivativeText: 'max(0, 2 − 2|x|)',
  atZero: 'sign(0) = 0; gradient 2 at 0',
  source: 'Bi-Real Net (Liu et al. 2018)',
  surrogate: true,
});

const roundIdentity = defineActivation({
  name: 'roundSTE',
  title: 'RoundSTE',
  forward: 'round',
  derivative: 'straightThrough',
  defaults: {},
  forwardText: 'round(x), half to even',
  derivativeText: '1',
  atZero: 'gradient 1 everywhere',
  source: 'straight-through estimator for quantization (Bengio et al. 2013)',
  surrogate: true,
});

const roundClipped = defineActivation({
  name: 'roundSTE/clip',
  title: 'RoundSTEClipped',
  forward: 'round',
  derivative: 'windowMask',
  defaults: { low: -1, high: 1 },
  forwardText: 'round(x), half to even',
  derivativeText: 'low ≤ x ≤ high ? 1 : 0',
  atZero: 'gradient 1 inside the window, bounds included',
  source: 'clipped straight-through estimator (e.g. PACT-style quantization)',
  surrogate: true,
});

/** Round half to even forward; identity gradient, or 1 only inside `clip: [low, high]`. */
export function roundSTE(x: Tensor, options: { clip?: readonly [number, number] } = {}): Tensor {
  if (options.clip === undefined) return roundIdentity(x);
  const [low, high] = options.clip;
  if (!(low <= high)) throw new RangeError(`roundSTE: clip must be [low, high] with low ≤ high, got [${low}, ${high}]`);
  return roundClipped(x, { low, high });
}

export interface SurrogateSpec {
  /** A forward kind name (see listForwardKinds), e.g. 'relu', 'heaviside', 'sign'. */
  forward: string;
  /** A derivative kind name (see listDerivativeKinds), e.g. 'fastSigmoid', 'leakyReluMask'. */
  backward: string;
  /** Parameter values for both kinds. */
  params?: Readonly<Record<string, number>>;
  name?: string;
}

/** Pairs any forward kind with any derivative kind: `surrogate({ forward: 'relu', backward: 'atan', params: { alpha: 2 } })`. */
export function surrogate(spec: SurrogateSpec): (x: Tensor) => Tensor {
  const fwd = forwardKind(spec.forward);
  const der = derivativeKind(spec.backward);
  const params = spec.params ?? {};
  const names = [...new Set([...fwd.params, ...der.params])];
  const title = spec.name ?? `Surrogate(${fwd.name}, ${der.name})`;
  for (const n of Object.keys(params)) {
    if (!names.includes(n))
      throw new TypeError(`surrogate: unknown parameter '${n}'; ${fwd.name} and ${der.name} take ${names.join(', ') || 'none'}`);
  }
  const fn = defineActivationFunction({ name: title, forward: fwd.name, derivative: der.name });
  return (x: Tensor) => applyActivation(fn, 'surrogate', x, params, names);
}
