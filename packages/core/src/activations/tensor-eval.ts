/**
 * Evaluates an activation expression with tensor ops, so a derivative is itself differentiable:
 * used instead of the fused kernel when a backward pass is recorded (createGraph).
 */
import { maximum, minimum } from '../ops/binary.js';
import { full } from '../ops/creation.js';
import { where } from '../ops/where.js';
import type { Tensor } from '../tensor.js';
import { type BinaryFn, type Expr, foldExpr, type UnaryFn } from './expr.js';
import { scalarBinary, scalarUnary } from './scalar.js';

/** What {@link evalExprTensor} builds: a tensor, or a plain number where the expression reads no tensor. */
export type Value = Tensor | number;

const asFloat = (t: Tensor, like: Tensor) => t.cast(like.dtype);

function unary(fn: UnaryFn, a: Value): Value {
  if (typeof a === 'number') return scalarUnary[fn](a);
  switch (fn) {
    case 'neg':
      return a.neg();
    case 'not':
      return asFloat(a.eq(0), a);
    case 'exp':
      return a.exp();
    case 'log':
      return a.log();
    case 'log1p':
      return a.log1p();
    case 'tanh':
      return a.tanh();
    case 'sigmoid':
      return a.sigmoid();
    case 'abs':
      return a.abs();
    case 'sqrt':
      return a.sqrt();
    case 'erf':
      return a.erf();
    case 'floor':
      return a.floor();
    case 'round':
      return a.round();
    case 'sign':
      return a.sign();
  }
}

function binary(fn: BinaryFn, a: Value, b: Value): Value {
  if (typeof a === 'number' && typeof b === 'number') return scalarBinary[fn](a, b);
  const t = (typeof a === 'number' ? b : a) as Tensor;
  switch (fn) {
    case 'add':
      return typeof a === 'number' ? (b as Tensor).add(a) : a.add(b);
    case 'sub':
      return typeof a === 'number' ? (b as Tensor).neg().add(a) : a.sub(b);
    case 'mul':
      return typeof a === 'number' ? (b as Tensor).mul(a) : a.mul(b);
    case 'div':
      return typeof a === 'number' ? (b as Tensor).reciprocal().mul(a) : a.div(b);
    case 'pow':
      return typeof a === 'number' ? (b as Tensor).mul(Math.log(a)).exp() : a.pow(b);
    case 'max':
      return maximum(a, b);
    case 'min':
      return minimum(a, b);
    case 'gt':
      return asFloat(typeof a === 'number' ? (b as Tensor).lt(a) : a.gt(b), t);
    case 'ge':
      return asFloat(typeof a === 'number' ? (b as Tensor).le(a) : a.ge(b), t);
    case 'lt':
      return asFloat(typeof a === 'number' ? (b as Tensor).gt(a) : a.lt(b), t);
    case 'le':
      return asFloat(typeof a === 'number' ? (b as Tensor).ge(a) : a.le(b), t);
    case 'eq':
      return asFloat(typeof a === 'number' ? (b as Tensor).eq(a) : a.eq(b), t);
    case 'ne':
      return asFloat(typeof a === 'number' ? (b as Tensor).ne(a) : a.ne(b), t);
    case 'and':
      return asFloat(truthy(a, t).logicalAnd(truthy(b, t)), t);
    case 'or':
      return asFloat(truthy(a, t).logicalOr(truthy(b, t)), t);
  }
}

function truthy(v: Value, like: Tensor): Tensor {
  return typeof v === 'number' ? full(like.shape, v !== 0 ? 1 : 0, { dtype: 'bool' }) : v.ne(0);
}

function select(cond: Value, a: Value, b: Value): Value {
  if (typeof cond === 'number') return cond !== 0 ? a : b;
  return where(cond.ne(0), a, b);
}

/** The expression's value with tensors (or numbers) for its variables. Broadcasts like the ops do. */
export function evalExprTensor(e: Expr, env: Readonly<Record<string, Value>>): Value {
  return foldExpr<Value>(e, {
    num: (v) => v,
    variable: (name) => {
      const v = env[name];
      if (v === undefined) throw new Error(`activation expression: no value for '${name}'`);
      return v;
    },
    unary,
    binary,
    select,
  });
}
