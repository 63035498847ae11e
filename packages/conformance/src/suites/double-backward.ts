/**
 * double-backward.json, two ways: backward({ createGraph: true }) then backward through the
 * gradient (PyTorch's accumulating style), and nested grad(grad(f)) (JAX's style).
 */
import { grad, type Tensor, valueAndGrad } from '@surrograd/core';
import { describe } from 'vitest';
import { withBag } from '../bag.js';
import { expectTensorClose, isAllZero } from '../compare.js';
import { test } from '../declare.js';
import { expectedOf, goldenTensor, goldenValues } from '../decode.js';
import { type DoubleBackwardCase, type GoldenTensor, loadDoubleBackwardCases } from '../goldens.js';
import type { KitContext } from '../options.js';
import { doubleBackwardFunction } from '../programs/double-backward.js';

/** first + second, as a leaf's .grad holds after the second backward accumulates into it. */
function accumulated(first: GoldenTensor, second: GoldenTensor) {
  const a = goldenValues(first);
  const b = goldenValues(second);
  return { shape: first.shape, dtype: 'float32', values: a.map((v, i) => Math.fround(v + (b[i] as number))) };
}

async function viaCreateGraph(kit: KitContext, c: DoubleBackwardCase): Promise<void> {
  await withBag(async (bag) => {
    const fn = doubleBackwardFunction(c.fn);
    const xs = c.inputs.map((g) => bag.add(goldenTensor(g, true)));
    const out = bag.add(fn(...xs));
    await expectTensorClose('out', out, expectedOf(c.out), kit.tolerance);
    out.backward(bag.add(goldenTensor(c.cotangent)), { createGraph: true });
    for (let i = 0; i < xs.length; i++) {
      const g = (xs[i] as Tensor).grad;
      if (!g) throw new Error(`first grad of input ${i} is null`);
      await expectTensorClose(`first grad of input ${i}`, g, expectedOf(c.firstGrads[i] as GoldenTensor), kit.tolerance);
    }
    const firstGrad = (xs[c.wrt] as Tensor).grad as Tensor;
    if (!firstGrad.requiresGrad) {
      // Legitimate only when the gradient is constant in every input (relu: a mask times the cotangent).
      if (c.secondGrads.every((g) => isAllZero(goldenValues(g)))) return;
      throw new Error('backward({ createGraph: true }) gave a gradient that does not require grad');
    }
    const seed = bag.add(firstGrad.mul(bag.add(goldenTensor(c.cotangent2))).sum());
    seed.backward();
    for (let i = 0; i < xs.length; i++) {
      const want = accumulated(c.firstGrads[i] as GoldenTensor, c.secondGrads[i] as GoldenTensor);
      const g = (xs[i] as Tensor).grad as Tensor;
      await expectTensorClose(`grad of input ${i} (first + second)`, g, want, kit.tolerance);
    }
  });
}

async function viaNestedGrad(kit: KitContext, c: DoubleBackwardCase): Promise<void> {
  await withBag(async (bag) => {
    const fn = doubleBackwardFunction(c.fn);
    const xs = c.inputs.map((g) => bag.add(goldenTensor(g)));
    const cot = bag.add(goldenTensor(c.cotangent));
    const cot2 = bag.add(goldenTensor(c.cotangent2));
    const at = (args: Tensor[], i: number, v: Tensor): Tensor[] => args.map((a, j) => (j === i ? v : a));
    const loss = (args: Tensor[]): Tensor =>
      fn(...args)
        .mul(cot)
        .sum();
    const firstGrad = (args: Tensor[]): Tensor => grad((v: Tensor) => loss(at(args, c.wrt, v)))(args[c.wrt] as Tensor) as Tensor;

    const [value, g] = valueAndGrad((v: Tensor) => loss(at(xs, c.wrt, v)))(xs[c.wrt] as Tensor) as [Tensor, Tensor];
    bag.addAll([value, g]);
    const outValues = Array.from(goldenValues(c.out));
    const cotValues = goldenValues(c.cotangent);
    const lossWant = outValues.reduce((s, v, i) => s + v * (cotValues[i] as number), 0);
    await expectTensorClose('valueAndGrad value', value, { shape: [], dtype: 'float32', values: [lossWant] }, kit.tolerance);
    await expectTensorClose(`grad of input ${c.wrt}`, g, expectedOf(c.firstGrads[c.wrt] as GoldenTensor), kit.tolerance);

    for (let j = 0; j < xs.length; j++) {
      const want = expectedOf(c.secondGrads[j] as GoldenTensor);
      const second = grad((u: Tensor) =>
        firstGrad(at(xs, j, u))
          .mul(cot2)
          .sum(),
      )(xs[j] as Tensor) as Tensor | null;
      // A gradient that does not depend on the input may come back as null rather than zeros.
      if (second === null && isAllZero(want.values)) continue;
      if (second === null) throw new Error(`grad(grad) wrt input ${j} is null`);
      await expectTensorClose(`grad(grad) wrt input ${j}`, bag.add(second), want, kit.tolerance);
    }
  });
}

export function doubleBackwardSuite(kit: KitContext): void {
  describe('double backward', () => {
    for (const c of loadDoubleBackwardCases()) {
      test(kit, `double-backward/${c.name}/createGraph`, () => viaCreateGraph(kit, c));
      test(kit, `double-backward/${c.name}/grad(grad(f))`, () => viaNestedGrad(kit, c));
    }
  });
}
