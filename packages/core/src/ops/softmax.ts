import { defineFunction } from '../autograd/function.js';
import { isFloat } from '../dtype.js';
import { scoped } from '../scope.js';
import { normalizeAxis } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { cast } from './cast.js';

const LogSoftmax = defineFunction({
  name: 'LogSoftmax',
  forward(ctx, x: Tensor, axis: number) {
    const y = x.sub(x.logSumExp(axis, true));
    ctx.saveForBackward(y);
    ctx.axis = axis;
    return y;
  },
  // d logsoftmax: dx = dy - softmax(x) * sum(dy)
  backward(ctx, dy) {
    const [y] = ctx.savedTensors as [Tensor];
    return [dy.sub(y.exp().mul(dy.sum(ctx.axis, true))), null];
  },
  // d logsoftmax = t - sum(softmax(x) · t)
  jvp(ctx, t) {
    const [y] = ctx.savedTensors as [Tensor];
    const dt = t as Tensor;
    return dt.sub(y.exp().mul(dt).sum(ctx.axis, true));
  },
});

const Softmax = defineFunction({
  name: 'Softmax',
  forward(ctx, x: Tensor, axis: number) {
    const y = x.sub(x.logSumExp(axis, true)).exp();
    ctx.saveForBackward(y);
    ctx.axis = axis;
    return y;
  },
  // d softmax: dx = y * (dy - sum(dy * y))
  backward(ctx, dy) {
    const [y] = ctx.savedTensors as [Tensor];
    return [y.mul(dy.sub(dy.mul(y).sum(ctx.axis, true))), null];
  },
  // d softmax = y · (t - sum(y · t)): the Jacobian is symmetric, so the same form as backward.
  jvp(ctx, t) {
    const [y] = ctx.savedTensors as [Tensor];
    const dt = t as Tensor;
    return y.mul(dt.sub(dt.mul(y).sum(ctx.axis, true)));
  },
});

function floatCall(f: (x: Tensor, axis: number) => Tensor, op: string, x: Tensor, axis: number): Tensor {
  x.assertAlive(op);
  const a = normalizeAxis(op, axis, x.rank);
  if (x.rank === 0) return scoped(() => f(x.reshape([1]), 0).reshape([]));
  return isFloat(x.dtype) ? f(x, a) : scoped(() => f(cast(x, 'float32'), a));
}

/** exp(x) normalised to sum to 1 along `axis` (default the last), computed as exp(x - logSumExp(x)) for stability. Int and bool inputs compute in float32. */
export const softmax = (x: Tensor, axis = -1): Tensor => floatCall(Softmax, 'softmax', x, axis);
/** log(softmax(x)) along `axis` (default the last), computed as x - logSumExp(x) so it stays finite for large inputs. Int and bool inputs compute in float32. */
export const logSoftmax = (x: Tensor, axis = -1): Tensor => floatCall(LogSoftmax, 'logSoftmax', x, axis);
