/** Reductions over axes, with keepDims. Gradients broadcast back over the reduced axes. */
import type { FunctionCtx } from '../autograd/context.js';
import { type DifferentiableFunction, defineFunction } from '../autograd/function.js';
import { isFloat } from '../dtype.js';
import type { ReduceOp } from '../kernels.js';
import { scoped } from '../scope.js';
import { fmt, normalizeAxes, normalizeAxis, reducedShape } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { cast } from './cast.js';
import { zeros } from './creation.js';
import { runKernel } from './dispatch.js';
import { broadcastTo, reshape } from './shape-ops.js';
import { where } from './where.js';

/** Axes to reduce: one axis, a list of axes (negatives count from the end), or null/undefined for all of them. */
export type Axes = number | number[] | null | undefined;

const reduceKernel = (op: ReduceOp, x: Tensor, axes: number[], keepDims: boolean): Tensor =>
  runKernel('Reduce', [x], { op, axes, keepDims });

/** dy of a reduction, reshaped with the reduced axes kept (size 1), ready to broadcast. */
function keptShape(dy: Tensor, inShape: readonly number[], axes: number[]): Tensor {
  return reshape(dy, reducedShape(inShape, axes, true));
}

const Sum: DifferentiableFunction<[Tensor, number[], boolean], Tensor> = defineFunction({
  name: 'Sum',
  forward(ctx, x: Tensor, axes: number[], keepDims: boolean) {
    ctx.inShape = x.shape;
    ctx.axes = axes;
    ctx.keepDims = keepDims;
    return reduceKernel('sum', x, axes, keepDims);
  },
  backward: (ctx, dy) => [broadcastTo(keptShape(dy, ctx.inShape, ctx.axes), ctx.inShape), null, null],
  jvp: (ctx, t) => Sum(t as Tensor, ctx.axes, ctx.keepDims),
});

/** A reduction whose backward reads x and the result (kept dims): saves both, and the axes. */
function reduceSavingInputAndResult(ctx: FunctionCtx, op: ReduceOp, x: Tensor, axes: number[], keepDims: boolean): Tensor {
  const y = reduceKernel(op, x, axes, true);
  ctx.saveForBackward(x, y);
  ctx.axes = axes;
  ctx.keepDims = keepDims;
  return keepDims ? y : reshape(y, reducedShape(x.shape, axes, false));
}

/** max/min: the gradient is shared evenly among the elements equal to the result (PyTorch's amax/amin). */
function reduceExtremum(name: string, op: 'max' | 'min') {
  return defineFunction({
    name,
    forward(ctx, x: Tensor, axes: number[], keepDims: boolean) {
      return reduceSavingInputAndResult(ctx, op, x, axes, keepDims);
    },
    backward(ctx, dy) {
      const [x, y] = ctx.savedTensors as [Tensor, Tensor];
      const hits = x.eq(y).cast(x.dtype);
      const count = reduceKernel('sum', hits, ctx.axes, true);
      return [keptShape(dy, x.shape, ctx.axes).mul(hits).div(count), null, null];
    },
    // The tangents of the tied extrema, averaged (PyTorch's amax/amin rule).
    jvp(ctx, t) {
      const [x, y] = ctx.savedTensors as [Tensor, Tensor];
      const hits = x.eq(y).cast(x.dtype);
      const count = reduceKernel('sum', hits, ctx.axes, ctx.keepDims);
      return (t as Tensor).mul(hits).sum(ctx.axes, ctx.keepDims).div(count);
    },
  });
}
const Max = reduceExtremum('Max', 'max');
const Min = reduceExtremum('Min', 'min');

/**
 * ∂prod/∂x_i is the product of the other elements: prod / x_i where the slice has no zero, the
 * product of the nonzeros at its only zero, and 0 everywhere in a slice with two or more zeros —
 * exact (PyTorch's result) without dividing by 0.
 */
function prodPartials(x: Tensor, y: Tensor, axes: number[]): Tensor {
  const isZero = x.eq(0);
  const zeroCount = reduceKernel('sum', cast(isZero, 'int32'), axes, true);
  const safe = where(isZero, 1, x);
  const othersOfZero = reduceKernel('prod', safe, axes, true);
  const noZero = y.div(safe);
  return where(zeroCount.eq(0), noZero, where(zeroCount.eq(1).logicalAnd(isZero), othersOfZero, 0));
}

const Prod: DifferentiableFunction<[Tensor, number[], boolean], Tensor> = defineFunction({
  name: 'Prod',
  forward(ctx, x: Tensor, axes: number[], keepDims: boolean) {
    return reduceSavingInputAndResult(ctx, 'prod', x, axes, keepDims);
  },
  backward(ctx, dy) {
    const [x, y] = ctx.savedTensors as [Tensor, Tensor];
    return [keptShape(dy, x.shape, ctx.axes).mul(prodPartials(x, y, ctx.axes)), null, null];
  },
  jvp(ctx, t) {
    const [x, y] = ctx.savedTensors as [Tensor, Tensor];
    return sum((t as Tensor).mul(prodPartials(x, y, ctx.axes)), ctx.axes, ctx.keepDims);
  },
});

/** Always keeps dims, so the saved result is the output itself and stays in the graph (double backward). */
const LogSumExp = defineFunction({
  name: 'LogSumExp',
  forward(ctx, x: Tensor, axes: number[]) {
    // Shift by the max for stability; an infinite max shifts by 0 so ±Inf inputs give ±Inf, not NaN.
    // Over no elements there is no max: shift by 0, and the result is log(0) = -Inf, as PyTorch's.
    const m = axes.some((a) => x.shape[a] === 0)
      ? zeros(reducedShape(x.shape, axes, true), { dtype: x.dtype })
      : reduceKernel('max', x, axes, true);
    const shift = where(m.isFinite(), m, 0);
    const y = x.sub(shift).exp().sum(axes, true).log().add(shift);
    ctx.saveForBackward(x, y);
    ctx.axes = axes;
    return y;
  },
  backward(ctx, dy) {
    const [x, y] = ctx.savedTensors as [Tensor, Tensor];
    return [dy.mul(x.sub(y).exp()), null];
  },
  jvp(ctx, t) {
    const [x, y] = ctx.savedTensors as [Tensor, Tensor];
    return (t as Tensor).mul(x.sub(y).exp()).sum(ctx.axes, true);
  },
});

function axesOf(op: string, x: Tensor, axis: Axes): number[] {
  x.assertAlive(op);
  return normalizeAxes(op, axis === null ? undefined : axis, x.rank);
}

/** Sum over `axis` (one axis, a list, or all when omitted/null), keeping reduced axes as size 1 when `keepDims`. Int and bool inputs sum in int32; the sum over no elements is 0. */
export function sum(x: Tensor, axis?: Axes, keepDims = false): Tensor {
  const axes = axesOf('sum', x, axis);
  if (isFloat(x.dtype)) return Sum(x, axes, keepDims);
  return scoped(() => reduceKernel('sum', cast(x, 'int32'), axes, keepDims));
}

/** Arithmetic mean over `axis` (all when omitted/null); int and bool inputs compute in float32. */
export function mean(x: Tensor, axis?: Axes, keepDims = false): Tensor {
  const axes = axesOf('mean', x, axis);
  let n = 1;
  for (const a of axes) n *= x.shape[a] as number;
  return scoped(() => sum(isFloat(x.dtype) ? x : cast(x, 'float32'), axes, keepDims).div(n));
}

/** Product over `axis` (all when omitted/null), as PyTorch's `prod`; its gradient is exact where some elements are 0. Int and bool inputs multiply in int32; the product over no elements is 1. */
export function prod(x: Tensor, axis?: Axes, keepDims = false): Tensor {
  const axes = axesOf('prod', x, axis);
  if (isFloat(x.dtype)) return scoped(() => Prod(x, axes, keepDims));
  return scoped(() => reduceKernel('prod', cast(x, 'int32'), axes, keepDims));
}

function checkNonEmpty(op: string, x: Tensor, axes: number[]): void {
  for (const a of axes) {
    if (x.shape[a] === 0) throw new RangeError(`${op}: cannot reduce over axis ${a} of size 0 (shape ${fmt(x.shape)})`);
  }
}

/** Largest value over `axis` (all when omitted/null), propagating NaN, like `torch.amax`: the gradient is shared evenly among elements equal to the max. Throws on an empty reduced axis. */
export function max(x: Tensor, axis?: Axes, keepDims = false): Tensor {
  const axes = axesOf('max', x, axis);
  checkNonEmpty('max', x, axes);
  return isFloat(x.dtype) ? Max(x, axes, keepDims) : reduceKernel('max', x, axes, keepDims);
}

/** Smallest value over `axis` (all when omitted/null), propagating NaN, like `torch.amin`: the gradient is shared evenly among elements equal to the min. Throws on an empty reduced axis. */
export function min(x: Tensor, axis?: Axes, keepDims = false): Tensor {
  const axes = axesOf('min', x, axis);
  checkNonEmpty('min', x, axes);
  return isFloat(x.dtype) ? Min(x, axes, keepDims) : reduceKernel('min', x, axes, keepDims);
}

/** log(sum(exp(x))) over `axis` (all when omitted/null), shifted by the max for stability so ±Inf inputs give ±Inf rather than NaN. Int and bool inputs compute in float32. */
export function logSumExp(x: Tensor, axis?: Axes, keepDims = false): Tensor {
  const axes = axesOf('logSumExp', x, axis);
  if (axes.length === 0) return isFloat(x.dtype) ? x.clone() : cast(x, 'float32');
  return scoped(() => {
    const y = LogSumExp(isFloat(x.dtype) ? x : cast(x, 'float32'), axes);
    return keepDims ? y : reshape(y, reducedShape(x.shape, axes, false));
  });
}

/** int32 index of the first maximum along one `axis` (default the last); NaN counts as the maximum. No gradient. */
export function argmax(x: Tensor, axis = -1, keepDims = false): Tensor {
  x.assertAlive('argmax');
  const a = normalizeAxis('argmax', axis, x.rank);
  checkNonEmpty('argmax', x, [a]);
  return runKernel('ArgReduce', [x], { op: 'argmax', axis: a, keepDims });
}

/** int32 index of the first minimum along one `axis` (default the last); NaN counts as the minimum. No gradient. */
export function argmin(x: Tensor, axis = -1, keepDims = false): Tensor {
  x.assertAlive('argmin');
  const a = normalizeAxis('argmin', axis, x.rank);
  checkNonEmpty('argmin', x, [a]);
  return runKernel('ArgReduce', [x], { op: 'argmin', axis: a, keepDims });
}
