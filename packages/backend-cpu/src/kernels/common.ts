import type { DType, Shape, TypedArray } from '@surrograd/core';
import { allocArray, sizeOf } from '@surrograd/core';

/** A zeroed result array for `shape`. */
export function allocFor(dtype: DType, shape: Shape): TypedArray {
  return allocArray(dtype, sizeOf(shape));
}

/** table[key], or an error naming the kernel, the unknown key and the known ones. */
export function pick<T>(kernel: string, what: string, table: Readonly<Record<string, T>>, key: unknown): T {
  if (typeof key === 'string' && Object.hasOwn(table, key)) return table[key];
  throw new Error(`${kernel}: unknown ${what} ${JSON.stringify(key)}; known: ${Object.keys(table).join(', ')}`);
}

/** dst[dstOff..+n) = src[srcOff..+n). A plain loop for short runs, where subarray's allocation dominates. */
export function copyRun(src: TypedArray, srcOff: number, dst: TypedArray, dstOff: number, n: number): void {
  if (n < 48) {
    for (let j = 0; j < n; j++) dst[dstOff + j] = src[srcOff + j];
  } else {
    dst.set(src.subarray(srcOff, srcOff + n), dstOff);
  }
}
