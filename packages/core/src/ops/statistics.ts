/**
 * var, std and norm, as PyTorch's: composed of sum and elementwise ops, except the 2-norm, whose
 * gradient x / ‖x‖ is a Function of its own so that it is 0 (not NaN) where ‖x‖ = 0, as PyTorch's.
 */
import { defineFunction } from '../autograd/function.js';
import { isFloat } from '../dtype.js';
import { scoped } from '../scope.js';
import { normalizeAxes, reducedShape, show, sizeOf } from '../shape.js';
import { Tensor } from '../tensor.js';
import { cast } from './cast.js';
import { abs, sqrt } from './elementwise.js';
import { type Axes, max, sum } from './reduce.js';
import { reshape } from './shape-ops.js';
import { where } from './where.js';

/** Options of {@link variance} and {@link std}. */
export interface VarianceOptions {
  /** Subtracted from the element count in the denominator: 1 (default) is Bessel's correction, 0 the population variance. */
  correction?: number;
  /** Keep the reduced dims as size 1. */
  keepDims?: boolean;
}

function floatInput(op: string, x: unknown): Tensor {
  if (!(x instanceof Tensor)) throw new TypeError(`${op}: expected a Tensor, got ${show(x)}`);
  x.assertAlive(op);
  return isFloat(x.dtype) ? x : cast(x, 'float32');
}

/**
 * The variance over `axis` (all dims when omitted): Σ(x - mean)² / (N - correction), as PyTorch's
 * `var`. N - correction ≤ 0 gives Inf or NaN, as PyTorch does. Exported as `var` too.
 */
export function variance(x: Tensor, axis?: Axes, options: VarianceOptions = {}): Tensor {
  const correction = options.correction ?? 1;
  if (typeof correction !== 'number' || !Number.isFinite(correction)) {
    throw new TypeError(`var: correction must be a finite number, got ${show(correction)}`);
  }
  return scoped(() => {
    const xf = floatInput('var', x);
    const axes = normalizeAxes('var', axis ?? undefined, xf.rank);
    const n = axes.reduce((p, a) => p * (xf.shape[a] as number), 1);
    const mean = sum(xf, axes, true).div(n);
    const squares = sum(xf.sub(mean).square(), axes, options.keepDims ?? false);
    return squares.div(n - correction);
  });
}

/** The standard deviation, sqrt of {@link variance} with the same options, as PyTorch's `std`. */
export function std(x: Tensor, axis?: Axes, options: VarianceOptions = {}): Tensor {
  return scoped(() => sqrt(variance(x, axis, options)));
}

const L2Norm = defineFunction({
  name: 'Norm',
  forward(ctx, x: Tensor, axes: number[], keepDims: boolean) {
    const n = sqrt(sum(x.square(), axes, true));
    ctx.saveForBackward(x, n);
    ctx.axes = axes;
    ctx.outShape = reducedShape(x.shape, axes, keepDims);
    ctx.keptShape = n.shape;
    return reshape(n, ctx.outShape);
  },
  backward(ctx, dy) {
    const [x, n] = ctx.savedTensors as [Tensor, Tensor];
    const g = reshape(dy, ctx.keptShape).div(n);
    return [where(n.eq(0), 0, g.mul(x)), null, null];
  },
  jvp(ctx, t) {
    const [x, n] = ctx.savedTensors as [Tensor, Tensor];
    const dot = sum(x.mul(t as Tensor), ctx.axes, true);
    return reshape(where(n.eq(0), 0, dot.div(n)), ctx.outShape);
  },
});

/**
 * The p-norm over `axis` (all dims when omitted), as PyTorch's `norm`: p = 2 (default, also
 * 'fro'), 1, Infinity, -Infinity, 0 (the count of nonzeros) or any other p (Σ|x|^p)^(1/p).
 */
export function norm(x: Tensor, p: number | 'fro' = 2, axis?: Axes, keepDims = false): Tensor {
  const order = p === 'fro' ? 2 : p;
  if (typeof order !== 'number' || Number.isNaN(order)) throw new TypeError(`norm: p must be a number or 'fro', got ${show(p)}`);
  return scoped(() => {
    const xf = floatInput('norm', x);
    const axes = normalizeAxes('norm', axis ?? undefined, xf.rank);
    if (order === 2) return L2Norm(xf, axes, keepDims);
    if (order === 1) return sum(abs(xf), axes, keepDims);
    if (order === Number.POSITIVE_INFINITY) return max(abs(xf), axes, keepDims);
    if (order === Number.NEGATIVE_INFINITY) return abs(xf).neg().max(axes, keepDims).neg();
    if (order === 0) return sum(cast(xf.ne(0), 'float32'), axes, keepDims);
    if (sizeOf(xf.shape) === 0) return sum(xf, axes, keepDims);
    return sum(abs(xf).pow(order), axes, keepDims).pow(1 / order);
  });
}
