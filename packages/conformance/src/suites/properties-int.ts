/**
 * Properties of Unary, Binary and Reduce on int32 and bool, the dtype paths the float properties
 * leave out: neg/abs/square/sign and add/sub/mul/maximum/minimum on int32 with broadcasting, sum
 * (in int32), max and min of int32 and bool over random axes; and Reduce's prod, which no op
 * reaches, through runKernel on float32 and int32. Exact against plain JS, away from int32 overflow
 * (where wrapping is the kernel's choice).
 */
import { type Axes, runKernel, type Tensor } from '@surrograd/core';
import fc from 'fast-check';
import { describe } from 'vitest';
import { property } from '../declare-property.js';
import type { KitContext } from '../options.js';
import { nonEmptyShape, shape, values } from '../property-arbitraries.js';
import { expectClose, expectDType, expectExact, expectShape, withLeaves } from '../property-check.js';
import { broadcastableShapes, shapeSmallOrLong } from '../property-shapes.js';
import { broadcastIndices, broadcastShape, sizeOf } from '../reference/broadcast.js';
import { forEachIndex } from '../reference/data-movement.js';
import { type ReduceName, reduceReference } from '../reference/reduce.js';

type Method = (this: Tensor, ...args: unknown[]) => Tensor;
const method = (t: Tensor, name: string): Method => (t as unknown as Record<string, Method>)[name] as Method;

/** |v| ≤ 30000, so no sum, difference or product of two leaves int32's range. */
const smallInts = (s: readonly number[]) =>
  fc.array(fc.oneof(fc.integer({ min: -5, max: 5 }), fc.integer({ min: -30000, max: 30000 })), {
    minLength: sizeOf(s),
    maxLength: sizeOf(s),
  });

const INT_UNARY: Record<string, (v: number) => number> = {
  neg: (v) => -v + 0,
  abs: Math.abs,
  square: (v) => v * v,
  sign: Math.sign,
};

function intUnaryProperty(kit: KitContext, op: string): void {
  const ref = INT_UNARY[op] as (v: number) => number;
  const arbitrary = shapeSmallOrLong(0, 3).chain((s) => fc.tuple(fc.constant(s), smallInts(s)));
  property(kit, `properties/int32/${op}`, arbitrary, async ([s, x]) => {
    const label = `${op} int32 [${s}]`;
    await withLeaves(
      [{ shape: s, data: x, dtype: 'int32' }],
      (t) => [method(t, op).call(t)],
      ([y], [yv]) => {
        expectDType(label, y!.dtype, 'int32');
        expectShape(label, y!.shape, s);
        expectExact(label, yv!, x.map(ref));
      },
    );
  });
}

const INT_BINARY: Record<string, (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  maximum: Math.max,
  minimum: Math.min,
};

function intBinaryProperty(kit: KitContext, op: string): void {
  const ref = INT_BINARY[op] as (a: number, b: number) => number;
  const arbitrary = broadcastableShapes(2, shapeSmallOrLong(0, 3)).chain(([sa, sb]) =>
    fc.tuple(fc.constant(sa!), fc.constant(sb!), smallInts(sa!), smallInts(sb!)),
  );
  property(kit, `properties/int32/${op}`, arbitrary, async ([sa, sb, a, b]) => {
    const label = `${op} int32 [${sa}] and [${sb}]`;
    await withLeaves(
      [
        { shape: sa, data: a, dtype: 'int32' },
        { shape: sb, data: b, dtype: 'int32' },
      ],
      (ta, tb) => [method(ta!, op).call(ta, tb)],
      ([y], [yv]) => {
        const out = broadcastShape(sa, sb);
        const ia = broadcastIndices(sa, out);
        const ib = broadcastIndices(sb, out);
        expectDType(label, y!.dtype, 'int32');
        expectShape(label, y!.shape, out);
        expectExact(
          label,
          yv!,
          Array.from(ia, (i, k) => ref(a[i] as number, b[ib[k] as number] as number)),
        );
      },
    );
  });
}

/** An int32 or bool tensor, axes to reduce (none: all), keepDims; max/min only see non-empty shapes. */
const exactReduceCase = (op: ReduceName) =>
  fc
    .tuple(op === 'sum' ? shape : nonEmptyShape, fc.constantFrom<'int32' | 'bool'>('int32', 'bool'), fc.boolean())
    .chain(([s, dtype, keepDims]) =>
      fc.tuple(
        fc.constant({ s, dtype, keepDims }),
        dtype === 'int32' ? smallInts(s) : fc.array(fc.constantFrom(0, 1), { minLength: sizeOf(s), maxLength: sizeOf(s) }),
        fc.subarray(s.map((_, i) => i)),
      ),
    );

function exactReduceProperty(kit: KitContext, op: 'sum' | 'max' | 'min'): void {
  property(kit, `properties/reduce/${op}-int32-bool`, exactReduceCase(op), async ([{ s, dtype, keepDims }, x, picked]) => {
    const axes = picked.length === 0 ? s.map((_, i) => i) : picked;
    const expected = reduceReference(op, x, s, axes, keepDims);
    // sum adds in int32 (as PyTorch); max and min keep the dtype (for bool: any and all).
    const outDType = op === 'sum' ? 'int32' : dtype;
    const label = `${op} ${dtype} [${s}] over [${axes}] keepDims ${keepDims}`;
    await withLeaves(
      [{ shape: s, data: x, dtype }],
      (t) => [method(t, op).call(t, picked.length === 0 ? undefined : (axes as Axes), keepDims)],
      ([y], [yv]) => {
        expectDType(label, y!.dtype, outDType);
        expectShape(label, y!.shape, picked.length === 0 && !keepDims ? [] : expected.shape);
        expectExact(label, yv!, Array.from(expected.values));
      },
    );
  });
}

/** Float factors in [-1.5, 1.5] (products stay finite over 125 of them), or int32 factors in [-2, 2] over at most 30 elements. */
const prodCase = fc
  .tuple(shape, fc.constantFrom<'float32' | 'int32'>('float32', 'int32'), fc.boolean())
  .filter(([s, dtype]) => dtype === 'float32' || sizeOf(s) <= 30)
  .chain(([s, dtype, keepDims]) =>
    fc.tuple(
      fc.constant({ s, dtype, keepDims }),
      dtype === 'float32'
        ? values(s).map((vs) => vs.map((v) => Math.fround(v * 0.375)))
        : fc.array(fc.integer({ min: -2, max: 2 }), { minLength: sizeOf(s), maxLength: sizeOf(s) }),
      fc.subarray(s.map((_, i) => i)),
    ),
  );

function prodProperty(kit: KitContext): void {
  property(kit, 'properties/reduce/prod', prodCase, async ([{ s, dtype, keepDims }, x, axes]) => {
    const label = `Reduce prod ${dtype} [${s}] over [${axes}] keepDims ${keepDims}`;
    const outShape = keepDims ? s.map((d, i) => (axes.includes(i) ? 1 : d)) : s.filter((_, i) => !axes.includes(i));
    const products = new Array<number>(sizeOf(outShape)).fill(1);
    // Each input multiplies into the output at its coordinates with the reduced axes dropped.
    forEachIndex(s, (coord, i) => {
      const o = s.reduce((at, d, axis) => (axes.includes(axis) ? at : at * d + (coord[axis] as number)), 0);
      products[o] = (products[o] as number) * (x[i] as number);
    });
    await withLeaves(
      [{ shape: s, data: x, dtype, grad: false }],
      (t) => [runKernel('Reduce', [t], { op: 'prod', axes, keepDims })],
      ([y], [yv]) => {
        expectDType(label, y!.dtype, dtype);
        expectShape(label, y!.shape, axes.length === 0 ? s : outShape);
        if (dtype === 'int32') expectExact(label, yv!, axes.length === 0 ? x : products);
        else expectClose(label, yv!, axes.length === 0 ? x : products, kit.tolerance);
      },
    );
  });
}

export function propertiesIntSuite(kit: KitContext): void {
  describe('properties: int32 and bool arithmetic and reductions', () => {
    for (const op of Object.keys(INT_UNARY)) intUnaryProperty(kit, op);
    for (const op of Object.keys(INT_BINARY)) intBinaryProperty(kit, op);
    for (const op of ['sum', 'max', 'min'] as const) exactReduceProperty(kit, op);
    prodProperty(kit);
  });
}
