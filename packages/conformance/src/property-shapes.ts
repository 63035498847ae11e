/**
 * Shapes for the property suites beyond those of property-arbitraries.ts: ranks up to 4, now and
 * then one long axis (past SIMD widths, 32-bit mask words and GPU workgroups), several shapes that
 * broadcast together, permutations and per-axis windows.
 */
import fc from 'fast-check';
import { dim } from './property-arbitraries.js';

/** A shape of rank in [minRank, maxRank] with dims in [0, 5]. */
export const shapeOfRank = (minRank: number, maxRank: number) => fc.array(dim, { minLength: minRank, maxLength: maxRank });

/** Mostly small shapes; sometimes one axis of 33 to 700 elements beside axes of 1 to 4 (at most about 11,000 elements). */
export const shapeSmallOrLong = (minRank: number, maxRank: number): fc.Arbitrary<number[]> => {
  const long =
    maxRank < 1
      ? shapeOfRank(minRank, maxRank)
      : fc
          .tuple(fc.array(fc.integer({ min: 1, max: 4 }), { minLength: Math.max(minRank, 1) - 1, maxLength: maxRank - 1 }), fc.nat())
          .chain(([rest, at]) =>
            fc.integer({ min: 33, max: 700 }).map((n) => {
              const s = [...rest];
              s.splice(at % (rest.length + 1), 0, n);
              return s;
            }),
          );
  return fc.oneof({ weight: 5, arbitrary: shapeOfRank(minRank, maxRank) }, { weight: 1, arbitrary: long });
};

/** `count` shapes that broadcast together: each is `base` with some dims set to 1 and some leading dims dropped. */
export const broadcastableShapes = (count: number, base: fc.Arbitrary<number[]> = shapeOfRank(0, 3)): fc.Arbitrary<number[][]> =>
  base.chain((b) =>
    fc.array(
      fc
        .tuple(fc.array(fc.boolean(), { minLength: b.length, maxLength: b.length }), fc.integer({ min: 0, max: b.length }))
        .map(([ones, drop]) => b.map((d, i) => (ones[i] ? 1 : d)).slice(drop)),
      { minLength: count, maxLength: count },
    ),
  );

/** A permutation of [0, rank). */
export const permutation = (rank: number): fc.Arbitrary<number[]> =>
  fc.shuffledSubarray(
    Array.from({ length: rank }, (_, i) => i),
    { minLength: rank, maxLength: rank },
  );

/** An axis of a tensor of rank `rank` (≥ 1), sometimes written negative (counting from the end). */
export const axisOf = (rank: number): fc.Arbitrary<number> =>
  fc.tuple(fc.integer({ min: 0, max: rank - 1 }), fc.boolean()).map(([a, negative]) => (negative ? a - rank : a));
