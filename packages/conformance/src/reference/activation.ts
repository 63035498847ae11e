/**
 * The scalar reference of an activation pair: core's evalExpr of the forward kind's expression in
 * float64 at each float32 input, rounded to float32; the derivative kind's g at the saved x, the
 * rounded y or the predicate bit m (as its `from` says), times the cotangent, rounded to float32.
 *
 * Also the same expressions in float32 arithmetic (every operation rounded to float32, subnormal
 * results flushed to zero as GPUs may), as a float32 backend computes them: where a branch condition
 * such as `x * beta > threshold` or `y > 0` lies within rounding of its threshold, the two
 * evaluations take different branches and both are right.
 */
import { type DerivativeKind, type Expr, evalExpr, type ForwardKind, foldExpr, scalarBinary, scalarUnary } from '@surrograd/core';

export interface ActivationReference {
  y: number[];
  dx: number[];
}

type Evaluate = (e: Expr, env: Readonly<Record<string, number>>) => number;

/** Rounded to float32, subnormals flushed to (signed) zero. */
const f32ftz = (v: number) => {
  const r = Math.fround(v);
  return Math.abs(r) < 2 ** -126 ? r * 0 : r;
};

/** evalExpr with every literal, variable and intermediate result rounded to float32, subnormals flushed. */
export const evalExprFloat32: Evaluate = (e, env) =>
  foldExpr<number>(e, {
    num: f32ftz,
    variable: (name) => {
      const v = env[name];
      if (v === undefined) throw new Error(`evalExprFloat32: no value for '${name}'`);
      return f32ftz(v);
    },
    unary: (fn, a) => f32ftz(scalarUnary[fn](a)),
    binary: (fn, a, b) => f32ftz(scalarBinary[fn](a, b)),
    select: (c, a, b) => (c !== 0 ? a : b),
  });

function reference(
  evaluate: Evaluate,
  f32: (v: number) => number,
  forward: ForwardKind,
  derivative: DerivativeKind,
  params: Readonly<Record<string, number>>,
  xs: readonly number[],
  dys: readonly number[],
): ActivationReference {
  const y = xs.map((x) => f32(evaluate(forward.expr, { ...params, x })));
  const dx = xs.map((x, i) => {
    const env: Record<string, number> = { ...params, x, y: y[i] as number };
    if (derivative.from === 'mask') env.m = evaluate(derivative.predicate!, env) !== 0 ? 1 : 0;
    return f32((dys[i] as number) * evaluate(derivative.expr, env));
  });
  return { y, dx };
}

/** The float64 reference, and the float32-arithmetic one that differs from it only near branch thresholds and cancellations. */
export function activationReferences(
  forward: ForwardKind,
  derivative: DerivativeKind,
  params: Readonly<Record<string, number>>,
  xs: readonly number[],
  dys: readonly number[],
): { float64: ActivationReference; float32: ActivationReference } {
  return {
    float64: reference(evalExpr, Math.fround, forward, derivative, params, xs, dys),
    float32: reference(evalExprFloat32, f32ftz, forward, derivative, params, xs, dys),
  };
}
