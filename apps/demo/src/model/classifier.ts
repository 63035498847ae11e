import { CNN } from './cnn.js';
import type { ModelName } from './describe.js';
import { MLP } from './mlp.js';

export { describeModel, MODEL_NAMES, type ModelName } from './describe.js';

/** A model the trainer, evaluation and reports work with. */
export type Classifier = MLP | CNN;

/** A fresh model for 28×28 digits: the MLP with `hidden` widths, or a conv net (which ignores them). */
export function createModel(
  model: ModelName,
  hidden: readonly number[],
  activation: MLP['activation'],
  seed: number,
  inputSize = 784,
): Classifier {
  return model === 'mlp' ? new MLP([inputSize, ...hidden, 10], activation, seed) : new CNN(activation, seed, model);
}
