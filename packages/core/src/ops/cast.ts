import { defineFunction } from '../autograd/function.js';
import { assertDType, type DType, isFloat } from '../dtype.js';
import type { Tensor } from '../tensor.js';
import { runKernel } from './dispatch.js';

const Cast = defineFunction({
  name: 'Cast',
  forward(ctx, x: Tensor, dtype: DType) {
    ctx.from = x.dtype;
    ctx.to = dtype;
    return runKernel('Cast', [x], { dtype });
  },
  backward(ctx, dy) {
    return [isFloat(ctx.from) ? cast(dy, ctx.from) : null, null];
  },
  // An integer or bool result is piecewise constant: no tangent.
  jvp: (ctx, t) => (isFloat(ctx.to) && t !== null ? cast(t, ctx.to) : null),
});

/** x as another dtype; differentiable between float dtypes. */
export function cast(x: Tensor, dtype: DType): Tensor {
  assertDType('cast', dtype);
  x.assertAlive('cast');
  if (x.dtype === dtype) return x.clone();
  if (!x.backend.dtypes.includes(dtype)) {
    throw new TypeError(`cast: backend '${x.backend.name}' does not support ${dtype} (it supports ${x.backend.dtypes.join(', ')})`);
  }
  return Cast(x, dtype);
}
