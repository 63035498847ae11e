/** Spike-count regularizers: add them to the loss to keep a layer's firing sparse. */
import type { Tensor } from '@surrograd/core';

function checkLambda(fn: string, lambda: number): number {
  if (typeof lambda !== 'number' || !Number.isFinite(lambda) || lambda < 0)
    throw new RangeError(`${fn}: lambda must be a non-negative number, got ${String(lambda)}`);
  return lambda;
}

/** λ · the total number of spikes (snnTorch's `l1_rate_sparsity`, default λ 1e-5). */
export function l1RateSparsity(options: { lambda?: number } = {}): (spk: Tensor) => Tensor {
  const lambda = checkLambda('l1RateSparsity', options.lambda ?? 1e-5);
  return (spk) => spk.sum().mul(lambda);
}

/**
 * λ · the mean over samples and neurons of each neuron's squared spike count over the steps
 * (dim 0): it punishes neurons that fire much more than the rest (default λ 1e-5).
 */
export function l2SpikeCount(options: { lambda?: number } = {}): (spk: Tensor) => Tensor {
  const lambda = checkLambda('l2SpikeCount', options.lambda ?? 1e-5);
  return (spk) => spk.sum(0).square().mean().mul(lambda);
}
