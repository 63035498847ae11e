/**
 * Element values for the property suites beyond plain floats: each dtype's values mixed with the
 * edge values a kernel must carry or decide on (±0, ±Infinity, NaN, int32's extremes, ties).
 */
import fc from 'fast-check';
import { values } from './property-arbitraries.js';
import { sizeOf } from './reference/broadcast.js';

/** The dtypes every backend stores; data movement and comparisons run on each. */
export type StoredDType = 'float32' | 'int32' | 'bool';
export const storedDType = fc.constantFrom<StoredDType>('float32', 'int32', 'bool');

/** A few values repeated often, so comparisons meet equal operands and searches meet ties. */
const FLOAT_TIES = [0, -0, 1, -1, 0.5, -2.5];
const FLOAT_EDGES = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
/** int32's extremes and their neighbours: a kernel that goes through float32 cannot tell them apart. */
const INT_EDGES = [2147483647, 2147483646, -2147483648, -2147483647];

/** A float32 sample in [-4, 4] (subnormals flushed, as `values`), a tie value, or (with `edges`) NaN/±Infinity. */
export function floatElement(edges: boolean): fc.Arbitrary<number> {
  const plain = values([1]).map((v) => v[0] as number);
  return fc.oneof(
    { weight: 6, arbitrary: plain },
    { weight: 2, arbitrary: fc.constantFrom(...FLOAT_TIES) },
    ...(edges ? [{ weight: 1, arbitrary: fc.constantFrom(...FLOAT_EDGES) }] : []),
  );
}

/** Small ints (ties), wider ones, and (with `extremes`) int32's extremes. */
export function intElement(extremes: boolean): fc.Arbitrary<number> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.integer({ min: -5, max: 5 }) },
    { weight: 2, arbitrary: fc.integer({ min: -100000, max: 100000 }) },
    ...(extremes ? [{ weight: 1, arbitrary: fc.constantFrom(...INT_EDGES) }] : []),
  );
}

export const boolElement: fc.Arbitrary<number> = fc.constantFrom(0, 1);

/** An element of `dtype`; `edges` adds NaN and ±Infinity to floats and int32's extremes to ints. */
export function elementOf(dtype: StoredDType, edges: boolean): fc.Arbitrary<number> {
  return dtype === 'float32' ? floatElement(edges) : dtype === 'int32' ? intElement(edges) : boolElement;
}

/** Values for a tensor of `shape` and `dtype`, edge values only when asked. */
export function valuesOf(dtype: StoredDType, shape: readonly number[], edges = false): fc.Arbitrary<number[]> {
  const n = sizeOf(shape);
  return fc.array(elementOf(dtype, edges), { minLength: n, maxLength: n });
}

/** Cotangents for a gradient check: floats in [-2, 2] that differ, so no permutation of them hides; subnormals flushed (GPUs may). */
export function cotangents(shape: readonly number[]): fc.Arbitrary<number[]> {
  return values(shape).map((vs) => vs.map((v) => (Math.abs(v) < 2 ** -125 ? v * 0 : v / 2)));
}
