import { type ImageShape, MNIST_SHAPE, shapeLabel } from '../data/mnist.js';
import { CNN } from './cnn.js';
import type { ModelName } from './describe.js';
import { MLP } from './mlp.js';
import { type Encoding, SpikingNet } from './snn.js';

export { describeModel, MODEL_NAMES, type ModelName } from './describe.js';

/** A model the trainer, evaluation and reports work with. */
export type Classifier = MLP | CNN | SpikingNet;

/**
 * A fresh model for images of `input`'s shape (default MNIST's): the MLP with `hidden` widths, a
 * conv net, or the spiking net (`encoding` its input code; both ignore `hidden`). The spiking net
 * takes 28×28 grayscale images only (its code turns MNIST-normalized pixels back into intensities).
 */
export function createModel(
  model: ModelName,
  hidden: readonly number[],
  activation: MLP['activation'],
  seed: number,
  input: ImageShape = MNIST_SHAPE,
  encoding: Encoding = 'rate',
): Classifier {
  if (model === 'mlp') return new MLP([input.channels * input.height * input.width, ...hidden, 10], activation, seed);
  if (model === 'snn') {
    if (input.channels !== 1 || input.height !== 28 || input.width !== 28) {
      throw new Error(`the spiking net takes 28×28 grayscale images (MNIST, Fashion-MNIST); the data has ${shapeLabel(input)}`);
    }
    return new SpikingNet(activation, seed, encoding);
  }
  return new CNN(activation, seed, model, input);
}
