/**
 * Backward's own bookkeeping: a gradient of a broadcast input summed down to the input's shape.
 * Where nothing records (no grad mode, no tangents) it is the Reduce kernel and a view of its
 * result: no Function and no second validation of shapes backward has already checked.
 */
import { runKernel } from '../ops/dispatch.js';
import { sumToSize } from '../ops/shape-ops.js';
import { summedAxes } from '../plan/reduce.js';
import type { Shape } from '../shape.js';
import { Tensor } from '../tensor.js';
import { carriesTangents } from './forward-ad.js';
import { isGradEnabled } from './grad-mode.js';

/** g summed to `shape`, which broadcasts to g's shape and differs from it. */
export function sumGradientTo(g: Tensor, shape: Shape): Tensor {
  // Recording (createGraph) or carrying tangents, the sum must be a differentiable op.
  if (isGradEnabled() || carriesTangents(g)) return sumToSize(g, shape);
  const r = runKernel<Tensor>('Reduce', [g], { op: 'sum', axes: summedAxes(g.shape, shape), keepDims: true });
  if (r.rank === shape.length) return r;
  // Leading axes were summed away: the same buffer under the input's shape.
  const view = new Tensor(r.storage.retain(), [...shape], r.dtype);
  r.dispose();
  return view;
}
