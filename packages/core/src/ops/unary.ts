/** Elementwise math, each with its local derivative beside its forward. */
import type { FunctionCtx } from '../autograd/context.js';
import { defineFunction } from '../autograd/function.js';
import { isFloat } from '../dtype.js';
import type { UnaryOp } from '../kernels.js';
import { scoped } from '../scope.js';
import type { Tensor } from '../tensor.js';
import { cast } from './cast.js';
import { zerosLike } from './creation.js';
import { runKernel } from './dispatch.js';

const k = (op: UnaryOp, x: Tensor): Tensor => runKernel('Unary', [x], { op });

/** An elementwise Function of one tensor: its Jacobian is diagonal, so its jvp is its backward applied to the tangent. */
function unaryFunction(spec: {
  name: string;
  forward: (ctx: FunctionCtx, x: Tensor) => Tensor;
  backward: (ctx: FunctionCtx, dy: Tensor) => Tensor;
}) {
  return defineFunction({ ...spec, jvp: (ctx, t) => spec.backward(ctx, t as Tensor) });
}

const Neg = unaryFunction({
  name: 'Neg',
  forward: (_ctx, x: Tensor) => k('neg', x),
  backward: (_ctx, dy) => neg(dy),
});

const Exp = unaryFunction({
  name: 'Exp',
  forward(ctx, x: Tensor) {
    const y = k('exp', x);
    ctx.saveForBackward(y);
    return y;
  },
  backward: (ctx, dy) => dy.mul(ctx.savedTensors[0] as Tensor),
});

const Log = unaryFunction({
  name: 'Log',
  forward(ctx, x: Tensor) {
    ctx.saveForBackward(x);
    return k('log', x);
  },
  backward: (ctx, dy) => dy.div(ctx.savedTensors[0] as Tensor),
});

const Sqrt = unaryFunction({
  name: 'Sqrt',
  forward(ctx, x: Tensor) {
    const y = k('sqrt', x);
    ctx.saveForBackward(y);
    return y;
  },
  backward: (ctx, dy) => dy.div((ctx.savedTensors[0] as Tensor).mul(2)),
});

const Rsqrt = unaryFunction({
  name: 'Rsqrt',
  forward(ctx, x: Tensor) {
    const y = k('rsqrt', x);
    ctx.saveForBackward(y);
    return y;
  },
  backward: (ctx, dy) => dy.mul((ctx.savedTensors[0] as Tensor).pow(3)).mul(-0.5),
});

const Abs = unaryFunction({
  name: 'Abs',
  forward(ctx, x: Tensor) {
    ctx.saveForBackward(x);
    return k('abs', x);
  },
  backward: (ctx, dy) => dy.mul((ctx.savedTensors[0] as Tensor).sign()),
});

const Square = unaryFunction({
  name: 'Square',
  forward(ctx, x: Tensor) {
    ctx.saveForBackward(x);
    return k('square', x);
  },
  backward: (ctx, dy) => dy.mul((ctx.savedTensors[0] as Tensor).mul(2)),
});

const Reciprocal = unaryFunction({
  name: 'Reciprocal',
  forward(ctx, x: Tensor) {
    const y = k('reciprocal', x);
    ctx.saveForBackward(y);
    return y;
  },
  backward(ctx, dy) {
    const y = ctx.savedTensors[0] as Tensor;
    return dy.mul(y.mul(y)).neg();
  },
});

const Sin = unaryFunction({
  name: 'Sin',
  forward(ctx, x: Tensor) {
    ctx.saveForBackward(x);
    return k('sin', x);
  },
  backward: (ctx, dy) => dy.mul((ctx.savedTensors[0] as Tensor).cos()),
});

const Cos = unaryFunction({
  name: 'Cos',
  forward(ctx, x: Tensor) {
    ctx.saveForBackward(x);
    return k('cos', x);
  },
  backward: (ctx, dy) => dy.mul((ctx.savedTensors[0] as Tensor).sin()).neg(),
});

const Log1p = unaryFunction({
  name: 'Log1p',
  forward(ctx, x: Tensor) {
    ctx.saveForBackward(x);
    return k('log1p', x);
  },
  backward: (ctx, dy) => dy.div((ctx.savedTensors[0] as Tensor).add(1)),
});

const Expm1 = unaryFunction({
  name: 'Expm1',
  forward(ctx, x: Tensor) {
    const y = k('expm1', x);
    ctx.saveForBackward(y);
    return y;
  },
  backward: (ctx, dy) => dy.mul((ctx.savedTensors[0] as Tensor).add(1)),
});

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
const Erf = unaryFunction({
  name: 'Erf',
  forward(ctx, x: Tensor) {
    ctx.saveForBackward(x);
    return k('erf', x);
  },
  backward(ctx, dy) {
    const x = ctx.savedTensors[0] as Tensor;
    return dy.mul(x.square().neg().exp().mul(TWO_OVER_SQRT_PI));
  },
});

/** Piecewise-constant functions: zero gradient almost everywhere, as PyTorch defines it. */
function stepFunction(name: string, op: UnaryOp) {
  return defineFunction({
    name,
    forward: (_ctx, x: Tensor) => k(op, x),
    backward: (_ctx, dy) => zerosLike(dy),
    jvp: () => null,
  });
}
const Sign = stepFunction('Sign', 'sign');
const Floor = stepFunction('Floor', 'floor');
const Ceil = stepFunction('Ceil', 'ceil');
const Round = stepFunction('Round', 'round');

/** Elementwise negation, -x. */
export const neg = (x: Tensor): Tensor => Neg(x);
/** Elementwise e^x. Int and bool inputs compute in float32, as in PyTorch. */
export const exp = (x: Tensor): Tensor => floatOp(Exp, x);
/** Elementwise natural logarithm; -Inf at 0 and NaN for negative inputs. Int and bool inputs compute in float32. */
export const log = (x: Tensor): Tensor => floatOp(Log, x);
/** Elementwise square root; NaN for negative inputs. Int and bool inputs compute in float32. */
export const sqrt = (x: Tensor): Tensor => floatOp(Sqrt, x);
/** Elementwise reciprocal square root, 1/sqrt(x) (PyTorch's `rsqrt`). Int and bool inputs compute in float32. */
export const rsqrt = (x: Tensor): Tensor => floatOp(Rsqrt, x);
/** Elementwise absolute value, keeping the dtype; its gradient is sign(x), so 0 at x = 0 as in PyTorch. */
export const abs = (x: Tensor): Tensor => Abs(x);
/** Elementwise x * x, keeping the dtype. */
export const square = (x: Tensor): Tensor => Square(x);
/** Elementwise 1/x. Int and bool inputs compute in float32. */
export const reciprocal = (x: Tensor): Tensor => floatOp(Reciprocal, x);
/** Elementwise sine of x in radians. Int and bool inputs compute in float32. */
export const sin = (x: Tensor): Tensor => floatOp(Sin, x);
/** Elementwise cosine of x in radians. Int and bool inputs compute in float32. */
export const cos = (x: Tensor): Tensor => floatOp(Cos, x);
/** Elementwise log(1 + x), accurate for small x. Int and bool inputs compute in float32. */
export const log1p = (x: Tensor): Tensor => floatOp(Log1p, x);
/** Elementwise e^x - 1, accurate for small x. Int and bool inputs compute in float32. */
export const expm1 = (x: Tensor): Tensor => floatOp(Expm1, x);
/** Elementwise Gauss error function. Int and bool inputs compute in float32. */
export const erf = (x: Tensor): Tensor => floatOp(Erf, x);
/** Elementwise sign: -1, 0 or 1 (NaN stays NaN), keeping the dtype; zero gradient, as in PyTorch. */
export const sign = (x: Tensor): Tensor => Sign(x);
/** Elementwise round toward -Inf; zero gradient, as in PyTorch. */
export const floor = (x: Tensor): Tensor => Floor(x);
/** Elementwise round toward +Inf; zero gradient, as in PyTorch. */
export const ceil = (x: Tensor): Tensor => Ceil(x);
/** Elementwise round to nearest, ties to even (as `torch.round`); zero gradient, as in PyTorch. */
export const round = (x: Tensor): Tensor => Round(x);

/** Float math on an int or bool tensor computes in float32, as PyTorch does. */
function floatOp(f: (x: Tensor) => Tensor, x: Tensor): Tensor {
  return isFloat(x.dtype) ? f(x) : scoped(() => f(cast(x, 'float32')));
}
