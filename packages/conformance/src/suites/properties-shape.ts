/**
 * Properties of the data-movement kernels BroadcastTo, Transpose, Slice, Pad and Concat through
 * broadcastTo, permute, slice, pad and concat: random shapes (0, 1, odd and long lengths, ranks 0
 * to 4), every stored dtype (values moved exactly, NaN and ±Infinity included), and for float32 the
 * gradient of sum(out · dy) for a random dy, whose adjoints are the same kernels run the other way.
 */
import { concat, pad, type Tensor, tensor } from '@surrograd/core';
import fc from 'fast-check';
import { describe } from 'vitest';
import { property } from '../declare-property.js';
import type { KitContext, Tolerance } from '../options.js';
import { dim } from '../property-arbitraries.js';
import { expectClose, expectDType, expectExact, expectShape, type Leaf, withLeaves } from '../property-check.js';
import { axisOf, broadcastableShapes, permutation, shapeOfRank, shapeSmallOrLong } from '../property-shapes.js';
import { cotangents, elementOf, type StoredDType, storedDType, valuesOf } from '../property-values.js';
import { broadcastIndices, sumToShape } from '../reference/broadcast.js';
import {
  concatReference,
  inversePermutation,
  type Moved,
  padReference,
  sliceReference,
  transposeReference,
} from '../reference/data-movement.js';

/** Values of `shape` and `dtype` with edges, and a cotangent of `outShape`. */
const dataAndCotangent = (dtype: StoredDType, shape: readonly number[], outShape: readonly number[]) =>
  fc.tuple(valuesOf(dtype, shape, true), cotangents(outShape));

/**
 * Runs `op` on one leaf, checks the moved values exactly, and for float32 the gradient of
 * sum(out · dy) against `adjoint(dy)` (exact for pure movement; summed adjoints within tolerance).
 */
async function checkMove(
  label: string,
  leaf: Leaf,
  op: (x: Tensor) => Tensor,
  expected: Moved,
  dy: readonly number[],
  adjoint: (dy: readonly number[]) => number[],
  tol: Tolerance | null,
): Promise<void> {
  const float = (leaf.dtype ?? 'float32') === 'float32';
  await withLeaves(
    [leaf],
    (x) => {
      const y = op(x);
      if (float) y.backward(tensor(Float32Array.from(dy), { shape: expected.shape }));
      return [y];
    },
    ([y], [yv], [g]) => {
      expectDType(label, y!.dtype, leaf.dtype ?? 'float32');
      expectShape(label, y!.shape, expected.shape);
      expectExact(label, yv!, expected.values);
      if (!float) return;
      const want = adjoint(dy);
      if (tol) expectClose(`${label} gradient`, g!, want, tol, adjoint(dy.map(Math.abs)));
      else expectExact(`${label} gradient`, g!, want);
    },
  );
}

const broadcastCase = fc
  .tuple(shapeSmallOrLong(0, 4), storedDType)
  .chain(([target, dtype]) => fc.tuple(fc.constant(target), fc.constant(dtype), broadcastableShapes(1, fc.constant(target))))
  .chain(([target, dtype, [from]]) => fc.tuple(fc.constant({ target, dtype, from: from! }), dataAndCotangent(dtype, from!, target)));

function broadcastToProperty(kit: KitContext): void {
  property(kit, 'properties/broadcastTo', broadcastCase, async ([{ target, dtype, from }, [x, dy]]) => {
    const idx = broadcastIndices(from, target);
    await checkMove(
      `broadcastTo ${dtype} [${from}] → [${target}]`,
      { shape: from, data: x, dtype },
      (t) => t.broadcastTo(target),
      { shape: target, values: Array.from(idx, (i) => x[i] as number) },
      dy,
      (g) => Array.from(sumToShape(g, target, from)),
      kit.tolerance,
    );
  });
}

/** A permutation, its entries sometimes written negative (counting from the end). */
const transposeCase = fc
  .tuple(shapeSmallOrLong(0, 4), storedDType)
  .chain(([s, dtype]) =>
    fc.tuple(
      fc.constant(s),
      fc.constant(dtype),
      permutation(s.length),
      fc.array(fc.boolean(), { minLength: s.length, maxLength: s.length }),
    ),
  )
  .chain(([s, dtype, perm, negative]) => {
    const out = perm.map((p) => s[p] as number);
    return fc.tuple(
      fc.constant({ s, dtype, perm, written: perm.map((p, i) => (negative[i] ? p - s.length : p)) }),
      dataAndCotangent(dtype, s, out),
    );
  });

function transposeProperty(kit: KitContext): void {
  property(kit, 'properties/transpose', transposeCase, async ([{ s, dtype, perm, written }, [x, dy]]) => {
    const expected = transposeReference(x, s, perm);
    await checkMove(
      `permute ${dtype} [${s}] by [${written}]`,
      { shape: s, data: x, dtype },
      (t) => t.permute(written),
      expected,
      dy,
      (g) => transposeReference(g, expected.shape, inversePermutation(perm)).values,
      null,
    );
  });
}

interface SliceWindow {
  begin: number;
  len: number;
}

/** Per axis a window [begin, begin + len) inside the dim; begin sometimes negative, size sometimes -1 (to the end), trailing axes sometimes left out. */
const sliceCase = fc
  .tuple(shapeSmallOrLong(0, 3), storedDType)
  .chain(([s, dtype]) =>
    fc.tuple(
      fc.constant(s),
      fc.constant(dtype),
      fc.tuple(
        ...s.map((d) =>
          fc.integer({ min: 0, max: d }).chain((begin) =>
            fc.record({
              begin: fc.constant(begin),
              len: fc.integer({ min: 0, max: d - begin }),
              negative: fc.boolean(),
              toEnd: fc.boolean(),
            }),
          ),
        ),
      ),
      fc.integer({ min: 0, max: s.length }),
      fc.boolean(),
    ),
  )
  .chain(([s, dtype, windows, given, withSize]) => {
    // Axes past `given` are left out of begin (and size): they are taken whole.
    const resolved: SliceWindow[] = windows.map((w, i) => (i < given ? { begin: w.begin, len: w.len } : { begin: 0, len: s[i] as number }));
    const begin = windows.slice(0, given).map((w, i) => (w.negative && w.begin < (s[i] as number) ? w.begin - (s[i] as number) : w.begin));
    const size = withSize ? windows.slice(0, given).map((w, i) => (w.toEnd && w.begin + w.len === s[i] ? -1 : w.len)) : undefined;
    const effective = withSize ? resolved : resolved.map((w, i) => ({ begin: w.begin, len: (s[i] as number) - w.begin }));
    return fc.tuple(
      fc.constant({ s, dtype, begin, size, windows: effective }),
      dataAndCotangent(
        dtype,
        s,
        effective.map((w) => w.len),
      ),
    );
  });

function sliceProperty(kit: KitContext): void {
  property(kit, 'properties/slice', sliceCase, async ([{ s, dtype, begin, size, windows }, [x, dy]]) => {
    const b = windows.map((w) => w.begin);
    const len = windows.map((w) => w.len);
    await checkMove(
      `slice ${dtype} [${s}] begin [${begin}] size ${size ? `[${size}]` : 'omitted'}`,
      { shape: s, data: x, dtype },
      (t) => t.slice(begin, size),
      sliceReference(x, s, b, len),
      dy,
      (g) =>
        padReference(
          g,
          len,
          windows.map((w, i) => [w.begin, (s[i] as number) - w.begin - w.len] as [number, number]),
          0,
        ).values,
      null,
    );
  });
}

const padCase = fc
  .tuple(shapeSmallOrLong(0, 3), storedDType)
  .chain(([s, dtype]) =>
    fc.tuple(
      fc.constant(s),
      fc.constant(dtype),
      fc.tuple(...s.map(() => fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 })))),
      fc.option(elementOf(dtype, true), { nil: undefined }),
    ),
  )
  .chain(([s, dtype, paddings, value]) => {
    const out = s.map((d, i) => d + paddings[i]![0] + paddings[i]![1]);
    return fc.tuple(fc.constant({ s, dtype, paddings: paddings as [number, number][], value }), dataAndCotangent(dtype, s, out));
  });

function padProperty(kit: KitContext): void {
  property(kit, 'properties/pad', padCase, async ([{ s, dtype, paddings, value }, [x, dy]]) => {
    const expected = padReference(x, s, paddings, value ?? 0);
    await checkMove(
      `pad ${dtype} [${s}] by ${JSON.stringify(paddings)} with ${value ?? 'the default 0'}`,
      { shape: s, data: x, dtype },
      (t) => (value === undefined ? pad(t, paddings) : pad(t, paddings, value)),
      expected,
      dy,
      (g) =>
        sliceReference(
          g,
          expected.shape,
          paddings.map((p) => p[0]),
          s,
        ).values,
      null,
    );
  });
}

/** 1 to 4 parts of rank 1 to 3 agreeing off `axis`, each of any length along it (0 included, sometimes long). */
const concatCase = fc
  .tuple(shapeOfRank(1, 3), storedDType, fc.integer({ min: 1, max: 4 }))
  .chain(([base, dtype, count]) =>
    fc.tuple(
      fc.constant(base),
      fc.constant(dtype),
      axisOf(base.length),
      fc.array(fc.oneof({ weight: 5, arbitrary: dim }, { weight: 1, arbitrary: fc.integer({ min: 33, max: 300 }) }), {
        minLength: count,
        maxLength: count,
      }),
    ),
  )
  .chain(([base, dtype, axis, lengths]) => {
    const a = axis < 0 ? axis + base.length : axis;
    const shapes = lengths.map((n) => base.map((d, i) => (i === a ? n : d)));
    const out = base.map((d, i) => (i === a ? lengths.reduce((x, y) => x + y, 0) : d));
    return fc.tuple(
      fc.constant({ dtype, axis, a, shapes, out }),
      fc.tuple(...shapes.map((s) => valuesOf(dtype, s, true))),
      cotangents(out),
    );
  });

function concatProperty(kit: KitContext): void {
  property(kit, 'properties/concat', concatCase, async ([{ dtype, axis, a, shapes, out }, parts, dy]) => {
    const label = `concat ${dtype} of ${shapes.map((s) => `[${s}]`).join(', ')} along ${axis}`;
    const expected = concatReference(
      shapes.map((shape, i) => ({ shape, data: parts[i]! })),
      a,
    );
    const float = dtype === 'float32';
    await withLeaves(
      shapes.map((shape, i) => ({ shape, data: parts[i]!, dtype })),
      (...ts) => {
        const y = concat(ts, axis);
        if (float) y.backward(tensor(Float32Array.from(dy), { shape: out }));
        return [y];
      },
      ([y], [yv], grads) => {
        expectDType(label, y!.dtype, dtype);
        expectShape(label, y!.shape, out);
        expectExact(label, yv!, expected.values);
        if (!float) return;
        let offset = 0;
        shapes.forEach((shape, i) => {
          const begin = shape.map((_, d) => (d === a ? offset : 0));
          offset += shape[a] as number;
          expectExact(`${label} gradient of part ${i}`, grads[i]!, sliceReference(dy, out, begin, shape).values);
        });
      },
    );
  });
}

export function propertiesShapeSuite(kit: KitContext): void {
  describe('properties: data movement', () => {
    broadcastToProperty(kit);
    transposeProperty(kit);
    sliceProperty(kit);
    padProperty(kit);
    concatProperty(kit);
  });
}
