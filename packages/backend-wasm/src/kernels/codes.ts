/**
 * Numeric codes the kernels take for ops and dtypes; they mirror the constants in assembly/. The
 * Unary and Binary codes are generated from core's elementwise table (src/generated/elementwise-ops.ts).
 */
import type { CompareOp, DType, LogicalOp, ReduceOp } from '@surrograd/core';

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
