/** Checks and conversions shared by the spike losses: outputs [T, B, C], labels [B] (or [T, B]). */
import { isTensor, onBackend, oneHot, type Tensor, tensor } from '@surrograd/core';

/** Labels as an int32 tensor on the outputs' backend (call it inside tidy: an array's tensor is new). */
export function labelTensor(fn: string, outputs: Tensor, labels: Tensor | readonly number[] | Int32Array): Tensor {
  if (isTensor(labels)) {
    if (labels.dtype !== 'int32') throw new TypeError(`${fn}: labels must be int32, got ${labels.dtype}`);
    return labels;
  }
  if (!Array.isArray(labels) && !(labels instanceof Int32Array))
    throw new TypeError(`${fn}: labels must be an int32 Tensor, number[] or Int32Array`);
  return onBackend(outputs.backend, () => tensor(Array.from(labels), { dtype: 'int32' }));
}

/** The outputs as [T, B, C], or a clear error. */
export function checkOutputs(fn: string, what: string, out: unknown): Tensor {
  if (!isTensor(out)) throw new TypeError(`${fn}: ${what} must be a Tensor [T, batch, classes], got ${out === null ? 'null' : typeof out}`);
  if (out.rank !== 3) throw new RangeError(`${fn}: ${what} must be [T, batch, classes], got ${JSON.stringify(out.shape)}`);
  return out;
}

/** One-hot targets: `on` at each label, `off` elsewhere (snnTorch's `targets_convert` for rate codes). */
export function targetsOf(labels: Tensor, classes: number, on: number, off: number, dtype: Tensor['dtype']): Tensor {
  return oneHot(labels, classes)
    .cast(dtype)
    .mul(on - off)
    .add(off);
}

/** A population code: `numClasses` classes, each counted over its own contiguous group of output neurons. */
export interface PopulationOptions {
  /** Count spikes per class over groups of neurons (default false), as snnTorch's `population_code`. */
  populationCode?: boolean;
  /** The number of classes; must divide the number of output neurons (required with populationCode). */
  numClasses?: number;
}

/** The population's size per class (1 without a population code), or a clear error. */
export function populationSize(fn: string, outputs: Tensor, options: PopulationOptions): number {
  const neurons = outputs.shape[2] as number;
  if (!options.populationCode) return 1;
  const classes = options.numClasses;
  if (typeof classes !== 'number' || !Number.isInteger(classes) || classes < 1)
    throw new RangeError(`${fn}: populationCode needs numClasses, a positive integer; got ${String(classes)}`);
  if (neurons % classes !== 0) throw new RangeError(`${fn}: numClasses ${classes} must divide the ${neurons} output neurons`);
  return neurons / classes;
}

/** Spike counts over all steps per class, [B, C]: each class's group of neurons summed (snnTorch's `_population_code`). */
export function classCounts(spk: Tensor, perClass: number): Tensor {
  const counts = spk.sum(0);
  if (perClass === 1) return counts;
  const [batch, neurons] = counts.shape as [number, number];
  return counts.reshape([batch, neurons / perClass, perClass]).sum(2);
}
