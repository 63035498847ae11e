import type { Tensor } from '../tensor.js';
import { defineFunction } from './function.js';

/** Wraps a gradient made by a onceDifferentiable function so differentiating it again is an error. */
const OnceDifferentiableBackward = defineFunction({
  name: 'OnceDifferentiableBackward',
  forward(ctx, g: Tensor, fnName: string) {
    ctx.fnName = fnName;
    return g;
  },
  backward(ctx): never {
    throw new Error(
      `${ctx.fnName} is marked onceDifferentiable: its backward cannot be differentiated (double backward). ` +
        'Write its backward with differentiable ops and drop onceDifferentiable to allow it.',
    );
  },
});

export function onceDifferentiableGuard(fnName: string, g: Tensor): Tensor {
  if (!g.requiresGrad) return g;
  const guarded = OnceDifferentiableBackward(g, fnName);
  g.dispose();
  return guarded;
}
