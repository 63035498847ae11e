import { Tensor } from '../tensor.js';
import { copyTangents } from './forward-ad.js';

/**
 * A new tensor object on the same buffer; with `keepGraph`, also the same place in the graph.
 * Forward-mode tangents come along (as aliases) either way: the alias is the same value.
 */
export function aliasOf(t: Tensor, keepGraph: boolean): Tensor {
  const a = new Tensor(t.storage.retain(), [...t.shape], t.dtype);
  if (keepGraph && t.gradFn) {
    t.gradFn.retain();
    a.gradFn = t.gradFn;
    a.outputIndex = t.outputIndex;
  }
  if (t.tangents !== null) copyTangents(t, a, (tangent) => aliasOf(tangent, true));
  return a;
}

/** As {@link aliasOf} without the tangents: `detach` cuts forward-mode tangents too, as PyTorch's. */
export function bareAliasOf(t: Tensor): Tensor {
  return new Tensor(t.storage.retain(), [...t.shape], t.dtype);
}
