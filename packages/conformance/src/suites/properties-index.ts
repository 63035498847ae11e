/**
 * Properties of the index kernels: ArgReduce through argmax/argmin over a random axis (ties go to
 * the first index, a NaN wins both searches), and Gather with its adjoint ScatterAdd through gather
 * and its gradient: random valid indices with repeats, as an int32 tensor of rank 0 to 2 or a plain
 * array, on every stored dtype, with a random cotangent so each scattered slice is told apart.
 */
import { type ArgReduceOp, gather, type Tensor, tensor } from '@surrograd/core';
import fc from 'fast-check';
import { describe } from 'vitest';
import { property } from '../declare-property.js';
import type { KitContext } from '../options.js';
import { expectClose, expectDType, expectExact, expectShape, withLeaves } from '../property-check.js';
import { axisOf, shapeOfRank, shapeSmallOrLong } from '../property-shapes.js';
import { cotangents, storedDType, valuesOf } from '../property-values.js';
import { argReduceReference } from '../reference/arg-reduce.js';
import { sizeOf } from '../reference/broadcast.js';
import { gatherReference, scatterAddReference } from '../reference/data-movement.js';

/** A shape of rank 1 to 3 non-empty along the searched axis; the axis left out means the default, the last. */
const argCase = fc
  .tuple(shapeSmallOrLong(1, 3), storedDType, fc.boolean(), fc.boolean())
  .chain(([s, dtype, keepDims, edges]) =>
    fc.tuple(fc.constant({ dtype, keepDims, edges }), fc.constant(s), fc.option(axisOf(s.length), { nil: undefined })),
  )
  .chain(([c, s, axis]) => {
    const a = axis === undefined ? s.length - 1 : axis < 0 ? axis + s.length : axis;
    const shape = s.map((d, i) => (i === a ? Math.max(d, 1) : d));
    return fc.tuple(fc.constant({ ...c, shape, axis, a }), valuesOf(c.dtype, shape, c.edges));
  });

function argReduceProperty(kit: KitContext, op: ArgReduceOp): void {
  property(kit, `properties/argreduce/${op}`, argCase, async ([{ dtype, keepDims, shape, axis, a }, x]) => {
    const expected = argReduceReference(op, x, shape, a, keepDims);
    const label = `${op} ${dtype} [${shape}] axis ${axis ?? 'default'} keepDims ${keepDims}`;
    await withLeaves(
      [{ shape, data: x, dtype, grad: false }],
      (t) => {
        const search = (t as unknown as Record<ArgReduceOp, (axis?: number, keepDims?: boolean) => Tensor>)[op];
        return [axis === undefined && !keepDims ? search.call(t) : search.call(t, axis ?? -1, keepDims)];
      },
      ([y], [yv]) => {
        expectDType(label, y!.dtype, 'int32');
        expectShape(label, y!.shape, expected.shape);
        expectExact(label, yv!, expected.values);
      },
    );
  });
}

/**
 * x of rank 1 to 3, an axis, and indices of rank 0 to 2 (sometimes long) valid for that axis, with
 * repeats; an empty axis takes only empty indices. `asArray` passes rank-1 indices as number[].
 */
const gatherCase = fc
  .tuple(shapeSmallOrLong(1, 3), storedDType)
  .chain(([s, dtype]) =>
    fc.tuple(
      fc.constant(s),
      fc.constant(dtype),
      axisOf(s.length),
      fc.oneof({ weight: 5, arbitrary: shapeOfRank(0, 2) }, { weight: 1, arbitrary: fc.integer({ min: 33, max: 300 }).map((n) => [n]) }),
      fc.boolean(),
    ),
  )
  .chain(([s, dtype, axis, indicesShape, asArray]) => {
    const a = axis < 0 ? axis + s.length : axis;
    const n = s[a] as number;
    const iShape = n === 0 && sizeOf(indicesShape) > 0 ? [0] : indicesShape;
    const out = [...s.slice(0, a), ...iShape, ...s.slice(a + 1)];
    const count = sizeOf(iShape);
    return fc.tuple(
      fc.constant({ s, dtype, axis, a, iShape, out, asArray: asArray && iShape.length === 1 }),
      valuesOf(dtype, s, true),
      // The ends of the axis come up often, so indices repeat even along a long axis.
      fc.array(fc.oneof(fc.integer({ min: 0, max: Math.max(n - 1, 0) }), fc.constantFrom(0, Math.max(n - 1, 0))), {
        minLength: count,
        maxLength: count,
      }),
      cotangents(out),
    );
  });

function gatherProperty(kit: KitContext): void {
  property(kit, 'properties/gather', gatherCase, async ([{ s, dtype, axis, a, iShape, out, asArray }, x, indices, dy]) => {
    const expected = gatherReference(x, s, indices, iShape, a);
    const label = `gather ${dtype} [${s}] along ${axis} at ${asArray ? 'the array' : `int32 [${iShape}]`} [${indices.join(', ')}]`;
    const float = dtype === 'float32';
    await withLeaves(
      [
        { shape: s, data: x, dtype },
        { shape: iShape, data: indices, dtype: 'int32' },
      ],
      (t, idx) => {
        const y = gather(t!, asArray ? indices : idx!, axis);
        if (float) y.backward(tensor(Float32Array.from(dy), { shape: out }));
        return [y];
      },
      ([y], [yv], [g]) => {
        expectDType(label, y!.dtype, dtype);
        expectShape(label, y!.shape, out);
        expectExact(label, yv!, expected.values);
        if (!float) return;
        expectClose(
          `${label} gradient (scatter-add)`,
          g!,
          scatterAddReference(dy, indices, s, a),
          kit.tolerance,
          scatterAddReference(dy.map(Math.abs), indices, s, a),
        );
      },
    );
  });
}

export function propertiesIndexSuite(kit: KitContext): void {
  describe('properties: argmax/argmin and gather', () => {
    argReduceProperty(kit, 'argmax');
    argReduceProperty(kit, 'argmin');
    gatherProperty(kit);
  });
}
