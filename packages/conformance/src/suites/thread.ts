/**
 * The seed thread's programs (thread.json), as users write them with defineFunction, plus the
 * library's one-line equivalents: reluWithLeakyGrad, straightThrough, leakyRelu.
 */
import { leakyRelu, reluWithLeakyGrad, straightThrough, type Tensor } from '@surrograd/core';
import { describe } from 'vitest';
import { withBag } from '../bag.js';
import { expectTensorClose } from '../compare.js';
import { test } from '../declare.js';
import { expectedOf, goldenTensor, goldenValues } from '../decode.js';
import { type GoldenTensor, loadThreadCases, type ThreadCase } from '../goldens.js';
import { expectGrad } from '../grads.js';
import type { KitContext } from '../options.js';
import {
  FWBWMismatch,
  FWBWMismatchAutoSum,
  FWBWMismatchIdentity,
  LeakyReLU,
  LeakyReLUSetupContext,
  LeakyReLUSetupContextClass,
  LeakyReLUWithInfo,
  NSReLU,
  NSReLUAsWritten,
} from '../programs/thread.js';

type Program = (inputs: Tensor[], args: number[]) => Tensor;

const PROGRAMS: Record<ThreadCase['program'], Record<string, Program>> = {
  NSReLU: {
    defineFunction: ([x]) => NSReLU(x as Tensor),
    'as the thread writes it (ctx.neg, in-place masked multiply)': ([x]) => NSReLUAsWritten(x as Tensor),
  },
  FWBWMismatch: {
    defineFunction: ([f, b]) => FWBWMismatch(f as Tensor, b as Tensor),
    'defineFunction, gradient summed by the library': ([f, b]) => FWBWMismatchAutoSum(f as Tensor, b as Tensor),
    'defineFunction, forward returns its input': ([f, b]) => FWBWMismatchIdentity(f as Tensor, b as Tensor),
    straightThrough: ([f, b]) => straightThrough(f as Tensor, b as Tensor),
  },
  LeakyReLU: {
    defineFunction: ([x], [slope]) => LeakyReLU(x as Tensor, slope as number),
    'setupContext style': ([x], [slope]) => LeakyReLUSetupContext(x as Tensor, slope as number),
    'class with setupContext': ([x], [slope]) => LeakyReLUSetupContextClass.apply(x as Tensor, slope as number) as Tensor,
    'non-tensor outputs pass through': ([x], [slope]) => {
      const [s, y, note] = LeakyReLUWithInfo(x as Tensor, slope as number);
      if (s !== slope || note !== 'leaky') throw new Error(`LeakyReLUWithInfo returned ${String(s)}, ${String(note)}`);
      return y as Tensor;
    },
    'leakyRelu built-in': ([x], [slope]) => leakyRelu(x as Tensor, { slope: slope as number }),
  },
};

async function runProgram(kit: KitContext, c: ThreadCase, program: Program, grads = c.grads): Promise<void> {
  await withBag(async (bag) => {
    const inputs = c.inputs.map((g) => bag.add(goldenTensor(g, true)));
    const out = bag.add(program(inputs, c.args));
    await expectTensorClose('out', out, expectedOf(c.out), kit.tolerance);
    out.backward(bag.add(goldenTensor(c.cotangent)));
    for (let i = 0; i < inputs.length; i++) {
      await expectGrad(`grad of input ${i}`, inputs[i] as Tensor, grads[i] ?? null, kit.tolerance);
    }
  });
}

/** reluWithLeakyGrad's derivative is slope at exactly 0 (PyTorch's leaky convention); NSReLU's is 1. */
function gradWithSlopeAtZero(c: ThreadCase, slope: number): GoldenTensor {
  const x = goldenValues(c.inputs[0] as GoldenTensor);
  const cot = goldenValues(c.cotangent);
  const grad = c.grads[0] as GoldenTensor;
  const data = grad.data.map((v, i) => (x[i] === 0 ? Math.fround((cot[i] as number) * Math.fround(slope)) : v));
  return { ...grad, data };
}

export function threadSuite(kit: KitContext): void {
  describe('thread programs (ReLU forward, leaky ReLU backward)', () => {
    for (const c of loadThreadCases()) {
      for (const [how, program] of Object.entries(PROGRAMS[c.program])) {
        test(kit, `thread/${c.name}/${how}`, () => runProgram(kit, c, program));
      }
      if (c.program === 'NSReLU') {
        const program: Program = ([x]) => reluWithLeakyGrad(x as Tensor, { slope: 0.1 });
        const grads = [gradWithSlopeAtZero(c, 0.1)];
        test(kit, `thread/${c.name}/reluWithLeakyGrad (slope at 0)`, () => runProgram(kit, c, program, grads));
      }
    }
  });
}
