/**
 * Numeric codes the kernels take for ops and dtypes; they mirror the constants in assembly/. The
 * Unary, Binary, Compare and Logical codes are generated from core's elementwise tables
 * (src/generated/elementwise-ops.ts, src/generated/predicate-ops.ts).
 */
import type { DType, ReduceOp } from '@surrograd/core';

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
