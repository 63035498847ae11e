/**
 * Elementwise loops run over at most this many elements per call. Measured on 4M float32
 * elements (node 20): a loop split into 8K-element blocks runs 2-3x faster than one loop over
 * the whole array, for add, relu and copies alike; blocks of 1K-64K do about as well.
 */
export const BLOCK = 8192;
