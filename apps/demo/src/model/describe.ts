/** The demo's architectures by name, and how each reads in logs and reports. */
import { type ImageShape, MNIST_SHAPE, shapeLabel } from '../data/mnist.js';

/**
 * An MLP of the chosen widths, LeNet-5, a small VGG-style net without or with BatchNorm, a small
 * ResNet-style net, or a spiking net.
 */
export type ModelName = 'mlp' | 'cnn' | 'vgg' | 'vgg-bn' | 'resnet' | 'snn';

export const MODEL_NAMES: readonly ModelName[] = ['mlp', 'cnn', 'vgg', 'vgg-bn', 'resnet', 'snn'];

const CONV_DESCRIPTIONS: Record<Exclude<ModelName, 'mlp'>, string> = {
  snn: "SNN 784-1000-10 Leaky (β 0.95, 25 steps, snnTorch's tutorial 5)",
  cnn: 'CNN LeNet-5 (conv 6@5×5, pool, conv 16@5×5, pool, 120, 84, 10)',
  vgg: 'VGG-style (conv 16, 16, pool, conv 32, 32, pool, 128, 10, no BatchNorm)',
  'vgg-bn': 'VGG-style (conv 16, 16, pool, conv 32, 32, pool, 128, 10, BatchNorm after each conv)',
  resnet: 'ResNet-8-style (conv 8 + BatchNorm, basic blocks of 8, 16 and 32 channels, average pool, 10)',
};

/** How a model reads in logs and reports (`hidden`: the MLP's widths; `input`: its images, said when not MNIST's). */
export function describeModel(model: ModelName, hidden: readonly number[], input: ImageShape = MNIST_SHAPE): string {
  const size = input.channels * input.height * input.width;
  if (model === 'mlp') return `MLP ${size}-${hidden.join('-')}-10`;
  const mnist = input.channels === 1 && input.height === 28 && input.width === 28;
  return mnist ? CONV_DESCRIPTIONS[model] : `${CONV_DESCRIPTIONS[model]} on ${shapeLabel(input)} images`;
}
