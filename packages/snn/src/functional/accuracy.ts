/** Accuracy of spiking outputs, as snnTorch's `functional.acc` (snntorch/functional/acc.py). */
import { type Tensor, tidy } from '@surrograd/core';
import type { Labels } from './loss.js';
import { checkOutputs, classCounts, labelTensor, type PopulationOptions, populationSize } from './targets.js';

/**
 * The fraction of samples whose most-spiking output neuron (over all steps) is the label, as a
 * scalar tensor (snnTorch's `accuracy_rate`, which returns a float: read it with `.item()`). With a
 * population code, the class whose group of neurons spiked most.
 */
export function accuracyRate(spk: Tensor, labels: Labels, options: PopulationOptions = {}): Tensor {
  const out = checkOutputs('accuracyRate', 'spikes', spk);
  const perClass = populationSize('accuracyRate', out, options);
  return tidy(() =>
    classCounts(out, perClass)
      .argmax(1)
      .eq(labelTensor('accuracyRate', out, labels))
      .cast('float32')
      .mean(),
  );
}
