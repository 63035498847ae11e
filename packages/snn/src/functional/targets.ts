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
