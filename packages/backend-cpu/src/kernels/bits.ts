import type { TypedArray } from '@surrograd/core';

/**
 * The same memory as 32-bit integers: float32/int32 one word per element, float64 two
 * (little-endian: low word first). Lets kernels select and mask floats with integer ops, which
 * run without the data-dependent branches that comparisons of floats compile to.
 */
export function wordsOf(values: TypedArray): Int32Array {
  return new Int32Array(values.buffer, values.byteOffset, values.byteLength >> 2);
}
