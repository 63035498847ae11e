import { defineFunction } from '../autograd/function.js';
import { onBackend } from '../registry.js';
import { scoped } from '../scope.js';
import { broadcastShapes } from '../shape.js';
import { Tensor, type TensorLike } from '../tensor.js';
import { runKernel } from './dispatch.js';
import { assertSameBackend, binaryOperands } from './operands.js';

const Where = defineFunction({
  name: 'Where',
  forward(ctx, cond: Tensor, a: Tensor, b: Tensor) {
    ctx.saveForBackward(cond);
    return runKernel('Where', [cond, a, b]);
  },
  backward(ctx, dy) {
    const [cond] = ctx.savedTensors as [Tensor];
    return [null, ctx.needsInputGrad[1] ? where(cond, dy, 0) : null, ctx.needsInputGrad[2] ? where(cond, 0, dy) : null];
  },
  materializeGrads: false,
  jvp(ctx, _tc, ta, tb) {
    const [cond] = ctx.savedTensors as [Tensor];
    return ta === null && tb === null ? null : where(cond, ta ?? 0, tb ?? 0);
  },
});

/** cond ? a : b elementwise, all three broadcast. The gradient goes to the branch taken. */
export function where(cond: Tensor, a: TensorLike, b: TensorLike): Tensor {
  if (!(cond instanceof Tensor)) throw new TypeError('where: condition must be a bool Tensor');
  cond.assertAlive('where');
  if (cond.dtype !== 'bool') throw new TypeError(`where: condition must be a bool tensor, got ${cond.dtype} (compare first, e.g. x.gt(0))`);
  // Numbers for both branches are made where the condition lives.
  return onBackend(cond.backend, () =>
    scoped(() => {
      const [x, y] = binaryOperands('where', a, b);
      assertSameBackend('where', cond, x);
      broadcastShapes('where', cond.shape, x.shape, y.shape);
      return Where(cond, x, y);
    }),
  );
}
