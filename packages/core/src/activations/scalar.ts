/** The reference semantics of activation expressions, on numbers (float64). */
import { type BinaryFn, type Expr, type ExprAlgebra, foldExpr, type UnaryFn } from './expr.js';
import { erf, pow, roundHalfEven, sigmoid } from './scalar-math.js';

const bool = (v: boolean) => (v ? 1 : 0);

/** The reference meaning of each {@link UnaryFn} on float64 numbers; other emitters must agree with it (round is half to even, sign(NaN) is NaN, `not` gives 1 or 0). */
export const scalarUnary: Record<UnaryFn, (x: number) => number> = {
  neg: (x) => -x,
  not: (x) => bool(x === 0),
  exp: Math.exp,
  expm1: Math.expm1,
  log: Math.log,
  log1p: Math.log1p,
  tanh: Math.tanh,
  sigmoid,
  abs: Math.abs,
  sqrt: Math.sqrt,
  erf,
  sin: Math.sin,
  cos: Math.cos,
  floor: Math.floor,
  round: roundHalfEven,
  sign: (x) => (Number.isNaN(x) ? x : x > 0 ? 1 : x < 0 ? -1 : 0),
};

/** The reference meaning of each {@link BinaryFn} on float64 numbers; other emitters must agree with it (max/min propagate NaN, comparisons and logic give 1 or 0). */
export const scalarBinary: Record<BinaryFn, (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow,
  max: Math.max,
  min: Math.min,
  atan2: Math.atan2,
  // JavaScript's % on numbers is C's fmod, exactly.
  fmod: (a, b) => a % b,
  gt: (a, b) => bool(a > b),
  ge: (a, b) => bool(a >= b),
  lt: (a, b) => bool(a < b),
  le: (a, b) => bool(a <= b),
  eq: (a, b) => bool(a === b),
  ne: (a, b) => bool(a !== b),
  and: (a, b) => bool(a !== 0 && b !== 0),
  or: (a, b) => bool(a !== 0 || b !== 0),
};

/** Evaluates an expression at one point. Unknown variables are an error naming them. */
export function evalExpr(e: Expr, env: Readonly<Record<string, number>>): number {
  const alg: ExprAlgebra<number> = {
    num: (v) => v,
    variable: (name) => {
      const v = env[name];
      if (v === undefined) throw new Error(`evalExpr: no value for '${name}'`);
      return v;
    },
    unary: (fn, a) => scalarUnary[fn](a),
    binary: (fn, a, b) => scalarBinary[fn](a, b),
    select: (c, a, b) => (c !== 0 ? a : b),
  };
  return foldExpr(e, alg);
}
