import { defineFunction } from '../autograd/function.js';
import { isFloat } from '../dtype.js';
import { FusedKernels } from '../kernels.js';
import { hasKernel } from '../registry.js';
import { scoped } from '../scope.js';
import { normalizeAxis, sizeOf } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { cast } from './cast.js';
import { runKernel } from './dispatch.js';
import { where } from './where.js';

/**
 * The backend's fused kernel over the last axis (three passes over each row instead of the
 * composed ops' five, and no temporaries), where it has one; null for the composed ops (other
 * axes, float64, empty).
 */
function fusedLastAxis(kernel: string, x: Tensor, axis: number): Tensor | null {
  if (axis !== x.rank - 1 || x.dtype !== 'float32' || sizeOf(x.shape) === 0 || !hasKernel(kernel, x.backend.name)) return null;
  return runKernel<Tensor>(kernel, [x], {});
}

/**
 * x − its max along `axis` (0 where the max is infinite or NaN, logSumExp's rule), e to that, and
 * the sum of those: PyTorch's softmax is e / sum and its log-softmax shifted − ln sum. Subtracting
 * logSumExp instead (x − (max + ln sum)) loses ln sum to rounding once the max is large: softmax of
 * [1e30, 1e30] came out [1, 1].
 */
function shiftedExp(x: Tensor, axis: number): { shifted: Tensor; sum: Tensor; e: Tensor } {
  const m = x.max(axis, true);
  const shifted = x.sub(where(m.isFinite(), m, 0));
  const e = shifted.exp();
  return { shifted, e, sum: e.sum(axis, true) };
}

/** Over an empty tensor both are empty (PyTorch's), and there is no max to take. */
function composedSoftmax(x: Tensor, axis: number, log: boolean): Tensor {
  if (sizeOf(x.shape) === 0) return x.clone();
  const { shifted, e, sum } = shiftedExp(x, axis);
  return log ? shifted.sub(sum.log()) : e.div(sum);
}

const LogSoftmax = defineFunction({
  name: 'LogSoftmax',
  forward(ctx, x: Tensor, axis: number) {
    const y = fusedLastAxis(FusedKernels.LogSoftmax, x, axis) ?? composedSoftmax(x, axis, true);
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
    const y = fusedLastAxis(FusedKernels.Softmax, x, axis) ?? composedSoftmax(x, axis, false);
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

/** exp(x) normalised to sum to 1 along `axis` (default the last), computed as exp(x - max) / sum for stability. Int and bool inputs compute in float32. */
export const softmax = (x: Tensor, axis = -1): Tensor => floatCall(Softmax, 'softmax', x, axis);
/** log(softmax(x)) along `axis` (default the last), computed as (x - max) - log(sum(exp(x - max))) so it stays finite for large inputs. Int and bool inputs compute in float32. */
export const logSoftmax = (x: Tensor, axis = -1): Tensor => floatCall(LogSoftmax, 'logSoftmax', x, axis);
