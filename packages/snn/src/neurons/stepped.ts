/**
 * `sequence` where the scan kernels don't apply (inhibition, no reset delay, a reset the scan
 * doesn't have): T calls of forward from the resting state, each step's state the last one's
 * outputs, stacked over time. The neuron's kept state is left as it was.
 */
import { stack, type Tensor, tidy, zerosLike } from '@surrograd/core';
import { isTensor, neuronError } from './checks.js';

/** A neuron whose forward takes (input, ...state) and returns [spikes, ...state] in the same order. */
interface Steppable {
  forward(input: Tensor, ...state: (Tensor | null)[]): Tensor[];
}

/** `sequence`'s input [T, ...], or an error that names the layer. */
export function checkSequenceInput(layer: string, inputs: unknown): Tensor {
  if (!isTensor(inputs) || inputs.rank < 1) {
    throw neuronError(layer, `sequence takes inputs [T, ...], got ${isTensor(inputs) ? JSON.stringify(inputs.shape) : typeof inputs}`);
  }
  return inputs;
}

/**
 * The outputs [spikes, ...state] over all steps of `inputs` [T, ...]; `kept` names the neuron's
 * kept-state fields. A recurrent neuron's spikes are part of its state (`spikesAreState`): its
 * forward takes (input, spk, ...state) and the next step gets all of the last one's outputs.
 */
export function stepThrough(neuron: Steppable, inputs: Tensor, kept: readonly string[], spikesAreState = false): Tensor[] {
  const outputs = spikesAreState ? kept.length : kept.length + 1;
  if (inputs.shape[0] === 0) return Array.from({ length: outputs }, () => zerosLike(inputs));
  const fields = neuron as unknown as Record<string, Tensor | null>;
  const saved = kept.map((k) => fields[k] ?? null);
  try {
    return tidy(() => {
      let state: (Tensor | null)[] = kept.map(() => null);
      const recorded: Tensor[][] = Array.from({ length: outputs }, () => []);
      for (let t = 0; t < (inputs.shape[0] as number); t++) {
        const step = neuron.forward(inputs.select(0, t), ...state);
        step.forEach((v, k) => void (recorded[k] as Tensor[]).push(v));
        state = spikesAreState ? step : step.slice(1);
      }
      return recorded.map((r) => stack(r));
    });
  } finally {
    kept.forEach((k, i) => {
      fields[k] = saved[i] as Tensor | null;
    });
  }
}
