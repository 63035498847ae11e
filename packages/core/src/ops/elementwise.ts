/**
 * The elementwise ops as differentiable Functions, built from their rows in
 * elementwise/table.ts: forward runs the `Unary`/`Binary` kernel; backward and the tangent rule
 * evaluate the row's expressions with tensor ops, so they are differentiable again. Gradients of
 * broadcast operands are summed back to each operand's shape by the Function mechanism.
 */
import { type Expr, exprVars, parseExpr, substitute } from '../activations/expr.js';
import type { FunctionCtx } from '../autograd/context.js';
import { defineFunction } from '../autograd/function.js';
import { describe } from '../describe.js';
import { isFloat } from '../dtype.js';
import { compileRule, type RuleEnv } from '../elementwise/rules.js';
import {
  BINARY_OP_NAMES,
  BINARY_TABLE,
  type BinaryOpName,
  type ElementwiseDTypes,
  UNARY_OP_NAMES,
  UNARY_TABLE,
  type UnaryOpName,
} from '../elementwise/table.js';
import { scoped } from '../scope.js';
import { broadcastShapes, fmt } from '../shape.js';
import { Tensor, type TensorLike } from '../tensor.js';
import { cast } from './cast.js';
import { zerosLike } from './creation.js';
import { runKernel } from './dispatch.js';
import { assertSameBackend, binaryOperands } from './operands.js';

const pascal = (op: string) => op[0]?.toUpperCase() + op.slice(1);

/** The variables among `names` an expression reads, in the order of `names`. */
function reads(exprs: (Expr | null)[], names: readonly string[]): string[] {
  const used = new Set<string>();
  for (const e of exprs) if (e) exprVars(e, used);
  return names.filter((n) => used.has(n));
}

type Saver = (ctx: FunctionCtx, v0: Tensor, v1: Tensor, v2?: Tensor) => void;
const pick = (i: number, v0: Tensor, v1: Tensor, v2?: Tensor) => (i === 0 ? v0 : i === 1 ? v1 : (v2 as Tensor));

/**
 * Saves, of the values (v0, v1, v2) named `order`, those named in `names`, in that order — for
 * backward with no allocation beyond the call, since every forward runs it (read back by
 * {@link envOf}); for a tangent rule (only inside a jvp) simply.
 */
function saverOf(names: string[], order: readonly string[], forForward: boolean): Saver {
  const at = names.map((n) => order.indexOf(n));
  if (forForward) return (ctx, v0, v1, v2) => ctx.saveForForward(...at.map((i) => pick(i, v0, v1, v2)));
  const [i, j, k] = at as [number, number, number];
  switch (at.length) {
    case 0:
      return () => {};
    case 1:
      return (ctx, v0, v1, v2) => ctx.saveForBackward(pick(i, v0, v1, v2));
    case 2:
      return (ctx, v0, v1, v2) => ctx.saveForBackward(pick(i, v0, v1, v2), pick(j, v0, v1, v2));
    default:
      return (ctx, v0, v1, v2) => ctx.saveForBackward(pick(i, v0, v1, v2), pick(j, v0, v1, v2), pick(k, v0, v1, v2));
  }
}

/** The saved tensors by name, with `extra` (dy, or the tangents) beside them. */
function envOf(ctx: FunctionCtx, names: string[], extra: RuleEnv): RuleEnv {
  const saved = ctx.savedTensors as Tensor[];
  for (let i = 0; i < names.length; i++) extra[names[i] as string] = saved[i] as Tensor;
  return extra;
}

function unaryFunction(op: UnaryOpName): (x: Tensor) => Tensor {
  const row = UNARY_TABLE[op];
  // A logical op has a bool output: no gradient, so no Function to record.
  if (row.dtypes === 'bool') return (x) => runKernel('Unary', [x], { op });
  const vjpExpr = row.vjp === null ? null : parseExpr(row.vjp);
  const saved = reads([vjpExpr], ['x', 'y']);
  const vjp = vjpExpr === null ? null : compileRule(vjpExpr);
  const save = saverOf(saved, ['x', 'y'], false);
  return defineFunction({
    name: pascal(op),
    forward(ctx, x: Tensor) {
      const y = runKernel('Unary', [x], { op });
      save(ctx, x, y);
      return y;
    },
    backward: (ctx, dy) => (vjp === null ? zerosLike(dy) : vjp(envOf(ctx, saved, { dy }))),
    jvp: (ctx, t) => (vjp === null || t === null ? null : vjp(envOf(ctx, saved, { dy: t }))),
  });
}

function binaryFunction(op: BinaryOpName) {
  const row = BINARY_TABLE[op];
  const vjpExprs = row.vjp.map((text) => parseExpr(text)) as [Expr, Expr];
  const custom = row.jvp === undefined ? null : parseExpr(row.jvp);
  // The default tangent: the vjp rules with the operands' tangents for dy, summed.
  const tangent = (e: Expr, t: string) => substitute(e, { dy: { op: 'var', name: t } });
  const jvpExpr = custom ?? { op: 'add' as const, a: tangent(vjpExprs[0], 'ta'), b: tangent(vjpExprs[1], 'tb') };
  const saved = reads(vjpExprs, ['a', 'b', 'y']);
  const forward = reads([jvpExpr], ['a', 'b', 'y']);
  const vjp = vjpExprs.map(compileRule);
  const jvp = compileRule(jvpExpr);
  const save = saverOf(saved, ['a', 'b', 'y'], false);
  const saveForTangent = saverOf(forward, ['a', 'b', 'y'], true);
  const extra = forward.some((n) => !saved.includes(n));
  return defineFunction({
    name: pascal(op),
    materializeGrads: false,
    forward(ctx, a: Tensor, b: Tensor) {
      const y = runKernel('Binary', [a, b], { op });
      save(ctx, a, b, y);
      // What only the tangent rule reads is saved only inside a jvp.
      if (extra && ctx.needsInputTangent.length > 0) saveForTangent(ctx, a, b, y);
      return y;
    },
    backward(ctx, dy) {
      const env = envOf(ctx, saved, { dy });
      return vjp.map((rule, i) => (ctx.needsInputGrad[i] ? rule(env) : null));
    },
    jvp: (ctx, ta, tb) => jvp(envOf(ctx, extra ? forward : saved, { ta, tb })),
  });
}

const UNARY_FUNCTIONS = Object.fromEntries(UNARY_OP_NAMES.map((op) => [op, unaryFunction(op)])) as Record<
  UnaryOpName,
  (x: Tensor) => Tensor
>;
const BINARY_FUNCTIONS = Object.fromEntries(BINARY_OP_NAMES.map((op) => [op, binaryFunction(op)])) as unknown as Record<
  BinaryOpName,
  (a: Tensor, b: Tensor) => Tensor
>;

/** A tensor of int32/bool or a whole number: operands that integer arithmetic would keep integral. */
function isIntegral(v: TensorLike): boolean {
  return v instanceof Tensor ? !isFloat(v.dtype) : Number.isInteger(v);
}

/** The user-facing unary op: applies the row's dtype rule, then its Function. */
function unaryOp(op: UnaryOpName): (x: Tensor) => Tensor {
  const f = UNARY_FUNCTIONS[op];
  const dtypes: ElementwiseDTypes = UNARY_TABLE[op].dtypes;
  const as = dtypes === 'float' ? 'float32' : dtypes === 'bool' ? 'bool' : null;
  return (x) => {
    if (!(x instanceof Tensor)) throw new TypeError(`${op}: expected a Tensor, got ${describe(x)}`);
    if (as === null || x.dtype === as || (as === 'float32' && isFloat(x.dtype))) return f(x);
    return scoped(() => f(cast(x, as)));
  };
}

/**
 * PyTorch keeps int32 % int32 (and fmod) integral; a float row would change the dtype silently, so
 * integer operands are an error until these rows keep integers.
 */
function floatOperandsOnly(op: string): (a: TensorLike, b: TensorLike) => void {
  return (a, b) => {
    if (isIntegral(a) && isIntegral(b) && [a, b].some((v) => v instanceof Tensor)) {
      const dtype = ((a instanceof Tensor ? a : b) as Tensor).dtype;
      throw new TypeError(`${op}: ${dtype} operands are not supported yet (got ${dtype}); cast to float32 first`);
    }
  };
}

/** Checks an op makes of its operands before any promotion, beyond shapes and dtypes. */
const OPERAND_CHECKS: Partial<Record<BinaryOpName, (a: TensorLike, b: TensorLike) => void>> = {
  remainder: floatOperandsOnly('remainder'),
  fmod: floatOperandsOnly('fmod'),
  pow(a, b) {
    if (a instanceof Tensor && !isFloat(a.dtype) && typeof b === 'number' && Number.isInteger(b) && b < 0) {
      throw new RangeError(
        `pow: integers to negative integer powers are not allowed (an ${a.dtype} tensor ${fmt(a.shape)} to the power ${b}); cast it to float32 first`,
      );
    }
  },
};

/** The user-facing binary op: promotes numbers and dtypes as PyTorch, checks shapes, then its Function. */
function binaryOp(op: BinaryOpName): (a: TensorLike, b: TensorLike) => Tensor {
  const f = BINARY_FUNCTIONS[op];
  const float = BINARY_TABLE[op].dtypes === 'float';
  const check = OPERAND_CHECKS[op];
  return (a, b) => {
    check?.(a, b);
    if (a instanceof Tensor && b instanceof Tensor && a.dtype === b.dtype && !(float && !isFloat(a.dtype))) {
      assertSameBackend(op, a, b);
      broadcastShapes(op, a.shape, b.shape);
      return f(a, b);
    }
    return scoped(() => {
      let [x, y] = binaryOperands(op, a, b);
      if (float && !isFloat(x.dtype) && isIntegral(a) && isIntegral(b)) [x, y] = [cast(x, 'float32'), cast(y, 'float32')];
      broadcastShapes(op, x.shape, y.shape);
      return f(x, y);
    });
  };
}

/** Every unary op of the table by name, as its user-facing function (Tensor methods are installed from it). */
export const unaryOps: Readonly<Record<UnaryOpName, (x: Tensor) => Tensor>> = Object.fromEntries(
  UNARY_OP_NAMES.map((op) => [op, unaryOp(op)]),
) as Record<UnaryOpName, (x: Tensor) => Tensor>;
/** Every binary op of the table by name, as its user-facing function. */
export const binaryOps: Readonly<Record<BinaryOpName, (a: TensorLike, b: TensorLike) => Tensor>> = Object.fromEntries(
  BINARY_OP_NAMES.map((op) => [op, binaryOp(op)]),
) as Record<BinaryOpName, (a: TensorLike, b: TensorLike) => Tensor>;

// ---- the exported functions; the table's rows say what each computes -------------------------
// Int and bool inputs of the float ops compute in float32, as in PyTorch.

/** Elementwise negation, -x. */
export const neg = unaryOps.neg;
/** Elementwise e^x. Int and bool inputs compute in float32, as in PyTorch. */
export const exp = unaryOps.exp;
/** Elementwise natural logarithm; -Inf at 0 and NaN for negative inputs. Int and bool inputs compute in float32. */
export const log = unaryOps.log;
/** Elementwise square root; NaN for negative inputs. Int and bool inputs compute in float32. */
export const sqrt = unaryOps.sqrt;
/** Elementwise reciprocal square root, 1/sqrt(x) (PyTorch's `rsqrt`). Int and bool inputs compute in float32. */
export const rsqrt = unaryOps.rsqrt;
/** Elementwise absolute value, keeping the dtype; its gradient is sign(x), so 0 at x = 0 as in PyTorch. */
export const abs = unaryOps.abs;
/** Elementwise x * x, keeping the dtype. */
export const square = unaryOps.square;
/** Elementwise 1/x. Int and bool inputs compute in float32. */
export const reciprocal = unaryOps.reciprocal;
/** Elementwise sine of x in radians. Int and bool inputs compute in float32. */
export const sin = unaryOps.sin;
/** Elementwise cosine of x in radians. Int and bool inputs compute in float32. */
export const cos = unaryOps.cos;
/** Elementwise log(1 + x), accurate for small x. Int and bool inputs compute in float32. */
export const log1p = unaryOps.log1p;
/** Elementwise e^x - 1, accurate for small x. Int and bool inputs compute in float32. */
export const expm1 = unaryOps.expm1;
/** Elementwise Gauss error function. Int and bool inputs compute in float32. */
export const erf = unaryOps.erf;
/** Elementwise sign: -1, 0 or 1 (NaN stays NaN), keeping the dtype; zero gradient, as in PyTorch. */
export const sign = unaryOps.sign;
/** Elementwise round toward -Inf; zero gradient, as in PyTorch. */
export const floor = unaryOps.floor;
/** Elementwise round toward +Inf; zero gradient, as in PyTorch. */
export const ceil = unaryOps.ceil;
/** Elementwise round to nearest, ties to even (as `torch.round`); zero gradient, as in PyTorch. */
export const round = unaryOps.round;

// add and sub, which take PyTorch's alpha, are in add-scaled.ts.
/** Elementwise a * b with numpy broadcasting. */
export const mul = binaryOps.mul;
/**
 * Elementwise a / b with numpy broadcasting: true division, as PyTorch's, so int32 and bool
 * operands divide in float32 (7 / 2 = 3.5, 1 / 0 = Infinity), never a silent integer 0.
 */
export const div = binaryOps.div;
/** Elementwise larger of a and b with numpy broadcasting, propagating NaN; on ties the gradient is split evenly, as in `torch.maximum`. */
export const maximum = binaryOps.maximum;
/** Elementwise smaller of a and b with numpy broadcasting, propagating NaN; on ties the gradient is split evenly, as in `torch.minimum`. */
export const minimum = binaryOps.minimum;
/**
 * Elementwise a ** b with numpy broadcasting and IEEE 754's special cases (1 ** NaN = 1,
 * (-1) ** ±Infinity = 1, x ** 0 = 1). An int32 tensor to a negative number is an error, as in
 * PyTorch. Gradients follow PyTorch: d/da is 0 where b = 0, d/db is 0 where a = 0 and b >= 0.
 */
export const pow = binaryOps.pow;
/**
 * Elementwise angle of the point (b, a) in radians, in [-π, π], with numpy broadcasting: the
 * quadrant-aware arctangent of a / b, as `torch.atan2` (and Math.atan2's special values). Int and
 * bool operands compute in float32.
 */
export const atan2 = binaryOps.atan2;
/** Elementwise a - b · trunc(a / b), exactly: the remainder with the dividend's sign, as `torch.fmod` (C's fmod); NaN where b = 0. Float only for now. */
export const fmod = binaryOps.fmod;
/** Elementwise a - b · floor(a / b), exactly: the remainder with the divisor's sign, as `torch.remainder` (Python's %); NaN where b = 0. Float only for now. */
export const remainder = binaryOps.remainder;
