/**
 * fast-check generators for the property suite: shapes with 0, 1 and odd lengths, broadcastable
 * pairs, and float32 values of a given shape. Small sizes keep each run to a few kernel calls.
 */
import fc from 'fast-check';
import { sizeOf } from './reference/broadcast.js';

export const dim = fc.integer({ min: 0, max: 5 });
export const shape = fc.array(dim, { maxLength: 3 });
export const nonEmptyShape = fc.array(fc.integer({ min: 1, max: 5 }), { maxLength: 3 });

/** A shape and another that broadcasts with it: some dims replaced by 1, some leading dims dropped. */
export const broadcastablePair = shape.chain((a) =>
  fc
    .tuple(fc.array(fc.boolean(), { minLength: a.length, maxLength: a.length }), fc.integer({ min: 0, max: a.length }), fc.boolean())
    .map(([ones, drop, swap]) => {
      const b = a.map((d, i) => (ones[i] ? 1 : d)).slice(drop);
      return swap ? ([b, a] as const) : ([a, b] as const);
    }),
);

/** The smallest normal float32: GPUs may flush smaller magnitudes to zero (WGSL allows it). */
const MIN_NORMAL = 2 ** -126;

/** float32 samples in [-4, 4], subnormals flushed to (signed) zero; ops map them into their domains. */
export const values = (s: readonly number[]) =>
  fc
    .array(fc.float({ min: -4, max: 4, noNaN: true }), { minLength: sizeOf(s), maxLength: sizeOf(s) })
    .map((vs) => vs.map((v) => (Math.abs(v) < MIN_NORMAL ? v * 0 : v)));

export const shapeWithValues = (s: fc.Arbitrary<number[]>) => s.chain((sh) => fc.tuple(fc.constant(sh), values(sh)));

export interface MatmulCase {
  aShape: number[];
  bShape: number[];
  a: number[];
  b: number[];
}

/** matrix·matrix, vector·matrix, matrix·vector and equal-batch products, with any of m, k, n 0 or 1. */
export const matmulCase: fc.Arbitrary<MatmulCase> = fc
  .tuple(dim, dim, dim, fc.integer({ min: 1, max: 3 }), fc.constantFrom('mm', 'vm', 'mv', 'bmm'))
  .chain(([m, k, n, batch, kind]) => {
    const aShape = kind === 'vm' ? [k] : kind === 'bmm' ? [batch, m, k] : [m, k];
    const bShape = kind === 'mv' ? [k] : kind === 'bmm' ? [batch, k, n] : [k, n];
    return fc.tuple(values(aShape), values(bShape)).map(([a, b]) => ({ aShape, bShape, a, b }));
  });

/** Runs per property: few in CI, more with SURROGRAD_PROPERTY_RUNS; SURROGRAD_PROPERTY_SEED replays a failure. */
export function propertyParameters(): fc.Parameters<unknown> {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env ?? {};
  const runs = Number(env.SURROGRAD_PROPERTY_RUNS);
  const seed = Number(env.SURROGRAD_PROPERTY_SEED);
  return {
    numRuns: Number.isInteger(runs) && runs > 0 ? runs : 15,
    ...(env.SURROGRAD_PROPERTY_SEED !== undefined && Number.isInteger(seed) ? { seed } : {}),
  };
}
