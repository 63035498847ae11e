/** Numeric codes the kernels take for ops and dtypes; they mirror the constants in assembly/. */
import type { BinaryOp, CompareOp, DType, LogicalOp, ReduceOp, UnaryOp } from '@surrograd/core';

export const BINARY_OPS: Record<BinaryOp, number> = { add: 0, sub: 1, mul: 2, div: 3, pow: 4, maximum: 5, minimum: 6 };

export const UNARY_OPS: Record<UnaryOp, number> = {
  neg: 0,
  exp: 1,
  log: 2,
  sqrt: 3,
  rsqrt: 4,
  abs: 5,
  sign: 6,
  reciprocal: 7,
  square: 8,
  sin: 9,
  cos: 10,
  floor: 11,
  ceil: 12,
  round: 13,
  erf: 14,
  log1p: 15,
  expm1: 16,
  logicalNot: 17,
};

export const COMPARE_OPS: Record<CompareOp, number> = { lt: 0, le: 1, gt: 2, ge: 3, eq: 4, ne: 5 };
export const LOGICAL_OPS: Record<LogicalOp, number> = { and: 0, or: 1, xor: 2 };
export const REDUCE_OPS: Record<ReduceOp, number> = { sum: 0, max: 1, min: 2, prod: 3 };

/** float32 0, int32 1, bool 2 (one byte). */
export function dtypeCode(dtype: DType): number {
  return dtype === 'float32' ? 0 : dtype === 'int32' ? 1 : 2;
}

/** table[key], or an error naming the kernel, the unknown key and the known ones. */
export function codeOf<K extends string>(kernel: string, what: string, table: Readonly<Record<K, number>>, key: unknown): number {
  if (typeof key === 'string' && Object.hasOwn(table, key)) return table[key as K];
  throw new Error(`${kernel}: unknown ${what} ${JSON.stringify(key)}; known: ${Object.keys(table).join(', ')}`);
}
