/** Accuracy of spiking outputs, as snnTorch's `functional.acc` (snntorch/functional/acc.py). */
import { type Tensor, tidy } from '@surrograd/core';
import type { Labels } from './loss.js';
import { checkOutputs, labelTensor } from './targets.js';

/**
 * The fraction of samples whose most-spiking output neuron (over all steps) is the label, as a
 * scalar tensor (snnTorch's `accuracy_rate`, which returns a float: read it with `.item()`).
 */
export function accuracyRate(spk: Tensor, labels: Labels): Tensor {
  const out = checkOutputs('accuracyRate', 'spikes', spk);
  return tidy(() =>
    out
      .sum(0)
      .argmax(1)
      .eq(labelTensor('accuracyRate', out, labels))
      .cast('float32')
      .mean(),
  );
}
