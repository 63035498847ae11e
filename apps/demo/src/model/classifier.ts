import { CNN } from './cnn.js';
import type { ModelName } from './describe.js';
import { MLP } from './mlp.js';
import { type Encoding, SpikingNet } from './snn.js';

export { describeModel, MODEL_NAMES, type ModelName } from './describe.js';

/** A model the trainer, evaluation and reports work with. */
export type Classifier = MLP | CNN | SpikingNet;

/**
 * A fresh model for 28×28 digits: the MLP with `hidden` widths, a conv net, or the spiking net
 * (`encoding` its input code; both ignore `hidden`).
 */
export function createModel(
  model: ModelName,
  hidden: readonly number[],
  activation: MLP['activation'],
  seed: number,
  inputSize = 784,
  encoding: Encoding = 'rate',
): Classifier {
  if (model === 'mlp') return new MLP([inputSize, ...hidden, 10], activation, seed);
  if (model === 'snn') return new SpikingNet(activation, seed, encoding);
  return new CNN(activation, seed, model);
}
