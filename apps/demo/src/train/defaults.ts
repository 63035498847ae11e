import type { ModelName } from '../model/classifier.js';
import type { OptimizerName, Schedule } from './config.js';

/**
 * What a default run uses: MLP 784-128-128-10, 3 epochs. Measured here: 97.8–97.9% test accuracy
 * over seeds 0–2 (96.5% after a single epoch), about 65 s of one core on cpu and a third of that
 * on wasm.
 */
export const DEFAULTS = {
  backend: 'auto',
  model: 'mlp' as ModelName,
  activation: 'reluWithLeakyGrad',
  hidden: [128, 128],
  epochs: 3,
  batch: 128,
  lr: 3e-3,
  optimizer: 'adam' as OptimizerName,
  momentum: 0,
  schedule: 'cosine' as Schedule,
  seed: 0,
};

/**
 * What the spiking net (--model snn) uses where the user gives nothing: snnTorch's default surrogate
 * (atan, α = 2) and one epoch, as snnTorch's tutorial 5.
 */
export const SNN_DEFAULTS = {
  activation: 'heaviside/atan',
  epochs: 1,
  lr: 2e-3,
};
