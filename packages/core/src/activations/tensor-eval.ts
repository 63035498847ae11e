/**
 * Evaluates an expression with tensor ops, so a derivative is itself differentiable: used for the
 * elementwise ops' backward and tangent rules, and instead of the fused activation kernel when a
 * backward pass is recorded (createGraph). Comparisons and logic stay bool tensors until a number
 * is needed, where they become 1/0 in the float dtype of the tensors involved.
 */
import type { DType } from '../dtype.js';
import { isFloat } from '../dtype.js';
import { full } from '../ops/creation.js';
import { where } from '../ops/where.js';
import type { Tensor } from '../tensor.js';
import { type BinaryFn, type Expr, type ExprAlgebra, foldExpr, type UnaryFn } from './expr.js';
import { scalarBinary, scalarUnary } from './scalar.js';

/** What {@link evalExprTensor} builds: a tensor, or a plain number where the expression reads no tensor. */
export type Value = Tensor | number;

type Method = (this: Tensor, ...args: unknown[]) => Tensor;
const call = (t: Tensor, name: string, ...args: unknown[]): Tensor =>
  ((t as unknown as Record<string, Method>)[name] as Method).call(t, ...args);

// Tensor methods for the primitives whose method has another name (the rest share theirs).
const UNARY_METHOD: Partial<Record<UnaryFn, string>> = { not: 'logicalNot' };
const BINARY_METHOD: Partial<Record<BinaryFn, string>> = { max: 'maximum', min: 'minimum' };
// a op b with a a number: the same op on b with the operands swapped.
const FLIPPED: Partial<Record<BinaryFn, BinaryFn>> = {
  add: 'add',
  mul: 'mul',
  max: 'max',
  min: 'min',
  gt: 'lt',
  ge: 'le',
  lt: 'gt',
  le: 'ge',
  eq: 'eq',
  ne: 'ne',
};

/** The tensor algebra: numbers fold to numbers, so only the parts that read tensors cost ops. */
export function tensorAlgebra(floatDType: DType, variable: (name: string) => Value): ExprAlgebra<Value> {
  const num = (v: Value): Value => (typeof v !== 'number' && v.dtype === 'bool' ? v.cast(floatDType) : v);
  const truthy = (v: Tensor): Tensor => (v.dtype === 'bool' ? v : v.ne(0));
  const binary = (fn: BinaryFn, a: Value, b: Value): Value => {
    if (typeof a === 'number' && typeof b === 'number') return scalarBinary[fn](a, b);
    if (fn === 'and' || fn === 'or') {
      const like = (typeof a === 'number' ? b : a) as Tensor;
      const [ta, tb] = [a, b].map((v) => (typeof v === 'number' ? full(like.shape, v !== 0 ? 1 : 0, { dtype: 'bool' }) : truthy(v))) as [
        Tensor,
        Tensor,
      ];
      return fn === 'and' ? ta.logicalAnd(tb) : ta.logicalOr(tb);
    }
    if (typeof a === 'number') {
      const flipped = FLIPPED[fn];
      if (flipped) return binary(flipped, b, a);
      if (fn === 'sub') return (num(b as Tensor) as Tensor).neg().add(a);
      if (fn === 'div') return (num(b as Tensor) as Tensor).reciprocal().mul(a);
      if (fn === 'pow') return (num(b as Tensor) as Tensor).mul(Math.log(a)).exp();
      const t = num(b as Tensor) as Tensor;
      return call(full(t.shape, a, { dtype: t.dtype }), fn, t);
    }
    return call(num(a) as Tensor, BINARY_METHOD[fn] ?? fn, num(b));
  };
  return {
    num: (v) => v,
    variable,
    unary(fn, a) {
      if (typeof a === 'number') return scalarUnary[fn](a);
      if (fn === 'not') return a.dtype === 'bool' ? a.logicalNot() : a.eq(0);
      return call(num(a) as Tensor, UNARY_METHOD[fn] ?? fn);
    },
    binary,
    select(cond, a, b) {
      if (typeof cond === 'number') return cond !== 0 ? a : b;
      return where(truthy(cond), num(a), num(b));
    },
  };
}

/** The first float dtype among the tensors of `env`, else float32. */
export function floatDTypeOf(env: Readonly<Record<string, Value | null>>): DType {
  for (const v of Object.values(env)) if (v !== null && typeof v !== 'number' && isFloat(v.dtype)) return v.dtype;
  return 'float32';
}

/** The expression's value with tensors (or numbers) for its variables. Broadcasts like the ops do. */
export function evalExprTensor(e: Expr, env: Readonly<Record<string, Value>>): Value {
  const floatDType = floatDTypeOf(env);
  const result = foldExpr<Value>(
    e,
    tensorAlgebra(floatDType, (name) => {
      const v = env[name];
      if (v === undefined) throw new Error(`activation expression: no value for '${name}'`);
      return v;
    }),
  );
  return typeof result !== 'number' && result.dtype === 'bool' ? result.cast(floatDType) : result;
}
