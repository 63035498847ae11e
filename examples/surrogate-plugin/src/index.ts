/**
 * surrograd-plugin-gaussian-surrogate: a third-party plugin for surrograd, written with only its
 * public API. Importing it registers a new derivative kind (the Gaussian surrogate, compiled by
 * every backend that compiles kinds) and hand-written kernels for a new kernel name (FiringRate),
 * on cpu and wasm.
 *
 *   import '@surrograd/backend-cpu';
 *   import { heavisideGaussian, firingRate } from 'surrograd-plugin-gaussian-surrogate';
 */
import './kernels/cpu.js';
import './kernels/wasm.js';

export { FIRING_RATE, firingRate, firingRateComposite } from './firing-rate.js';
export { DEFAULT_SIGMA, GAUSSIAN_KIND, type GaussianOptions, HeavisideGaussian, heavisideGaussian } from './gaussian.js';
