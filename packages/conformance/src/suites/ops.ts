/** Every case of ops.json: the op's value, then the gradient of sum(out * cotangent) to each input. */
import { describe } from 'vitest';
import { withBag } from '../bag.js';
import { expectTensorClose } from '../compare.js';
import { test } from '../declare.js';
import { expectedOf, goldenTensor, goldenValues, isGoldenTensor } from '../decode.js';
import { loadOpCases, type OpCase } from '../goldens.js';
import { expectGrad } from '../grads.js';
import type { KitContext } from '../options.js';
import { type OpArg, runOp } from '../run-op.js';

/** Indices where some elementwise float input is NaN. */
export function nanInputs(c: OpCase): (i: number) => boolean {
  const floats = c.inputs
    .filter(isGoldenTensor)
    .filter((g) => g.dtype === 'float32')
    .map(goldenValues);
  return (i) => floats.some((v) => Number.isNaN(v[i]));
}

async function runCase(kit: KitContext, c: OpCase): Promise<void> {
  await withBag(async (bag) => {
    const args: OpArg[] = c.inputs.map((g) => {
      if (!isGoldenTensor(g)) return g as number;
      return bag.add(goldenTensor(g, g.dtype === 'float32'));
    });
    const out = bag.add(runOp(c.op, args, c.kwargs));
    await expectTensorClose('out', out, expectedOf(c.out), kit.tolerance, { signedZeros: c.signedZeros ?? false });
    if (c.valueOnly) return;
    out.backward(bag.add(goldenTensor(c.cotangent)));
    for (let i = 0; i < c.grads.length; i++) {
      const expected = c.grads[i] ?? null;
      const arg = args[i];
      if (expected === null || typeof arg === 'number' || arg === undefined) continue;
      const ignore = c.lenientGradsAtNaN ? nanInputs(c) : undefined;
      await expectGrad(`grad of input ${i}`, arg, expected, kit.tolerance, { ignore });
    }
  });
}

export function opsSuite(kit: KitContext): void {
  describe('ops (PyTorch goldens)', () => {
    for (const c of loadOpCases()) test(kit, `ops/${c.name}`, () => runCase(kit, c));
  });
}
