/**
 * Properties of the Cast and Fill kernels: every pair of stored dtypes on random shapes (0, 1, odd
 * and long lengths) and values (±0, NaN and ±Infinity to bool, fractions and large magnitudes to
 * int32), and full / zeros / ones / zerosLike / onesLike of every dtype, exact against the contract's
 * conversions. Where the backend stores float64, the float32 → float64 → float32 round trip passes
 * the gradient through unchanged.
 */
import { full, ones, onesLike, type Tensor, tensor, zeros, zerosLike } from '@surrograd/core';
import fc from 'fast-check';
import { describe } from 'vitest';
import { property } from '../declare-property.js';
import type { KitContext } from '../options.js';
import { expectDType, expectExact, expectShape, typedData, withLeaves } from '../property-check.js';
import { shapeSmallOrLong } from '../property-shapes.js';
import { boolElement, floatElement, intElement, type StoredDType, storedDType, valuesOf } from '../property-values.js';
import { sizeOf } from '../reference/broadcast.js';
import { castReference } from '../reference/logic.js';

/** Floats far from [-4, 4] but inside int32's range (beyond it, float → int32 is the kernel's choice). */
const wideFloat = fc.float({ min: -1e9, max: 1e9, noNaN: true }).map((v) => (Math.abs(v) < 2 ** -126 ? 0 : v));

/** Source values for a cast from → to: NaN and ±Infinity only where the result is defined (float, bool). */
function castSource(from: StoredDType, to: StoredDType): fc.Arbitrary<number> {
  if (from === 'float32') return fc.oneof(floatElement(to !== 'int32'), wideFloat);
  // int32 → float32 is exact only up to 2^24; past that the rounding direction is the kernel's choice.
  if (from === 'int32') return intElement(to === 'bool');
  return boolElement;
}

const castCase = fc
  .tuple(storedDType, storedDType, shapeSmallOrLong(0, 3))
  .filter(([from, to]) => from !== to)
  .chain(([from, to, shape]) =>
    fc
      .array(castSource(from, to), { minLength: sizeOf(shape), maxLength: sizeOf(shape) })
      .map((data) => ({ from, to, shape, data: Array.from(typedData(data, from)) })),
  );

async function roundTripGradient(shape: number[], data: number[]): Promise<void> {
  const dy = data.map((_, i) => Math.fround(((i * 7) % 13) / 4 - 1.5));
  await withLeaves(
    [{ shape, data }],
    (x) => {
      const y = x.cast('float64').cast('float32');
      y.backward(tensor(Float32Array.from(dy), { shape }));
      return [y];
    },
    ([y], [yv], [g]) => {
      expectDType('cast float32 → float64 → float32', y!.dtype, 'float32');
      expectExact('cast float32 → float64 → float32 value', yv!, data);
      expectExact('cast float32 → float64 → float32 gradient', g!, dy);
    },
  );
}

function castProperty(kit: KitContext): void {
  property(kit, 'properties/cast', castCase, async ({ from, to, shape, data }) => {
    const label = `cast ${from} [${shape}] → ${to}`;
    await withLeaves(
      [{ shape, data, dtype: from, grad: false }],
      (x) => [x.cast(to)],
      ([y], [yv]) => {
        expectDType(label, y!.dtype, to);
        expectShape(label, y!.shape, shape);
        expectExact(
          label,
          yv!,
          data.map((v) => castReference(v, to)),
        );
      },
    );
    if (kit.float64 && from === 'float32') await roundTripGradient(shape, data);
  });
}

type Maker = 'full' | 'zeros' | 'ones' | 'zerosLike' | 'onesLike';

/** A fill value for `dtype`: any float for float32 and bool (NaN is true), fractions (truncated) and extremes for int32. */
function fillValue(dtype: StoredDType): fc.Arbitrary<number> {
  if (dtype === 'int32') return fc.oneof(intElement(true), wideFloat);
  return fc.oneof(floatElement(true), wideFloat);
}

const fillCase = fc
  .tuple(fc.constantFrom<Maker>('full', 'zeros', 'ones', 'zerosLike', 'onesLike'), storedDType, shapeSmallOrLong(0, 3))
  .chain(([maker, dtype, shape]) =>
    fc.tuple(fc.constant(maker), fc.constant(dtype), fc.constant(shape), fillValue(dtype), valuesOf(dtype, shape)),
  );

function fillProperty(kit: KitContext): void {
  property(kit, 'properties/fill', fillCase, async ([maker, dtype, shape, value, like]) => {
    const label = `${maker}([${shape}]${maker === 'full' ? `, ${value}` : ''}) ${dtype}`;
    const make: Record<Maker, (source: Tensor | undefined) => Tensor> = {
      full: () => full(shape, value, { dtype }),
      zeros: () => zeros(shape, { dtype }),
      ones: () => ones(shape, { dtype }),
      zerosLike: (source) => zerosLike(source!),
      onesLike: (source) => onesLike(source!),
    };
    const expected = maker === 'full' ? castReference(value, dtype) : maker.startsWith('zeros') ? 0 : 1;
    const leaves = maker.endsWith('Like') ? [{ shape, data: like, dtype, grad: false }] : [];
    await withLeaves(
      leaves,
      (source) => [make[maker](source)],
      ([y], [yv]) => {
        expectDType(label, y!.dtype, dtype);
        expectShape(label, y!.shape, shape);
        expectExact(label, yv!, new Array<number>(sizeOf(shape)).fill(expected));
      },
    );
  });
}

export function propertiesCastSuite(kit: KitContext): void {
  describe('properties: cast and fill', () => {
    castProperty(kit);
    fillProperty(kit);
  });
}
