/**
 * Ops defined by index structure or by composition: tril, triu, outer, any, all, oneHot,
 * hypot, lerp and cumsum. Each is composed of ops that have gradients and tangents,
 * except hypot, a Function so that its gradient is x / hypot exactly and its value never
 * overflows where x² would.
 */
import { defineFunction } from '../autograd/function.js';
import { isFloat } from '../dtype.js';
import { onBackend } from '../registry.js';
import { scoped } from '../scope.js';
import { fmt, normalizeAxis, show } from '../shape.js';
import { Tensor, type TensorLike } from '../tensor.js';
import { add, sub } from './add-scaled.js';
import { cast } from './cast.js';
import { arange } from './creation.js';
import { abs, div, maximum, minimum, mul, sqrt } from './elementwise.js';
import { binaryOperands } from './operands.js';
import { type Axes, sum } from './reduce.js';
import { gather, pad, reshape } from './shape-ops.js';
import { eye } from './shaped-creation.js';
import { narrow } from './views.js';
import { where } from './where.js';

function assertTensor(op: string, x: unknown): asserts x is Tensor {
  if (!(x instanceof Tensor)) throw new TypeError(`${op}: expected a Tensor, got ${show(x)}`);
  x.assertAlive(op);
}

/** True where column - row ≤ diagonal (tril) or ≥ diagonal (triu), over the last two dims. */
function triangle(op: 'tril' | 'triu', x: Tensor, diagonal: number): Tensor {
  assertTensor(op, x);
  if (x.rank < 2) throw new Error(`${op}: expected a tensor of at least 2 dims, got shape ${fmt(x.shape)}`);
  if (!Number.isInteger(diagonal)) throw new TypeError(`${op}: diagonal must be an integer, got ${show(diagonal)}`);
  const rows = x.shape[x.rank - 2] as number;
  const cols = x.shape[x.rank - 1] as number;
  return scoped(() =>
    onBackend(x.backend, () => {
      const offset = arange(cols, undefined, 1, { dtype: 'int32' }).sub(reshape(arange(rows, undefined, 1, { dtype: 'int32' }), [rows, 1]));
      const keep = op === 'tril' ? offset.le(diagonal) : offset.ge(diagonal);
      return where(keep, x, 0);
    }),
  );
}

/** The lower triangle of the last two dims (column - row ≤ diagonal), zeros elsewhere, as PyTorch's `tril`. */
export const tril = (x: Tensor, diagonal = 0): Tensor => triangle('tril', x, diagonal);
/** The upper triangle of the last two dims (column - row ≥ diagonal), zeros elsewhere, as PyTorch's `triu`. */
export const triu = (x: Tensor, diagonal = 0): Tensor => triangle('triu', x, diagonal);

/** The outer product of two 1-D tensors, [n] ⊗ [m] → [n, m], as PyTorch's `outer`. */
export function outer(a: Tensor, b: Tensor): Tensor {
  assertTensor('outer', a);
  assertTensor('outer', b);
  if (a.rank !== 1 || b.rank !== 1) throw new Error(`outer: expected two 1-D tensors, got shapes ${fmt(a.shape)} and ${fmt(b.shape)}`);
  return scoped(() => mul(reshape(a, [a.size, 1]), reshape(b, [1, b.size])));
}

/** How many elements over `axis` are zero (`zeros` true) or nonzero, as int32. */
function count(op: string, x: Tensor, zeros: boolean, axis: Axes, keepDims: boolean): Tensor {
  assertTensor(op, x);
  return sum(cast(zeros ? x.eq(0) : x.ne(0), 'int32'), axis, keepDims);
}

/** Whether any element over `axis` (all dims when omitted) is nonzero, as PyTorch's `any`: bool. False over no elements. */
export function any(x: Tensor, axis?: Axes, keepDims = false): Tensor {
  return scoped(() => count('any', x, false, axis, keepDims).gt(0));
}

/** Whether every element over `axis` (all dims when omitted) is nonzero, as PyTorch's `all`: bool. True over no elements. */
export function all(x: Tensor, axis?: Axes, keepDims = false): Tensor {
  return scoped(() => count('all', x, true, axis, keepDims).eq(0));
}

/**
 * int32 indices as one-hot rows: shape indices.shape ++ [numClasses], int32, as PyTorch's
 * `one_hot`. An index outside [0, numClasses) is an error.
 */
export function oneHot(indices: Tensor, numClasses: number): Tensor {
  assertTensor('oneHot', indices);
  if (indices.dtype !== 'int32') throw new TypeError(`oneHot: indices must be int32, got ${indices.dtype}`);
  if (!Number.isInteger(numClasses) || numClasses < 1)
    throw new RangeError(`oneHot: numClasses must be a positive integer, got ${show(numClasses)}`);
  return scoped(() => {
    const rows = onBackend(indices.backend, () => eye(numClasses, numClasses, { dtype: 'int32' }));
    try {
      return gather(rows, indices, 0);
    } catch (err) {
      throw new RangeError(`oneHot: indices must lie in [0, ${numClasses}): ${(err as Error).message}`);
    }
  });
}

const Hypot = defineFunction({
  name: 'Hypot',
  forward(ctx, a: Tensor, b: Tensor) {
    // m · sqrt(1 + (n / m)²), m = max(|a|, |b|): never overflows where a² + b² would.
    const big = maximum(abs(a), abs(b));
    const small = minimum(abs(a), abs(b));
    const r = div(small, big);
    const h = where(big.eq(0), 0, mul(big, sqrt(add(mul(r, r), 1))));
    ctx.saveForBackward(a, b, h);
    return h;
  },
  backward(ctx, dy) {
    const [a, b, h] = ctx.savedTensors as [Tensor, Tensor, Tensor];
    const g = dy.div(h);
    return [ctx.needsInputGrad[0] ? g.mul(a) : null, ctx.needsInputGrad[1] ? g.mul(b) : null];
  },
  materializeGrads: false,
  jvp(ctx, ta, tb) {
    const [a, b, h] = ctx.savedTensors as [Tensor, Tensor, Tensor];
    const dot = ta === null ? (tb as Tensor).mul(b) : tb === null ? ta.mul(a) : ta.mul(a).add(tb.mul(b));
    return dot.div(h);
  },
});

/** sqrt(a² + b²) without overflow, as PyTorch's `hypot`; its gradient is (a, b) / hypot (NaN at 0, as PyTorch's). */
export function hypot(a: TensorLike, b: TensorLike): Tensor {
  return scoped(() => {
    const [x, y] = binaryOperands('hypot', a, b);
    if (!isFloat(x.dtype)) throw new TypeError(`hypot: expected float operands, got ${x.dtype}`);
    return Hypot(x, y);
  });
}

/**
 * a + weight · (b - a), as PyTorch's `lerp`, which computes b - (b - a)(1 - weight) where
 * |weight| ≥ 0.5 so that weight 1 gives exactly b.
 */
export function lerp(a: Tensor, b: TensorLike, weight: TensorLike): Tensor {
  assertTensor('lerp', a);
  return scoped(() => {
    const diff = sub(b, a);
    if (typeof weight === 'number') return Math.abs(weight) < 0.5 ? add(a, mul(diff, weight)) : sub(b, mul(diff, 1 - weight));
    assertTensor('lerp', weight);
    return where(abs(weight).lt(0.5), add(a, mul(diff, weight)), sub(b, mul(diff, sub(1, weight))));
  });
}

/**
 * Running sums along `dim`, as PyTorch's `cumsum`: out[i] = Σ_{j ≤ i} x[j]. Bool inputs sum as
 * int32. Computed as log₂(n) shifted adds (a Hillis–Steele scan), so its gradient and tangent
 * come from those ops: the gradient is the reversed running sum.
 */
export function cumsum(x: Tensor, dim: number): Tensor {
  assertTensor('cumsum', x);
  const d = normalizeAxis('cumsum', dim, Math.max(1, x.rank));
  return scoped(() => {
    let y = x.dtype === 'bool' ? cast(x, 'int32') : x;
    if (x.rank === 0) return reshape(y, []);
    const n = x.shape[d] as number;
    for (let shift = 1; shift < n; shift *= 2) {
      const paddings = x.shape.map((_, i) => (i === d ? [shift, 0] : [0, 0]) as [number, number]);
      y = add(y, pad(narrow(y, d, 0, n - shift), paddings));
    }
    return y === x ? reshape(x, x.shape) : y;
  });
}
