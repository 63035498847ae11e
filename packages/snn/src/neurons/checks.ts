/** Argument checks shared by the neurons: errors name the layer, the argument and what was expected. */
import { isTensor, type Tensor, tensor } from '@surrograd/core';

export { isTensor };

/** An error that names the neuron layer. */
export function neuronError(layer: string, message: string): TypeError {
  return new TypeError(`${layer}: ${message}`);
}

/** A finite number as a scalar float32 tensor, or the tensor itself (scalar or per neuron). */
export function scalarOrTensor(layer: string, name: string, v: unknown): Tensor {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw neuronError(layer, `${name} must be a finite number or a Tensor, got ${v}`);
    return tensor(v);
  }
  if (isTensor(v)) {
    if (v.isDisposed) throw neuronError(layer, `${name} was disposed`);
    if (v.dtype !== 'float32' && v.dtype !== 'float64') throw neuronError(layer, `${name} must be a float tensor, got ${v.dtype}`);
    return v;
  }
  throw neuronError(layer, `${name} must be a finite number or a Tensor, got ${v === null ? 'null' : typeof v}`);
}
