/** mlp.json: loss and gradients of a 2-layer MLP, and its parameters after optimizer steps (with learning-rate schedules and gradient clipping). */
import { nn, type Tensor } from '@surrograd/core';
import { describe, expect } from 'vitest';
import { type TensorBag, withBag } from '../bag.js';
import { expectTensorClose } from '../compare.js';
import { test } from '../declare.js';
import { expectedOf, goldenTensor } from '../decode.js';
import { loadMlp, type MlpGolden, type MlpRun } from '../goldens.js';
import { expectGrad } from '../grads.js';
import type { KitContext } from '../options.js';
import { type MlpParams, makeOptimizer, makeScheduler, mlpLoss, PARAM_NAMES } from '../programs/mlp.js';

function leaves(bag: TensorBag, golden: MlpGolden): MlpParams {
  const p = golden.params;
  return {
    W1: bag.add(goldenTensor(p.W1, true)),
    b1: bag.add(goldenTensor(p.b1, true)),
    W2: bag.add(goldenTensor(p.W2, true)),
    b2: bag.add(goldenTensor(p.b2, true)),
  };
}

async function lossAndGrads(kit: KitContext, golden: MlpGolden): Promise<void> {
  await withBag(async (bag) => {
    const params = leaves(bag, golden);
    const loss = bag.add(mlpLoss(params, bag.add(goldenTensor(golden.x)), bag.add(goldenTensor(golden.labels))));
    await expectTensorClose('loss', loss, expectedOf(golden.loss), kit.tolerance);
    loss.backward();
    for (const name of PARAM_NAMES) await expectGrad(`grad of ${name}`, params[name], golden.grads[name], kit.tolerance);
  });
}

async function optimizerRun(kit: KitContext, golden: MlpGolden, run: MlpRun): Promise<void> {
  await withBag(async (bag) => {
    const params = leaves(bag, golden);
    const x = bag.add(goldenTensor(golden.x));
    const labels = bag.add(goldenTensor(golden.labels));
    const opt = makeOptimizer(
      run.optimizer,
      PARAM_NAMES.map((n) => params[n]),
      run.options,
    );
    const scheduler = run.scheduler ? makeScheduler(run.scheduler, opt) : null;
    for (let step = 0; step < run.steps; step++) {
      if (run.lrs)
        expect(Math.abs(opt.options.lr - (run.lrs[step] as number)) <= 1e-6 * Math.max(1, Math.abs(run.lrs[step] as number))).toBe(true);
      opt.zeroGrad();
      const loss = bag.add(mlpLoss(params, x, labels));
      const want = { shape: [], dtype: 'float32', values: [run.losses[step] as number] };
      await expectTensorClose(`loss before step ${step + 1}`, loss, want, kit.tolerance);
      loss.backward();
      if (run.clipGradNorm !== undefined) {
        const total = bag.add(
          nn.utils.clipGradNorm_(
            PARAM_NAMES.map((n) => params[n]),
            run.clipGradNorm,
          ),
        );
        const norm = { shape: [], dtype: 'float32', values: [run.gradNorms?.[step] as number] };
        await expectTensorClose(`total gradient norm before step ${step + 1}`, total, norm, kit.tolerance);
      }
      opt.step();
      scheduler?.step();
    }
    for (const name of PARAM_NAMES) {
      await expectTensorClose(`${name} after ${run.steps} step(s)`, params[name] as Tensor, expectedOf(run.params[name]), kit.tolerance);
    }
  });
}

export function mlpSuite(kit: KitContext): void {
  describe('MLP and optimizers', () => {
    const golden = loadMlp();
    test(kit, 'mlp/loss and gradients', () => lossAndGrads(kit, golden));
    for (const run of golden.runs) test(kit, `mlp/${run.name}`, () => optimizerRun(kit, golden, run));
  });
}
