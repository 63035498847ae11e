import { CNN } from './cnn.js';
import { MLP } from './mlp.js';

/** The architectures the demo trains: an MLP of the chosen widths, or LeNet-5. */
export type ModelName = 'mlp' | 'cnn';

export const MODEL_NAMES: readonly ModelName[] = ['mlp', 'cnn'];

/** A model the trainer, evaluation and reports work with. */
export type Classifier = MLP | CNN;

/** A fresh model for 28×28 digits: the MLP with `hidden` widths, or the CNN (which ignores them). */
export function createModel(
  model: ModelName,
  hidden: readonly number[],
  activation: MLP['activation'],
  seed: number,
  inputSize = 784,
): Classifier {
  return model === 'cnn' ? new CNN(activation, seed) : new MLP([inputSize, ...hidden, 10], activation, seed);
}

/** How a config's model reads in logs and reports. */
export function describeModel(model: ModelName, hidden: readonly number[]): string {
  return model === 'cnn' ? 'CNN LeNet-5 (conv 6@5×5, pool, conv 16@5×5, pool, 120, 84, 10)' : `MLP 784-${hidden.join('-')}-10`;
}
