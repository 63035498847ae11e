/**
 * The activation library: each export is one entry pairing a forward kind with a derivative kind,
 * with its default options, what backward saves, its convention at 0, and where it comes from.
 * Entries whose derivative is not their forward's are the point: surrogate gradients.
 */
import { noGrad } from '../autograd/grad-mode.js';
import { isFloat } from '../dtype.js';
import { scoped } from '../scope.js';
import { isTensor, type Tensor } from '../tensor.js';
import { type ActivationParams, applyActivation, defineActivationFunction } from './function.js';
import { derivativeKind, forwardKind } from './kinds.js';
import { learnableSpike, surrogatePrimitive } from './learnable-surrogate.js';

/** One activation of the library: the kinds it pairs, its option defaults, and the descriptions the docs page shows. */
export interface ActivationEntry {
  /** The export's name. */
  name: string;
  /** The Function's (and nn module's) name. */
  title: string;
  /** Name of its forward kind. */
  forward: string;
  /** Name of its derivative kind. */
  derivative: string;
  /** Option defaults; also the option names users pass. */
  defaults: Readonly<Record<string, number>>;
  /** Human descriptions, for the docs page. */
  forwardText: string;
  /** Human description of the gradient backward uses. */
  derivativeText: string;
  /** Its value and gradient conventions at 0 (and NaN, where notable). */
  atZero: string;
  /** Where it comes from: the PyTorch function or the paper. */
  source: string;
  /** True where backward is deliberately not the forward's derivative. */
  surrogate: boolean;
}

const entries: ActivationEntry[] = [];
const functions = new Map<string, ActivationFn>();

/** An activation from the library: applies elementwise to `x` with `options` overriding the entry's defaults (unknown option names throw). Int and bool inputs compute in float32. */
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

/** max(x, 0), as `torch.nn.functional.relu`; the gradient is 0 at x = 0 and backward saves only a 1-bit mask. */
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

/** x > 0 ? x : slope·x with `slope` 0.01 by default, as `torch.nn.functional.leaky_relu`; the gradient at 0 is `slope`. */
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

/** x > 0 ? x : alpha·(eˣ − 1) with `alpha` 1 by default, as `torch.nn.functional.elu`; backward reads the output. */
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

/** x·σ(x), as `torch.nn.functional.silu`. */
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

/** 1 / (1 + e⁻ˣ), as `torch.sigmoid`; backward reads the output, y(1 − y). */
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

/** Hyperbolic tangent, as `torch.tanh`; backward reads the output, 1 − y². */
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

/** log(1 + e^(βx)) / β, linear where βx > `threshold`; `beta` 1 and `threshold` 20 by default, as `torch.nn.functional.softplus`. */
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

/** x clamped to [minVal, maxVal] (default [-1, 1]), as `torch.nn.functional.hardtanh`; the gradient is 1 strictly inside, 0 at and beyond the bounds. */
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

/** Surrogate: ReLU forward, LeakyReLU backward (gradient `slope`, default 0.01, where x <= 0), so dead units still learn. */
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

const bSiLUWhole = defineActivation({
  name: 'bSiLU',
  title: 'BSiLU',
  forward: 'relu',
  derivative: 'bSiLU',
  defaults: { alpha: 1.67 },
  forwardText: 'max(x, 0)',
  derivativeText: "B-SiLU'(x) = σ(x) + (x + α)σ(x)(1 − σ(x)), B-SiLU(x) = (x + α)σ(x) − α/2",
  atZero: '½ + α/4 at 0',
  source: 'SUGAR (Horuz et al. 2025, "The Resurrection of the ReLU"), eq. 7; the surrogate on the whole axis',
  surrogate: true,
});

const bSiLUNegative = defineActivation({
  name: 'bSiLU/negative',
  title: 'BSiLUNegative',
  forward: 'relu',
  derivative: 'bSiLUNegative',
  defaults: { alpha: 1.67 },
  forwardText: 'max(x, 0)',
  derivativeText: "x > 0 ? 1 : B-SiLU'(x)",
  atZero: '½ + α/4 at 0',
  source: "SUGAR's B-SiLU, applied only where ReLU's derivative is 0",
  surrogate: true,
});

/** Options of {@link bSiLU}. */
export interface BSiLUOptions {
  /** B-SiLU's α (default 1.67, SUGAR's). */
  alpha?: number;
  /**
   * Where B-SiLU's derivative replaces ReLU's: `'all'` (default) on the whole axis, as SUGAR's
   * surrogates are whole-axis functions (its NeLU spells out its x > 0 branch, which only matters
   * so); `'negative'` only for x ≤ 0, keeping ReLU's 1 above 0.
   */
  where?: 'all' | 'negative';
}

/** Surrogate: ReLU forward, the B-SiLU derivative σ(x) + (x + alpha)·σ(x)(1 − σ(x)) backward, `alpha` 1.67 by default (SUGAR, Horuz et al. 2025); `where: 'negative'` keeps ReLU's gradient 1 above 0. */
export function bSiLU(x: Tensor, options: BSiLUOptions = {}): Tensor {
  const { where = 'all', ...rest } = options;
  if (where === 'all') return bSiLUWhole(x, rest as Record<string, number>);
  if (where === 'negative') return bSiLUNegative(x, rest as Record<string, number>);
  throw new TypeError(`bSiLU: option 'where' must be 'all' or 'negative', got ${String(where)}`);
}

/** Surrogate: ReLU forward; backward 1 for x > 0, else 2·alpha·x/(1 + x²)² (the derivative of SUGAR's NeLU, −alpha/(1 + x²) for x ≤ 0), `alpha` 0.1 by default. */
export const neLU = defineActivation({
  name: 'neLU',
  title: 'NeLU',
  forward: 'relu',
  derivative: 'neLU',
  defaults: { alpha: 0.1 },
  forwardText: 'max(x, 0)',
  derivativeText: 'x > 0 ? 1 : 2αx/(1 + x²)², the derivative of NeLU = x > 0 ? x : −α/(1 + x²)',
  atZero: '0 at 0 (negative below, 1 above)',
  source: 'SUGAR (Horuz et al. 2025, "The Resurrection of the ReLU"), NeLU',
  surrogate: true,
});

const SPIKE = 'x > 0 ? 1 : 0';
/** SpikingJelly's spike, which fires at 0 as well. */
const SPIKE_AT_ZERO = 'x ≥ 0 ? 1 : 0';
const SPIKINGJELLY = 'SpikingJelly activation_based/surrogate.py';
const SNNTORCH = 'snnTorch snntorch/surrogate.py';
const NORSE = 'Norse norse/torch/functional/threshold.py';

/**
 * The heaviside activations by surrogate name; {@link heaviside} picks one.
 *
 * @internal
 */
export const heavisideWith = {
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
    defaults: { width: 1, scale: 0.3 },
    forwardText: SPIKE,
    derivativeText: 'scale · max(0, 1 − |x|/width)',
    atZero: 'spike 0 at 0; gradient scale at 0',
    source: 'Norse triangle (α·relu(1 − |x|), α 0.3; norse/torch/functional/threshold.py), as Bellec et al. 2018',
    surrogate: true,
  }),
  piecewiseLeaky: defineActivation({
    name: 'heaviside/piecewiseLeaky',
    title: 'HeavisidePiecewiseLeaky',
    forward: 'heavisideAtZero',
    derivative: 'piecewiseLeaky',
    defaults: { width: 1, leak: 0.01 },
    forwardText: SPIKE_AT_ZERO,
    derivativeText: '|x| < width ? 1/(2·width) : leak',
    atZero: 'spike 1 at 0 (as SpikingJelly); gradient 1/(2·width) at 0',
    source: 'SpikingJelly PiecewiseLeakyReLU (w 1, c 0.01; activation_based/surrogate.py, piecewise_leaky_relu_backward)',
    surrogate: true,
  }),
  piecewiseQuadratic: defineActivation({
    name: 'heaviside/piecewiseQuadratic',
    title: 'HeavisidePiecewiseQuadratic',
    forward: 'heavisideAtZero',
    derivative: 'piecewiseQuadratic',
    defaults: { alpha: 1 },
    forwardText: SPIKE_AT_ZERO,
    derivativeText: '|x| ≤ 1/α ? α − α²|x| : 0',
    atZero: 'spike 1 at 0; gradient α at 0',
    source: `${SPIKINGJELLY}, PiecewiseQuadratic (α 1; piecewise_quadratic_backward), as Esser et al. 2016`,
    surrogate: true,
  }),
  piecewiseExp: defineActivation({
    name: 'heaviside/piecewiseExp',
    title: 'HeavisidePiecewiseExp',
    forward: 'heavisideAtZero',
    derivative: 'piecewiseExp',
    defaults: { alpha: 1 },
    forwardText: SPIKE_AT_ZERO,
    derivativeText: '(α/2)·e^(−α|x|)',
    atZero: 'spike 1 at 0; gradient α/2 at 0',
    source: `${SPIKINGJELLY}, PiecewiseExp (α 1; piecewise_exp_backward), as SLAYER (Shrestha & Orchard 2018)`,
    surrogate: true,
  }),
  softSign: defineActivation({
    name: 'heaviside/softSign',
    title: 'HeavisideSoftSign',
    forward: 'heavisideAtZero',
    derivative: 'softSign',
    defaults: { alpha: 2 },
    forwardText: SPIKE_AT_ZERO,
    derivativeText: 'α / (2(1 + α|x|)²), the derivative of (softsign(αx) + 1)/2',
    atZero: 'spike 1 at 0; gradient α/2 at 0',
    source: `${SPIKINGJELLY}, SoftSign (α 2; soft_sign_backward)`,
    surrogate: true,
  }),
  erf: defineActivation({
    name: 'heaviside/erf',
    title: 'HeavisideErf',
    forward: 'heavisideAtZero',
    derivative: 'erfSurrogate',
    defaults: { alpha: 2 },
    forwardText: SPIKE_AT_ZERO,
    derivativeText: '(α/√π)·e^(−α²x²), the derivative of erfc(−αx)/2',
    atZero: 'spike 1 at 0; gradient α/√π at 0',
    source: `${SPIKINGJELLY}, Erf (α 2; erf_backward)`,
    surrogate: true,
  }),
  s2nn: defineActivation({
    name: 'heaviside/s2nn',
    title: 'HeavisideS2NN',
    forward: 'heavisideAtZero',
    derivative: 's2nn',
    defaults: { alpha: 4, beta: 1 },
    forwardText: SPIKE_AT_ZERO,
    derivativeText: 'x < 0 ? α·σ(αx)(1 − σ(αx)) : β/(x + 1)',
    atZero: 'spike 1 at 0; gradient β at 0',
    source: `${SPIKINGJELLY}, S2NN (α 4, β 1; s2nn.backward), Suetake et al. 2023`,
    surrogate: true,
  }),
  qPseudoSpike: defineActivation({
    name: 'heaviside/qPseudoSpike',
    title: 'HeavisideQPseudoSpike',
    forward: 'heavisideAtZero',
    derivative: 'qPseudoSpike',
    defaults: { alpha: 2 },
    forwardText: SPIKE_AT_ZERO,
    derivativeText: '(1 + 2|x|/(α − 1))^(−α)',
    atZero: 'spike 1 at 0; gradient 1 at 0',
    source: `${SPIKINGJELLY}, QPseudoSpike (α 2; q_pseudo_spike.backward), Sun et al. 2022`,
    surrogate: true,
  }),
  heaviTanh: defineActivation({
    name: 'heaviside/heaviTanh',
    title: 'HeavisideHeaviTanh',
    forward: 'heaviside',
    derivative: 'heaviTanh',
    defaults: { k: 100 },
    forwardText: SPIKE,
    derivativeText: '1 − tanh²(k·x) (Norse leaves out the k of d/dx tanh(kx))',
    atZero: 'spike 0 at 0; gradient 1 at 0',
    source: `${NORSE}, heavi_tanh_fn (HeaviTanh.backward; k defaults to LIFParameters' alpha, 100)`,
    surrogate: true,
  }),
  heaviErfc: defineActivation({
    name: 'heaviside/heaviErfc',
    title: 'HeavisideHeaviErfc',
    forward: 'heaviside',
    derivative: 'heaviErfc',
    defaults: { k: 100 },
    forwardText: SPIKE,
    derivativeText: '2e^(−k²x²)/√π (as Norse writes it, without a factor k)',
    atZero: 'spike 0 at 0; gradient 2/√π at 0',
    source: `${NORSE}, heavi_erfc_fn (HeaviErfc.backward; k defaults to LIFParameters' alpha, 100)`,
    surrogate: true,
  }),
  heaviCirc: defineActivation({
    name: 'heaviside/heaviCirc',
    title: 'HeavisideHeaviCirc',
    forward: 'heaviside',
    derivative: 'heaviCirc',
    defaults: { alpha: 100 },
    forwardText: SPIKE,
    derivativeText: '2α(1/(2√(α² + x²)) − x²/(2(α² + x²)^1.5)), which is α³/(α² + x²)^1.5',
    atZero: 'spike 0 at 0; gradient 1 at 0',
    source: `${NORSE}, heavi_circ_fn (HeaviCirc.backward; α defaults to LIFParameters' alpha, 100)`,
    surrogate: true,
  }),
  spikeRateEscape: defineActivation({
    name: 'heaviside/spikeRateEscape',
    title: 'HeavisideSpikeRateEscape',
    forward: 'heaviside',
    derivative: 'spikeRateEscape',
    defaults: { beta: 1, slope: 25 },
    forwardText: SPIKE,
    derivativeText: 'slope·e^(−β|x − 1|)',
    atZero: 'spike 0 at 0; gradient slope·e^(−β) at 0',
    source: `${SNNTORCH}, spike_rate_escape (β 1, slope 25; SpikeRateEscape.backward)`,
    surrogate: true,
  }),
  sparseFastSigmoid: defineActivation({
    name: 'heaviside/sparseFastSigmoid',
    title: 'HeavisideSparseFastSigmoid',
    forward: 'heaviside',
    derivative: 'sparseFastSigmoid',
    defaults: { slope: 25, b: 1 },
    forwardText: SPIKE,
    derivativeText: 'x > b ? 1/(slope·|x| + 1)² : 0',
    atZero: 'spike 0 at 0; gradient 0 at 0 (for b ≥ 0)',
    source: `${SNNTORCH}, SFS (slope 25, B 1; SparseFastSigmoid.backward), Perez-Nieves & Goodman 2021`,
    surrogate: true,
  }),
  superSpike: defineActivation({
    name: 'heaviside/superSpike',
    title: 'HeavisideSuperSpike',
    forward: 'heavisideAtZero',
    derivative: 'superSpike',
    defaults: { alpha: 1 },
    forwardText: SPIKE_AT_ZERO,
    derivativeText: 'α / (|x| + 1)²',
    atZero: 'spike 1 at 0; gradient α at 0',
    source: `${SPIKINGJELLY}, SuperSpike (α 1; super_spike_backward), Zenke & Ganguli 2018`,
    surrogate: true,
  }),
  rect: defineActivation({
    name: 'heaviside/rect',
    title: 'HeavisideRect',
    forward: 'heavisideAtZero',
    derivative: 'rect',
    defaults: { alpha: 1 },
    forwardText: SPIKE_AT_ZERO,
    derivativeText: '|x| < 0.5/α ? α : 0',
    atZero: 'spike 1 at 0; gradient α at 0',
    source: `${SPIKINGJELLY}, Rect (α 1; rect_backward)`,
    surrogate: true,
  }),
  logTailedReLU: defineActivation({
    name: 'heaviside/logTailedReLU',
    title: 'HeavisideLogTailedReLU',
    forward: 'heavisideAtZero',
    derivative: 'logTailedReLU',
    defaults: { alpha: 0 },
    forwardText: SPIKE_AT_ZERO,
    derivativeText: 'x ≤ 0 ? α : x ≤ 1 ? 1 : 1/x',
    atZero: 'spike 1 at 0; gradient α at 0',
    source: `${SPIKINGJELLY}, LogTailedReLU (α 0; log_tailed_relu_backward), Cai et al. 2017`,
    surrogate: true,
  }),
  boxcar: defineActivation({
    name: 'heaviside/boxcar',
    title: 'HeavisideBoxcar',
    forward: 'heaviside',
    derivative: 'boxcar',
    defaults: { width: 2, height: 0.5 },
    forwardText: SPIKE,
    derivativeText: '|x| < width/2 ? height : 0',
    atZero: 'spike 0 at 0; gradient height at 0',
    source: 'Spyx spyx/axn.py, boxcar (width 2, height 0.5; grad_boxcar)',
    surrogate: true,
  }),
  spyxArctan: defineActivation({
    name: 'heaviside/spyxArctan',
    title: 'HeavisideSpyxArctan',
    forward: 'heaviside',
    derivative: 'spyxArctan',
    defaults: { k: 2 },
    forwardText: SPIKE,
    derivativeText: '1 / (π(1 + (kπx)²))',
    atZero: 'spike 0 at 0; gradient 1/π at 0',
    source: "Spyx spyx/axn.py, arctan (k 2; grad_arctan): snnTorch's atan up to scale",
    surrogate: true,
  }),
  snnTorchTriangular: defineActivation({
    name: 'heaviside/snnTorchTriangular',
    title: 'HeavisideSnnTorchTriangular',
    forward: 'heaviside',
    derivative: 'signedStep',
    defaults: { threshold: 1 },
    forwardText: SPIKE,
    derivativeText: 'x < 0 ? threshold : −threshold',
    atZero: 'spike 0 at 0; gradient −threshold at 0',
    source: `${SNNTORCH}, triangular (threshold 1; Triangular.backward): not Norse's triangle, which is heaviside/triangular`,
    surrogate: true,
  }),
  heaviside: defineActivation({
    name: 'heaviside/heaviside',
    title: 'HeavisideGate',
    forward: 'heaviside',
    derivative: 'spikeGate',
    defaults: {},
    forwardText: SPIKE,
    derivativeText: 'x > 0 ? 1 : 0 (the gradient passes where the neuron spiked)',
    atZero: 'spike 0 at 0; gradient 0 at 0',
    source: `${SNNTORCH}, heaviside (Heaviside.backward)`,
    surrogate: true,
  }),
  slayer: defineActivation({
    name: 'heaviside/slayer',
    title: 'HeavisideSlayer',
    forward: 'heavisideAtZero',
    derivative: 'slayer',
    defaults: { scale: 1, tau: 1 },
    forwardText: SPIKE_AT_ZERO,
    derivativeText: 'scale/(2τ) · e^(−|x|/τ)',
    atZero: 'spike 1 at 0 (voltage ≥ threshold); gradient scale/(2τ) at 0',
    source:
      'Lava-dl SLAYER (lava/lib/dl/slayer/spike/spike.py, _spike_backward; scale_rho = scale_grad 1, tau_rho = tau_grad·threshold, 1·1), Shrestha & Orchard 2018',
    surrogate: true,
  }),
  leakySpikeOperator: defineActivation({
    name: 'heaviside/leakySpikeOperator',
    title: 'HeavisideLeakySpikeOperator',
    forward: 'heaviside',
    derivative: 'leakySpikeOperator',
    defaults: { slope: 0.1 },
    forwardText: SPIKE,
    derivativeText: 'x > 0 ? 1 : slope',
    atZero: 'spike 0 at 0; gradient slope at 0',
    source: `${SNNTORCH}, LeakySpikeOperator (LSO, slope 0.1)`,
    surrogate: true,
  }),
};

/** The surrogate derivatives {@link heaviside} offers, by name. */
export type HeavisideSurrogate = keyof typeof heavisideWith;

/**
 * A surrogate parameter: a number, or a Tensor (a scalar, or per neuron: broadcasting to the
 * input) that is learnt. The spike does not depend on it, so its gradient comes from the same
 * pretence as the input's: backward treats the spike as the surrogate's primitive σ(x; α), the
 * smooth step from 0 whose derivative the surrogate is, and α gets Σ dy·∂σ/∂α. Surrogates whose
 * derivative has no bounded primitive (straightThrough, piecewiseLeaky, logTailedReLU, …) say so.
 */
export type SurrogateParam = number | Tensor;

/** Options of {@link heaviside}: the surrogate, and its parameters (each surrogate reads only its own; a Tensor is learnt, see {@link SurrogateParam}). */
export interface HeavisideOptions {
  /** The derivative used in backward (default fastSigmoid, snnTorch's default). */
  surrogate?: HeavisideSurrogate;
  /** Steepness of fastSigmoid, sigmoid, sparseFastSigmoid and spikeRateEscape (default 25); leakySpikeOperator's gradient below 0 (default 0.1). */
  slope?: SurrogateParam;
  /** Scale of atan (default 2: the gradient at 0 is alpha/2), piecewiseQuadratic, piecewiseExp, superSpike and rect (default 1), softSign, erf and qPseudoSpike (default 2), s2nn (default 4), heaviCirc (default 100); logTailedReLU's gradient below 0 (default 0). */
  alpha?: SurrogateParam;
  /** Half-width of the window around 0 of triangular and piecewiseLeaky (default 1); the full width of boxcar's (default 2). */
  width?: SurrogateParam;
  /** boxcar's gradient inside its window (default 0.5). */
  height?: SurrogateParam;
  /** Peak gradient of triangular, at 0 (default 0.3, Norse's α); slayer's scale_rho (default 1). */
  scale?: SurrogateParam;
  /** slayer's τ_ρ, the width of its exponential (default 1; lava-dl uses tau_grad · threshold). */
  tau?: SurrogateParam;
  /** Gradient of piecewiseLeaky outside the window (default 0.01). */
  leak?: SurrogateParam;
  /** s2nn's gradient scale for x ≥ 0 (default 1); spikeRateEscape's decay (default 1). */
  beta?: SurrogateParam;
  /** sparseFastSigmoid's cut-off: no gradient at or below it (default 1). */
  b?: SurrogateParam;
  /** Steepness of heaviTanh and heaviErfc (default 100, Norse's) and spyxArctan (default 2). */
  k?: SurrogateParam;
  /** snnTorchTriangular's gradient magnitude: threshold below 0, −threshold from 0 (default 1). */
  threshold?: SurrogateParam;
}

/** A spike: forward x > 0 ? 1 : 0 (NaN stays NaN); backward a surrogate derivative. A parameter passed as a Tensor is learnt: see {@link HeavisideOptions}. */
export function heaviside(x: Tensor, options: HeavisideOptions = {}): Tensor {
  const { surrogate = 'fastSigmoid', ...rest } = options;
  const fn = heavisideWith[surrogate];
  if (!fn)
    throw new TypeError(`heaviside: unknown surrogate '${String(surrogate)}'; surrogates are ${Object.keys(heavisideWith).join(', ')}`);
  if (!Object.values(rest).some(isTensor)) return fn(x, rest as Record<string, number>);
  return heavisideLearnable(surrogate, x, rest);
}

/** heaviside with tensor parameters: the spike from the fused kernel, backward through the surrogate's primitive. */
function heavisideLearnable(surrogate: HeavisideSurrogate, x: Tensor, options: Record<string, number | Tensor | undefined>): Tensor {
  const entry = activationEntries().find((e) => e.name === `heaviside/${surrogate}`) as ActivationEntry;
  const op = `heaviside (surrogate '${surrogate}')`;
  if (!surrogatePrimitive(entry.derivative)) {
    const can = Object.keys(heavisideWith).filter((s) => {
      const e = activationEntries().find((a) => a.name === `heaviside/${s}`);
      return e !== undefined && surrogatePrimitive(e.derivative) !== undefined;
    });
    throw new TypeError(
      `${op}: parameters passed as tensors are learnt, which this surrogate can't; surrogates that can: ${can.join(', ')}`,
    );
  }
  if (!isTensor(x)) throw new TypeError(`${op}: expected a Tensor`);
  const params: Record<string, number | Tensor> = { ...entry.defaults };
  for (const [k, v] of Object.entries(options)) {
    if (v === undefined) continue;
    if (!(k in entry.defaults)) {
      const known = Object.keys(entry.defaults);
      throw new TypeError(`${op}: unknown option '${k}'${known.length ? `; options are ${known.join(', ')}` : ' (it takes none)'}`);
    }
    params[k] = v;
  }
  x.assertAlive(op);
  return scoped(() => {
    const xf = isFloat(x.dtype) ? x : x.cast('float32');
    const spikes = noGrad(() => heavisideWith[surrogate](xf, entry.defaults));
    return learnableSpike(op, entry.derivative, spikes, xf, params);
  });
}

/** Surrogate: sign(x) forward, the straight-through estimator backward (gradient 1 where |x| <= 1, else 0), as in BinaryNet. */
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

/** Surrogate: sign(x) forward, the piecewise-polynomial derivative max(0, 2 − 2|x|) backward, as in Bi-Real Net. */
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

/** What {@link surrogate} pairs: any forward kind with any derivative kind, and their parameter values. */
export interface SurrogateSpec {
  /** A forward kind name (see listForwardKinds), e.g. 'relu', 'heaviside', 'sign'. */
  forward: string;
  /** A derivative kind name (see listDerivativeKinds), e.g. 'fastSigmoid', 'leakyReluMask'. */
  backward: string;
  /** Parameter values for both kinds. */
  params?: Readonly<Record<string, number>>;
  /** The Function's name in errors (default `Surrogate(forward, backward)`). */
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
