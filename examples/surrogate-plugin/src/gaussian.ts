/**
 * The Gaussian surrogate gradient (Wu et al. 2018, "Spatio-Temporal Backpropagation"): a spike
 * forward (heaviside, a kind core already has) whose backward uses the density of N(0, σ²) in
 * place of the Dirac delta — the derivative of the smooth step Φ(x/σ).
 *
 * The derivative is one new derivative kind, an expression. Registering it is all a backend that
 * compiles kinds at run time needs (cpu compiles it to a typed-array loop, wasm to a loop over its
 * linear memory), so this file has no per-backend code.
 */
import { defineActivationFunction, isTensor, nn, registerDerivativeKind, type Tensor } from '@surrograd/core';

/** The derivative kind's name. Kind names are global: prefix them with your package's name. */
export const GAUSSIAN_KIND = 'gaussianSurrogate';

/** Reads the saved input x; `sigma` is the Gaussian's standard deviation. */
registerDerivativeKind(GAUSSIAN_KIND, {
  from: 'x',
  expr: 'exp(-(x * x) / (2 * sigma * sigma)) / (sigma * sqrt(2 * pi))',
  params: ['sigma'],
});

export interface GaussianOptions {
  /** Width of the surrogate: the standard deviation of the Gaussian (default 0.5, peak ≈ 0.8 at 0). */
  sigma?: number;
}

export const DEFAULT_SIGMA = 0.5;

// One differentiable Function for every call: Activation (heaviside) forward, one fused
// ActivationGrad (dy · gaussian(x)) backward.
const spikeWithGaussianGrad = defineActivationFunction({
  name: 'HeavisideGaussian',
  forward: 'heaviside',
  derivative: GAUSSIAN_KIND,
});

/**
 * A spike with a Gaussian surrogate gradient: forward `x > 0 ? 1 : 0` (NaN stays NaN), backward
 * `dy · exp(−x²/2σ²) / (σ√2π)`. Saves x for backward.
 *
 * @example
 * ```ts
 * const spikes = heavisideGaussian(membrane, { sigma: 0.3 });
 * ```
 */
export function heavisideGaussian(x: Tensor, options: GaussianOptions = {}): Tensor {
  if (!isTensor(x)) throw new TypeError('heavisideGaussian: expected a Tensor');
  for (const key of Object.keys(options)) {
    if (key !== 'sigma') throw new TypeError(`heavisideGaussian: unknown option '${key}'; options are sigma`);
  }
  const sigma = options.sigma ?? DEFAULT_SIGMA;
  if (typeof sigma !== 'number' || !(sigma > 0) || !Number.isFinite(sigma)) {
    throw new RangeError(`heavisideGaussian: sigma must be a finite number > 0, got ${String(sigma)}`);
  }
  if (x.dtype !== 'float32' && x.dtype !== 'float64') {
    throw new TypeError(`heavisideGaussian: x must be float32 or float64, got ${x.dtype} (cast it first)`);
  }
  return spikeWithGaussianGrad(x, { sigma });
}

/** The same activation as an `nn` layer: `new HeavisideGaussian({ sigma: 0.3 })`. */
export class HeavisideGaussian extends nn.Activation {
  constructor(readonly options: GaussianOptions = {}) {
    super('HeavisideGaussian', (x) => heavisideGaussian(x, options));
  }
}
