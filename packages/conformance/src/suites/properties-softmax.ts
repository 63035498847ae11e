/**
 * Properties of softmax, logSoftmax and nn.crossEntropy: random shapes (rank 0 to 3, 0, 1, odd and
 * long lengths), a random axis, logits sometimes shifted far from 0 (the max shift must keep them
 * finite), labels as number[] or an int32 tensor; values and the gradient of sum(out · dy) against
 * a float64 plain-JS reference, with tolerances scaled by each element's rounding magnitude.
 */
import { nn, type Tensor, tensor } from '@surrograd/core';
import fc from 'fast-check';
import { describe } from 'vitest';
import { property } from '../declare-property.js';
import type { KitContext } from '../options.js';
import { values } from '../property-arbitraries.js';
import { expectClose, expectShape, withLeaves } from '../property-check.js';
import { axisOf, shapeSmallOrLong } from '../property-shapes.js';
import { cotangents } from '../property-values.js';
import { crossEntropyReference, softmaxReference } from '../reference/softmax.js';

/** Logits in [-4, 4] plus one shift for the whole tensor: 0 mostly, sometimes ±30 or ±100. */
const logits = (shape: readonly number[]) =>
  fc
    .tuple(values(shape), fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.constantFrom(30, -30, 100, -100) }))
    .map(([vs, shift]) => vs.map((v) => Math.fround(v + shift)));

/**
 * A shape (any axis may be empty, the softmax axis included: the result is then empty, as
 * PyTorch's), an axis (left out: the default, the last), logits and a cotangent.
 */
const softmaxCase = shapeSmallOrLong(0, 3)
  .chain((s) =>
    fc.tuple(
      fc.constant(s),
      s.length === 0 ? fc.constantFrom<number | undefined>(undefined, 0, -1) : fc.option(axisOf(s.length), { nil: undefined }),
    ),
  )
  .chain(([s, axis]) => fc.tuple(fc.constant(s), fc.constant(axis), logits(s), cotangents(s)));

function softmaxProperty(kit: KitContext, op: 'softmax' | 'logSoftmax'): void {
  property(kit, `properties/${op}`, softmaxCase, async ([s, axis, x, dy]) => {
    const a = s.length === 0 ? 0 : axis === undefined ? s.length - 1 : axis < 0 ? axis + s.length : axis;
    // A scalar is one line of one element.
    const ref = softmaxReference(x, s.length === 0 ? [1] : s, a, dy, op === 'logSoftmax');
    const label = `${op} [${s}] axis ${axis ?? 'default'}`;
    await withLeaves(
      [{ shape: s, data: x }],
      (t) => {
        const f = (t as unknown as Record<typeof op, (axis?: number) => Tensor>)[op];
        const y = axis === undefined ? f.call(t) : f.call(t, axis);
        y.backward(tensor(Float32Array.from(dy), { shape: s }));
        return [y];
      },
      ([y], [yv], [g]) => {
        expectShape(label, y!.shape, s);
        expectClose(`${label} value`, yv!, ref.values, kit.tolerance, ref.magnitude);
        expectClose(`${label} gradient`, g!, ref.grad, kit.tolerance, ref.gradMagnitude);
      },
    );
  });
}

/** Logits [n, c] (n may be 0; sometimes a long batch or many classes), valid labels, and a cotangent for the scalar loss. */
const crossEntropyCase = fc
  .tuple(
    fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 0, max: 6 }) }, { weight: 1, arbitrary: fc.integer({ min: 33, max: 200 }) }),
    fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 1, max: 6 }) }, { weight: 1, arbitrary: fc.integer({ min: 33, max: 100 }) }),
    fc.boolean(),
  )
  .chain(([n, c, asTensor]) =>
    fc.tuple(
      fc.constant({ n, c, asTensor }),
      logits([n, c]),
      fc.array(fc.integer({ min: 0, max: c - 1 }), { minLength: n, maxLength: n }),
      cotangents([]),
    ),
  );

function crossEntropyProperty(kit: KitContext): void {
  property(kit, 'properties/crossEntropy', crossEntropyCase, async ([{ n, c, asTensor }, x, labels, [dy]]) => {
    const ref = crossEntropyReference(x, n, c, labels, dy!);
    const label = `crossEntropy logits [${n}, ${c}] labels ${asTensor ? 'int32 tensor' : 'array'} [${labels.join(', ')}]`;
    await withLeaves(
      [
        { shape: [n, c], data: x },
        { shape: [n], data: labels, dtype: 'int32' },
      ],
      (t, y) => {
        const loss = nn.crossEntropy(t!, asTensor ? y! : labels);
        loss.backward(tensor(Float32Array.from([dy!]), { shape: [] }));
        return [loss];
      },
      ([loss], [lv], [g]) => {
        expectShape(label, loss!.shape, []);
        expectClose(`${label} value`, lv!, [ref.loss], kit.tolerance, [ref.magnitude]);
        expectClose(`${label} gradient`, g!, ref.grad, kit.tolerance, ref.gradMagnitude);
      },
    );
  });
}

export function propertiesSoftmaxSuite(kit: KitContext): void {
  describe('properties: softmax and cross-entropy', () => {
    softmaxProperty(kit, 'softmax');
    softmaxProperty(kit, 'logSoftmax');
    crossEntropyProperty(kit);
  });
}
