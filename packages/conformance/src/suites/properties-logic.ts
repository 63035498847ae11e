/**
 * Properties of the Compare, Logical and Where kernels (and Unary's logicalNot): broadcast shapes
 * (0, 1, odd and long lengths), every stored dtype, operands that tie, NaN and ±Infinity, int32's
 * extremes, numbers as operands, exact against plain JS; where's gradient to each branch, summed
 * back to its shape, against the reference.
 */
import {
  COMPARE_OP_NAMES,
  type CompareOp,
  LOGICAL_OP_NAMES,
  type LogicalOp,
  logicalAnd,
  logicalNot,
  logicalOr,
  logicalXor,
  type Tensor,
  tensor,
  where,
} from '@surrograd/core';
import fc from 'fast-check';
import { describe } from 'vitest';
import { property } from '../declare-property.js';
import type { KitContext } from '../options.js';
import { expectClose, expectDType, expectExact, expectShape, withLeaves } from '../property-check.js';
import { broadcastableShapes, shapeSmallOrLong } from '../property-shapes.js';
import { cotangents, elementOf, type StoredDType, storedDType, valuesOf } from '../property-values.js';
import { broadcastIndices, broadcastShape, sumToShape } from '../reference/broadcast.js';
import { COMPARE_REFERENCES, LOGICAL_REFERENCES } from '../reference/logic.js';

const operandShapes = (count: number) => broadcastableShapes(count, shapeSmallOrLong(0, 3));

/** Values for each shape in its operand's dtype, edge values (NaN, ±Infinity, int32's extremes) included. */
const operands = (shapes: number[][], dtypes: StoredDType[]) =>
  fc.tuple(...shapes.map((s, i) => valuesOf(dtypes[i] as StoredDType, s, true)));

/** out[i] = f(a[ia[i]], b[ib[i]]) over the broadcast of the shapes. */
function broadcastMap(
  shapes: readonly (readonly number[])[],
  data: readonly (readonly number[])[],
  f: (...v: number[]) => number,
): { shape: number[]; values: number[] } {
  const shape = shapes.reduce<number[]>((acc, s) => broadcastShape(acc, s), []);
  const idx = shapes.map((s) => broadcastIndices(s, shape));
  const n = shape.reduce((a, b) => a * b, 1);
  const values: number[] = [];
  for (let i = 0; i < n; i++) values.push(f(...data.map((d, k) => d[(idx[k] as Int32Array)[i] as number] as number)));
  return { shape, values };
}

const compareCase = fc
  .tuple(operandShapes(2), storedDType, fc.boolean())
  .chain(([[sa, sb], dtype, scalarB]) =>
    fc.tuple(fc.constant({ sa: sa!, sb: scalarB ? [] : sb!, dtype, scalarB }), operands([sa!, scalarB ? [] : sb!], [dtype, dtype])),
  );

function compareProperty(kit: KitContext, op: CompareOp): void {
  property(kit, `properties/compare/${op}`, compareCase, async ([{ sa, sb, dtype, scalarB }, [a, b]]) => {
    const ref = COMPARE_REFERENCES[op];
    const expected = broadcastMap([sa, sb], [a, b], (x, y) => +ref(x, y));
    const label = `${op} ${dtype} [${sa}] vs ${scalarB ? `the number ${b[0]}` : `[${sb}]`}`;
    await withLeaves(
      [
        { shape: sa, data: a, dtype, grad: false },
        { shape: sb, data: b, dtype, grad: false },
      ],
      (ta, tb) => {
        const other = scalarB ? (b[0] as number) : tb;
        const method = (ta as unknown as Record<CompareOp, (b: Tensor | number) => Tensor>)[op];
        return [method.call(ta, other!)];
      },
      ([y], [yv]) => {
        expectDType(label, y!.dtype, 'bool');
        expectShape(label, y!.shape, expected.shape);
        expectExact(label, yv!, expected.values);
      },
    );
  });
}

const LOGICAL_OPS: Record<LogicalOp, (a: Tensor, b: Tensor) => Tensor> = { and: logicalAnd, or: logicalOr, xor: logicalXor };

/** Mostly bool operands; sometimes float32 or int32, which the op casts to bool (nonzero, NaN included, is true). */
const logicalDType = fc.oneof({ weight: 3, arbitrary: fc.constant<StoredDType>('bool') }, { weight: 1, arbitrary: storedDType });

const logicalCase = fc
  .tuple(operandShapes(2), logicalDType, logicalDType)
  .chain(([[sa, sb], da, db]) => fc.tuple(fc.constant({ sa: sa!, sb: sb!, da, db }), operands([sa!, sb!], [da, db])));

function logicalProperty(kit: KitContext, op: LogicalOp): void {
  property(kit, `properties/logical/${op}`, logicalCase, async ([{ sa, sb, da, db }, [a, b]]) => {
    const ref = LOGICAL_REFERENCES[op];
    const expected = broadcastMap([sa, sb], [a, b], (x, y) => +ref(x !== 0, y !== 0));
    const label = `logical ${op} ${da} [${sa}], ${db} [${sb}]`;
    await withLeaves(
      [
        { shape: sa, data: a, dtype: da, grad: false },
        { shape: sb, data: b, dtype: db, grad: false },
      ],
      (ta, tb) => [LOGICAL_OPS[op](ta, tb)],
      ([y], [yv]) => {
        expectDType(label, y!.dtype, 'bool');
        expectShape(label, y!.shape, expected.shape);
        expectExact(label, yv!, expected.values);
      },
    );
  });
}

const notCase = fc
  .tuple(shapeSmallOrLong(0, 3), logicalDType)
  .chain(([s, dtype]) => fc.tuple(fc.constant(s), fc.constant(dtype), valuesOf(dtype, s, true)));

function logicalNotProperty(kit: KitContext): void {
  property(kit, 'properties/logical/not', notCase, async ([s, dtype, x]) => {
    const label = `logicalNot ${dtype} [${s}]`;
    await withLeaves(
      [{ shape: s, data: x, dtype, grad: false }],
      (t) => [logicalNot(t)],
      ([y], [yv]) => {
        expectDType(label, y!.dtype, 'bool');
        expectShape(label, y!.shape, s);
        expectExact(
          label,
          yv!,
          x.map((v) => +(v === 0)),
        );
      },
    );
  });
}

/** cond, a and b broadcast together; b is sometimes a plain number; a and b carry NaN and ±Infinity (the branch not taken must not leak them). */
const whereCase = fc
  .tuple(operandShapes(3), storedDType, fc.boolean())
  .chain(([[sc, sa, sb], dtype, numberB]) => {
    const shapes = [sc!, sa!, numberB ? [] : sb!];
    return fc.tuple(
      fc.constant({ sc: shapes[0]!, sa: shapes[1]!, sb: shapes[2]!, dtype, numberB }),
      fc.tuple(
        valuesOf('bool', shapes[0]!),
        valuesOf(dtype, shapes[1]!, true),
        numberB ? fc.tuple(elementOf(dtype, true)) : valuesOf(dtype, shapes[2]!, true),
      ),
    );
  })
  .chain(([c, vs]) => {
    const out = broadcastShape(broadcastShape(c.sc, c.sa), c.sb);
    return fc.tuple(fc.constant(c), fc.constant(vs), cotangents(out));
  });

function whereProperty(kit: KitContext): void {
  property(kit, 'properties/where', whereCase, async ([{ sc, sa, sb, dtype, numberB }, [cond, a, b], dy]) => {
    const expected = broadcastMap([sc, sa, sb], [cond, a, b], (c, x, y) => (c !== 0 ? x : y));
    const label = `where(bool [${sc}], ${dtype} [${sa}], ${numberB ? `the number ${b[0]}` : `[${sb}]`})`;
    const float = dtype === 'float32';
    await withLeaves(
      [
        { shape: sc, data: cond, dtype: 'bool' },
        { shape: sa, data: a, dtype },
        { shape: sb, data: b, dtype, grad: !numberB },
      ],
      (tc, ta, tb) => {
        const y = where(tc!, ta!, numberB ? (b[0] as number) : tb!);
        if (float) y.backward(tensor(Float32Array.from(dy), { shape: expected.shape }));
        return [y];
      },
      ([y], [yv], [, ga, gb]) => {
        // A whole number beside a bool tensor promotes both to int32 (PyTorch's rule).
        expectDType(label, y!.dtype, numberB && dtype === 'bool' ? 'int32' : dtype);
        expectShape(label, y!.shape, expected.shape);
        expectExact(label, yv!, expected.values);
        if (!float) return;
        const toA = broadcastMap([sc, expected.shape], [cond, dy], (c, g) => (c !== 0 ? g : 0)).values;
        const toB = broadcastMap([sc, expected.shape], [cond, dy], (c, g) => (c !== 0 ? 0 : g)).values;
        const abs = dy.map(Math.abs);
        expectClose(`${label} gradient of a`, ga!, sumToShape(toA, expected.shape, sa), kit.tolerance, sumToShape(abs, expected.shape, sa));
        if (!numberB) {
          expectClose(
            `${label} gradient of b`,
            gb!,
            sumToShape(toB, expected.shape, sb),
            kit.tolerance,
            sumToShape(abs, expected.shape, sb),
          );
        }
      },
    );
  });
}

export function propertiesLogicSuite(kit: KitContext): void {
  describe('properties: compare, logical, where', () => {
    for (const op of COMPARE_OP_NAMES) compareProperty(kit, op);
    for (const op of LOGICAL_OP_NAMES) logicalProperty(kit, op);
    logicalNotProperty(kit);
    whereProperty(kit);
  });
}
