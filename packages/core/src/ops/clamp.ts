import { defineFunction } from '../autograd/function.js';
import { scoped } from '../scope.js';
import type { Tensor } from '../tensor.js';
import { maximum, minimum } from './elementwise.js';
import { where } from './where.js';

const Clamp = defineFunction({
  name: 'Clamp',
  forward(ctx, x: Tensor, min: number | null, max: number | null) {
    ctx.saveForBackward(x);
    ctx.min = min;
    ctx.max = max;
    let y = x;
    if (min !== null) y = maximum(y, min);
    if (max !== null) y = minimum(y, max);
    return y;
  },
  // The gradient passes where min ≤ x ≤ max, bounds included (PyTorch's convention).
  backward(ctx, dy) {
    const [x] = ctx.savedTensors as [Tensor];
    let inside = ctx.min !== null ? x.ge(ctx.min) : null;
    if (ctx.max !== null) inside = inside ? inside.logicalAnd(x.le(ctx.max)) : x.le(ctx.max);
    return [where(inside as Tensor, dy, 0), null, null];
  },
  jvp(ctx, t) {
    const [x] = ctx.savedTensors as [Tensor];
    let inside = ctx.min !== null ? x.ge(ctx.min) : null;
    if (ctx.max !== null) inside = inside ? inside.logicalAnd(x.le(ctx.max)) : x.le(ctx.max);
    return where(inside as Tensor, t as Tensor, 0);
  },
});

/** Limits values to [min, max]; either bound may be omitted (null). NaN stays NaN. */
export function clamp(x: Tensor, min?: number | null, max?: number | null): Tensor {
  x.assertAlive('clamp');
  const lo = min ?? null;
  const hi = max ?? null;
  if (lo === null && hi === null) throw new Error('clamp: give at least one of min and max');
  if (lo !== null && hi !== null && lo > hi) throw new RangeError(`clamp: min ${lo} is greater than max ${hi}`);
  return scoped(() => Clamp(x, lo, hi));
}
