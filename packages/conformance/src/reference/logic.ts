/**
 * Plain-JS conversions, comparisons and boolean logic, with the semantics of the kernel contract
 * (packages/core/src/kernels.ts) as the cpu backend implements them: float → int32 truncates toward
 * zero, → bool is x != 0 (so NaN is true), comparisons with NaN are false except `ne`.
 */
import type { CompareOp, DType, LogicalOp } from '@surrograd/core';

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

export const COMPARE_REFERENCES: Record<CompareOp, (a: number, b: number) => boolean> = {
  lt: (a, b) => a < b,
  le: (a, b) => a <= b,
  gt: (a, b) => a > b,
  ge: (a, b) => a >= b,
  eq: (a, b) => a === b,
  ne: (a, b) => a !== b,
};

export const LOGICAL_REFERENCES: Record<LogicalOp, (a: boolean, b: boolean) => boolean> = {
  and: (a, b) => a && b,
  or: (a, b) => a || b,
  xor: (a, b) => a !== b,
};
