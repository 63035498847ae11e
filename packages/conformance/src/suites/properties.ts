/**
 * Property-based checks with fast-check: random shapes (including 0, 1 and odd lengths and
 * broadcastable pairs) and random values through every elementwise op, reduction and matmul,
 * values and gradients against plain-JS references within float32 tolerance, and memory()
 * unchanged after each run. A failure prints fast-check's seed and the shrunk counterexample;
 * set SURROGRAD_PROPERTY_SEED to replay it and SURROGRAD_PROPERTY_RUNS for more runs.
 */
import type { Tensor } from '@surrograd/core';
import fc from 'fast-check';
import { describe } from 'vitest';
import { test } from '../declare.js';
import type { KitContext } from '../options.js';
import {
  broadcastablePair,
  matmulCase,
  nonEmptyShape,
  propertyParameters,
  shape,
  shapeWithValues,
  values,
} from '../property-arbitraries.js';
import { expectClose, expectShape, withLeaves } from '../property-check.js';
import { broadcastBinary, sumToShape } from '../reference/broadcast.js';
import { BINARY_REFERENCES, UNARY_REFERENCES } from '../reference/elementwise.js';
import { naiveMatmul } from '../reference/matmul.js';
import { type ReduceName, reduceReference } from '../reference/reduce.js';

type Method = (this: Tensor, ...args: unknown[]) => Tensor;
const method = (t: Tensor, name: string): Method => (t as unknown as Record<string, Method>)[name] as Method;

function unaryProperty(kit: KitContext, op: string): void {
  const ref = UNARY_REFERENCES[op]!;
  test(kit, `properties/unary/${op}`, () =>
    fc.assert(
      fc.asyncProperty(shapeWithValues(shape), async ([s, raw]) => {
        const x = raw.map((v) => Math.fround(ref.domain(v)));
        await withLeaves(
          [{ shape: s, data: x }],
          (t) => {
            const y = method(t, op).call(t);
            y.sum().backward();
            return [y];
          },
          ([y], [yv], [g]) => {
            expectShape(`${op} shape`, y!.shape, s);
            expectClose(`${op} value`, yv!, x.map(ref.value), kit.tolerance);
            expectClose(`${op} gradient`, g!, x.map(ref.derivative), kit.tolerance);
          },
        );
      }),
      propertyParameters(),
    ),
  );
}

function binaryProperty(kit: KitContext, op: string): void {
  const ref = BINARY_REFERENCES[op]!;
  const arbitrary = broadcastablePair.chain(([sa, sb]) => fc.tuple(fc.constant(sa), fc.constant(sb), values(sa), values(sb)));
  test(kit, `properties/binary/${op}`, () =>
    fc.assert(
      fc.asyncProperty(arbitrary, async ([sa, sb, ra, rb]) => {
        const a = ra.map((v) => Math.fround(ref.domainA(v)));
        const b = rb.map((v) => Math.fround(ref.domainB(v)));
        const expected = broadcastBinary(a, sa, b, sb, ref.value);
        const da = broadcastBinary(a, sa, b, sb, (x, y) => ref.partials(x, y)[0]);
        const db = broadcastBinary(a, sa, b, sb, (x, y) => ref.partials(x, y)[1]);
        const tied =
          op === 'maximum' || op === 'minimum' ? broadcastBinary(a, sa, b, sb, (x, y) => (x === y ? 1 : 0)).values.includes(1) : false;
        if (tied) return; // the tie's gradient split is a convention the golden suite checks.
        await withLeaves(
          [
            { shape: sa, data: a },
            { shape: sb, data: b },
          ],
          (ta, tb) => {
            const y = method(ta, op).call(ta, tb);
            y.sum().backward();
            return [y];
          },
          ([y], [yv], [ga, gb]) => {
            expectShape(`${op} shape`, y!.shape, expected.shape);
            expectClose(`${op} value`, yv!, expected.values, kit.tolerance);
            expectClose(
              `${op} gradient of a`,
              ga!,
              sumToShape(da.values, expected.shape, sa),
              kit.tolerance,
              sumToShape(da.values.map(Math.abs), expected.shape, sa),
            );
            expectClose(
              `${op} gradient of b`,
              gb!,
              sumToShape(db.values, expected.shape, sb),
              kit.tolerance,
              sumToShape(db.values.map(Math.abs), expected.shape, sb),
            );
          },
        );
      }),
      propertyParameters(),
    ),
  );
}

/** A shape, axes to reduce (none means all), and keepDims; max/min only see non-empty shapes. */
const reductionCase = (nonEmpty: boolean) =>
  shapeWithValues(nonEmpty ? nonEmptyShape : shape).chain(([s, v]) =>
    fc
      .tuple(fc.subarray(s.map((_, i) => i)), fc.boolean(), fc.boolean())
      .map(([axes, all, keepDims]) => ({ s, v, axes: all || axes.length === 0 ? s.map((_, i) => i) : axes, all, keepDims })),
  );

function reductionProperty(kit: KitContext, op: ReduceName): void {
  test(kit, `properties/reduce/${op}`, () =>
    fc.assert(
      fc.asyncProperty(reductionCase(op === 'max' || op === 'min'), async ({ s, v, axes, all, keepDims }) => {
        const expected = reduceReference(op, v, s, axes, keepDims);
        await withLeaves(
          [{ shape: s, data: v }],
          (t) => {
            const y = method(t, op).call(t, all ? undefined : axes, keepDims);
            y.sum().backward();
            return [y];
          },
          ([y], [yv], [g]) => {
            expectShape(`${op} shape (axes [${axes}], keepDims ${keepDims})`, y!.shape, all && !keepDims ? [] : expected.shape);
            expectClose(`${op} value`, yv!, expected.values, kit.tolerance, expected.magnitude);
            expectClose(`${op} gradient`, g!, expected.grad, kit.tolerance);
          },
        );
      }),
      propertyParameters(),
    ),
  );
}

/** The operands as batches of matrices: vectors become a row (a) or a column (b). */
function asBatches(aShape: number[], bShape: number[]) {
  const m = aShape.length === 1 ? 1 : (aShape[aShape.length - 2] as number);
  const k = aShape[aShape.length - 1] as number;
  const n = bShape.length === 1 ? 1 : (bShape[bShape.length - 1] as number);
  const batch = aShape.length === 3 ? (aShape[0] as number) : 1;
  const outShape = [...(aShape.length === 3 ? [batch] : []), ...(aShape.length === 1 ? [] : [m]), ...(bShape.length === 1 ? [] : [n])];
  return { m, k, n, batch, outShape };
}

function matmulProperty(kit: KitContext): void {
  test(kit, 'properties/matmul', () =>
    fc.assert(
      fc.asyncProperty(matmulCase, async ({ aShape, bShape, a, b }) => {
        const { m, k, n, batch, outShape } = asBatches(aShape, bShape);
        const values = new Float64Array(batch * m * n);
        const magnitude = new Float64Array(batch * m * n);
        const ga = new Float64Array(batch * m * k);
        const gb = new Float64Array(batch * k * n);
        const ones = new Float64Array(m * n).fill(1);
        for (let i = 0; i < batch; i++) {
          const ai = a.slice(i * m * k, (i + 1) * m * k);
          const bi = b.slice(i * k * n, (i + 1) * k * n);
          const p = naiveMatmul(ai, bi, m, k, n);
          values.set(p.values, i * m * n);
          magnitude.set(p.magnitude, i * m * n);
          // d(sum)/dA = 1·Bᵀ, d(sum)/dB = Aᵀ·1.
          ga.set(naiveMatmul(ones, bi, m, n, k, false, true).values, i * m * k);
          gb.set(naiveMatmul(ai, ones, k, m, n, true).values, i * k * n);
        }
        await withLeaves(
          [
            { shape: aShape, data: a },
            { shape: bShape, data: b },
          ],
          (ta, tb) => {
            const y = ta.matmul(tb);
            y.sum().backward();
            return [y];
          },
          ([y], [yv], [gav, gbv]) => {
            const label = `matmul [${aShape}]·[${bShape}]`;
            expectShape(label, y!.shape, outShape);
            expectClose(`${label} value`, yv!, values, kit.tolerance, magnitude);
            expectClose(
              `${label} gradient of a`,
              gav!,
              ga,
              kit.tolerance,
              ga.map(() => 4 * n),
            );
            expectClose(
              `${label} gradient of b`,
              gbv!,
              gb,
              kit.tolerance,
              gb.map(() => 4 * m),
            );
          },
        );
      }),
      propertyParameters(),
    ),
  );
}

export function propertiesSuite(kit: KitContext): void {
  describe('properties', () => {
    for (const op of Object.keys(UNARY_REFERENCES)) unaryProperty(kit, op);
    for (const op of Object.keys(BINARY_REFERENCES)) binaryProperty(kit, op);
    for (const op of ['sum', 'mean', 'max', 'min'] as const) reductionProperty(kit, op);
    matmulProperty(kit);
  });
}
