/** The demo's architectures by name, and how each reads in logs and reports. */

/** An MLP of the chosen widths, LeNet-5, a small VGG-style net without or with BatchNorm, or a spiking net. */
export type ModelName = 'mlp' | 'cnn' | 'vgg' | 'vgg-bn' | 'snn';

export const MODEL_NAMES: readonly ModelName[] = ['mlp', 'cnn', 'vgg', 'vgg-bn', 'snn'];

const CONV_DESCRIPTIONS: Record<Exclude<ModelName, 'mlp'>, string> = {
  snn: "SNN 784-1000-10 Leaky (β 0.95, 25 steps, snnTorch's tutorial 5)",
  cnn: 'CNN LeNet-5 (conv 6@5×5, pool, conv 16@5×5, pool, 120, 84, 10)',
  vgg: 'VGG-style (conv 16, 16, pool, conv 32, 32, pool, 128, 10, no BatchNorm)',
  'vgg-bn': 'VGG-style (conv 16, 16, pool, conv 32, 32, pool, 128, 10, BatchNorm after each conv)',
};

/** How a model reads in logs and reports (`hidden`: the MLP's widths). */
export function describeModel(model: ModelName, hidden: readonly number[]): string {
  return model === 'mlp' ? `MLP 784-${hidden.join('-')}-10` : CONV_DESCRIPTIONS[model];
}
