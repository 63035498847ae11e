import type { TypedArray } from '@surrograd/core';

/** Throws a RangeError naming the kernel, the first index outside [0, size), the axis and its size. */
export function assertIndices(kernel: string, indices: TypedArray, axis: number, size: number): void {
  for (let t = 0; t < indices.length; t++) {
    const index = indices[t];
    if (!(index >= 0 && index < size && Number.isInteger(index))) {
      throw new RangeError(
        `${kernel}: index ${index} (at position ${t}) is out of range for axis ${axis} of size ${size}; ` +
          `expected an integer in [0, ${size})`,
      );
    }
  }
}
