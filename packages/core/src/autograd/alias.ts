import { Tensor } from '../tensor.js';

/** A new tensor object on the same buffer; with `keepGraph`, also the same place in the graph. */
export function aliasOf(t: Tensor, keepGraph: boolean): Tensor {
  const a = new Tensor(t.storage.retain(), [...t.shape], t.dtype);
  if (keepGraph && t.gradFn) {
    t.gradFn.retain();
    a.gradFn = t.gradFn;
    a.outputIndex = t.outputIndex;
  }
  return a;
}
