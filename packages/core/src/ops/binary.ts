/** Elementwise binary arithmetic with numpy broadcasting; gradients are summed back to each input's shape by the Function mechanism. */
import { defineFunction } from '../autograd/function.js';
import { isFloat } from '../dtype.js';
import type { BinaryOp } from '../kernels.js';
import { scoped } from '../scope.js';
import { broadcastShapes, fmt } from '../shape.js';
import { Tensor, type TensorLike } from '../tensor.js';
import { cast } from './cast.js';
import { zerosLike } from './creation.js';
import { runKernel } from './dispatch.js';
import { assertSameBackend, binaryOperands } from './operands.js';
import { where } from './where.js';

const k = (op: BinaryOp, a: Tensor, b: Tensor): Tensor => runKernel('Binary', [a, b], { op });

/** A sum of tangent terms where null stands for zero (an input without a tangent); null when all are. */
function plus(...terms: (Tensor | null)[]): Tensor | null {
  let total: Tensor | null = null;
  for (const t of terms) if (t !== null) total = total === null ? t : add(total, t);
  return total;
}

// jvp rules see null for an input without a tangent (materializeGrads: false), so a constant
// operand costs nothing and can't turn a zero tangent into NaN (0 · log(-1)).
const Add = defineFunction({
  name: 'Add',
  materializeGrads: false,
  forward: (_ctx, a: Tensor, b: Tensor) => k('add', a, b),
  backward: (_ctx, dy) => [dy, dy],
  jvp: (_ctx, ta, tb) => plus(ta, tb),
});

const Sub = defineFunction({
  name: 'Sub',
  materializeGrads: false,
  forward: (_ctx, a: Tensor, b: Tensor) => k('sub', a, b),
  backward: (ctx, dy) => [dy, ctx.needsInputGrad[1] ? dy.neg() : null],
  jvp: (_ctx, ta, tb) => plus(ta, tb === null ? null : tb.neg()),
});

const Mul = defineFunction({
  name: 'Mul',
  forward(ctx, a: Tensor, b: Tensor) {
    ctx.saveForBackward(a, b);
    return k('mul', a, b);
  },
  backward(ctx, dy) {
    const [a, b] = ctx.savedTensors as [Tensor, Tensor];
    return [ctx.needsInputGrad[0] ? dy.mul(b) : null, ctx.needsInputGrad[1] ? dy.mul(a) : null];
  },
  materializeGrads: false,
  jvp(ctx, ta, tb) {
    const [a, b] = ctx.savedTensors as [Tensor, Tensor];
    return plus(ta === null ? null : ta.mul(b), tb === null ? null : tb.mul(a));
  },
});

const Div = defineFunction({
  name: 'Div',
  forward(ctx, a: Tensor, b: Tensor) {
    ctx.saveForBackward(a, b);
    const y = k('div', a, b);
    // Only jvp reads the quotient: saved only inside a jvp.
    if (ctx.needsInputTangent.length > 0) ctx.saveForForward(b, y);
    return y;
  },
  backward(ctx, dy) {
    const [a, b] = ctx.savedTensors as [Tensor, Tensor];
    return [ctx.needsInputGrad[0] ? dy.div(b) : null, ctx.needsInputGrad[1] ? dy.neg().mul(a).div(b.mul(b)) : null];
  },
  materializeGrads: false,
  // PyTorch's rule, (ta - tb · y) / b: at b = 0 it gives ±Inf where the expanded form gives NaN.
  jvp(ctx, ta, tb) {
    const [b, y] = ctx.savedTensors as [Tensor, Tensor];
    const num = ta === null ? (tb as Tensor).mul(y).neg() : tb === null ? ta : ta.sub(tb.mul(y));
    return num.div(b);
  },
});

const Pow = defineFunction({
  name: 'Pow',
  forward(ctx, a: Tensor, b: Tensor) {
    const y = k('pow', a, b);
    ctx.saveForBackward(a, b, y);
    return y;
  },
  backward(ctx, dy) {
    const [a, b, y] = ctx.savedTensors as [Tensor, Tensor, Tensor];
    // PyTorch's conventions: d/da is 0 where b == 0; d/db is 0 where a == 0 and b >= 0.
    const da = ctx.needsInputGrad[0] ? where(b.eq(0), 0, dy.mul(b).mul(a.pow(b.sub(1)))) : null;
    const db = ctx.needsInputGrad[1] ? where(a.eq(0).logicalAnd(b.ge(0)), 0, dy.mul(y).mul(a.log())) : null;
    return [da, db];
  },
  materializeGrads: false,
  jvp(ctx, ta, tb) {
    const [a, b, y] = ctx.savedTensors as [Tensor, Tensor, Tensor];
    return plus(
      ta && where(b.eq(0), 0, ta.mul(b).mul(a.pow(b.sub(1)))),
      tb && where(a.eq(0).logicalAnd(b.ge(0)), 0, tb.mul(y).mul(a.log())),
    );
  },
});

/** Ties split the gradient evenly between the operands, as PyTorch's maximum/minimum do. */
function elementwiseExtremum(name: string, op: 'maximum' | 'minimum') {
  return defineFunction({
    name,
    forward(ctx, a: Tensor, b: Tensor) {
      ctx.saveForBackward(a, b);
      return k(op, a, b);
    },
    backward(ctx, dy) {
      const [a, b] = ctx.savedTensors as [Tensor, Tensor];
      const aWins = op === 'maximum' ? a.gt(b) : a.lt(b);
      const bWins = op === 'maximum' ? b.gt(a) : b.lt(a);
      const half = where(a.eq(b), dy.mul(0.5), zerosLike(dy));
      return [ctx.needsInputGrad[0] ? where(aWins, dy, half) : null, ctx.needsInputGrad[1] ? where(bWins, dy, half) : null];
    },
    // PyTorch's rule: tb + w·(ta - tb), w = 1 where a wins, 0.5 at a tie, 0 elsewhere (so NaN takes tb).
    jvp(ctx, ta, tb) {
      const [a, b] = ctx.savedTensors as [Tensor, Tensor];
      const w = where(a.eq(b), 0.5, (op === 'maximum' ? a.gt(b) : a.lt(b)).cast(a.dtype));
      return (tb as Tensor).add(w.mul((ta as Tensor).sub(tb as Tensor)));
    },
  });
}
const Maximum = elementwiseExtremum('Maximum', 'maximum');
const Minimum = elementwiseExtremum('Minimum', 'minimum');

type BinaryFn = (a: Tensor, b: Tensor) => Tensor;

/** A tensor of int32/bool or a whole number: operands that integer arithmetic would keep integral. */
function isIntegral(v: TensorLike): boolean {
  return v instanceof Tensor ? !isFloat(v.dtype) : Number.isInteger(v);
}

function asFloat(op: string, v: TensorLike): TensorLike {
  if (!(v instanceof Tensor)) return v;
  v.assertAlive(op);
  return cast(v, 'float32');
}

function binaryOp(fn: BinaryFn, name: string, a: TensorLike, b: TensorLike): Tensor {
  if (a instanceof Tensor && b instanceof Tensor && a.dtype === b.dtype) {
    assertSameBackend(name, a, b);
    broadcastShapes(name, a.shape, b.shape);
    return fn(a, b);
  }
  return scoped(() => {
    const [x, y] = binaryOperands(name, a, b);
    broadcastShapes(name, x.shape, y.shape);
    return fn(x, y);
  });
}

/** Elementwise a + b with numpy broadcasting; a number operand takes the tensor's dtype, and mixed dtypes promote as in PyTorch (see {@link TensorLike}). */
export const add = (a: TensorLike, b: TensorLike): Tensor => binaryOp(Add, 'add', a, b);
/** Elementwise a - b with numpy broadcasting. */
export const sub = (a: TensorLike, b: TensorLike): Tensor => binaryOp(Sub, 'sub', a, b);
/** Elementwise a * b with numpy broadcasting. */
export const mul = (a: TensorLike, b: TensorLike): Tensor => binaryOp(Mul, 'mul', a, b);
/**
 * Elementwise a / b with numpy broadcasting: true division, as PyTorch's, so int32 and bool
 * operands divide in float32 (7 / 2 = 3.5, 1 / 0 = Infinity), never a silent integer 0.
 */
export const div = (a: TensorLike, b: TensorLike): Tensor => {
  if (isIntegral(a) && isIntegral(b)) return scoped(() => binaryOp(Div, 'div', asFloat('div', a), asFloat('div', b)));
  return binaryOp(Div, 'div', a, b);
};
/**
 * Elementwise a ** b with numpy broadcasting and IEEE 754's special cases (1 ** NaN = 1,
 * (-1) ** ±Infinity = 1, x ** 0 = 1). An int32 tensor to a negative number is an error, as in
 * PyTorch. Gradients follow PyTorch: d/da is 0 where b = 0, d/db is 0 where a = 0 and b >= 0.
 */
export const pow = (a: TensorLike, b: TensorLike): Tensor => {
  if (a instanceof Tensor && !isFloat(a.dtype) && typeof b === 'number' && Number.isInteger(b) && b < 0) {
    throw new RangeError(
      `pow: integers to negative integer powers are not allowed (an ${a.dtype} tensor ${fmt(a.shape)} to the power ${b}); cast it to float32 first`,
    );
  }
  return binaryOp(Pow, 'pow', a, b);
};
/** Elementwise larger of a and b with numpy broadcasting, propagating NaN; on ties the gradient is split evenly, as in `torch.maximum`. */
export const maximum = (a: TensorLike, b: TensorLike): Tensor => binaryOp(Maximum, 'maximum', a, b);
/** Elementwise smaller of a and b with numpy broadcasting, propagating NaN; on ties the gradient is split evenly, as in `torch.minimum`. */
export const minimum = (a: TensorLike, b: TensorLike): Tensor => binaryOp(Minimum, 'minimum', a, b);
