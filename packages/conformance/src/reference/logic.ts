/**
 * Plain-JS conversions, comparisons and boolean logic, with the semantics of the kernel contract
 * (packages/core/src/kernels.ts): comparisons and logic from core's table rows; float → int32 truncates toward
 * zero, → bool is x != 0 (so NaN is true), comparisons with NaN are false except `ne`.
 */
import type { CompareOp, DType, Expr, LogicalOp } from '@surrograd/core';
import { COMPARE_OP_NAMES, compareForward, evalExpr, LOGICAL_OP_NAMES, logicalForward } from '@surrograd/core';

/** One value as `dtype` stores it; float → int32 only for values within int32's range (elsewhere it is the kernel's choice). */
export function castReference(v: number, dtype: DType): number {
  switch (dtype) {
    case 'bool':
      return v !== 0 ? 1 : 0;
    case 'int32':
      return Math.trunc(v) + 0; // + 0 turns -0 into 0: int32 has no negative zero.
    case 'float32':
      return Math.fround(v);
    case 'float64':
      return v;
  }
}

/** A bool row of core's table, evaluated in float64: its reference. */
function predicate(e: Expr): (a: number, b: number) => boolean {
  return (a, b) => evalExpr(e, { a, b }) !== 0;
}

export const COMPARE_REFERENCES = Object.fromEntries(COMPARE_OP_NAMES.map((op) => [op, predicate(compareForward(op))])) as Record<
  CompareOp,
  (a: number, b: number) => boolean
>;

export const LOGICAL_REFERENCES = Object.fromEntries(
  LOGICAL_OP_NAMES.map((op) => {
    const p = predicate(logicalForward(op));
    return [op, (a: boolean, b: boolean) => p(+a, +b)];
  }),
) as Record<LogicalOp, (a: boolean, b: boolean) => boolean>;
