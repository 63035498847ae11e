import '@surrograd/backend-cpu';
import { noGrad, setBackend, tensor } from '@surrograd/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { PIXEL_MEAN, PIXEL_STD } from '../src/data/batches.js';
import type { MnistSplit } from '../src/data/mnist.js';
import { MLP } from '../src/model/mlp.js';
import { evaluate } from '../src/train/evaluate.js';
import { HiddenActivity, hiddenBatchSummary } from '../src/train/hidden-activity.js';

beforeAll(() => setBackend('cpu'));

describe('HiddenActivity', () => {
  it('counts exact zeros and never-active units over batches', async () => {
    const activity = new HiddenActivity([3]);
    // Batch 1: unit 0 fires once, unit 1 never, unit 2 on both examples. Batch 2: only unit 0.
    for (const rows of [
      [
        [0.5, 0, 2],
        [0, 0, -0.01],
      ],
      [[1e-30, 0, 0]],
    ]) {
      const { zeros, active } = hiddenBatchSummary(tensor(rows));
      activity.add(0, (await zeros.data())[0] as number, rows.length * 3, await active.data());
    }
    // Zeros: batch 1 has 3 of 6, batch 2 has 2 of 3. A negative output is active (non-zero).
    expect(activity.sparsity()).toEqual([5 / 9]);
    expect(activity.deadUnits()).toEqual([1 / 3]);
  });

  it('keeps layers apart and checks their widths', () => {
    const activity = new HiddenActivity([2, 4]);
    activity.add(1, 4, 8, [1, 0, 0, 1]);
    expect(activity.sparsity()).toEqual([0, 0.5]);
    expect(activity.deadUnits()).toEqual([1, 0.5]);
    expect(() => activity.add(0, 0, 2, [1, 1, 1])).toThrow(/layer 0 has 2 units, got an activity vector of 3/);
    expect(() => activity.add(2, 0, 2, [1, 1])).toThrow(/layer 2 out of range for 2 hidden layers/);
  });
});

describe('evaluate', () => {
  /**
   * A 2×2-pixel "dataset" and a hand-set net: hidden unit 0 copies pixel 0, unit 1 has bias −1
   * (always zero after ReLU: dead), unit 2 has bias +1 (always active). Pixel 0 is 255 on half the
   * examples and 0 (negative after normalization) on the other half.
   */
  function handMade(): { model: MLP; split: MnistSplit } {
    const pixels = new Uint8Array([255, 0, 0, 0, 0, 0, 0, 0, 255, 9, 9, 9, 0, 9, 9, 9]);
    const split: MnistSplit = { count: 4, rows: 2, cols: 2, pixels, labels: new Uint8Array([1, 0, 1, 0]) };
    const model = new MLP([4, 3, 2], { name: 'relu', options: {} }, 0);
    const [hidden, out] = model.layers as [NonNullable<MLP['layers'][0]>, NonNullable<MLP['layers'][0]>];
    noGrad(() => {
      hidden.weight.assign(
        tensor([
          [1, 0, 0, 0],
          [0, 0, 0, 0],
          [0, 0, 0, 0],
        ]),
      );
      hidden.bias!.assign(tensor([0, -1, 1]));
      // Logit 1 grows with unit 0, so examples with pixel 0 lit are class 1.
      out.weight.assign(
        tensor([
          [0, 0, 0],
          [4, 0, 0],
        ]),
      );
      out.bias!.assign(tensor([0.5, 0]));
    });
    return { model, split };
  }

  it('measures accuracy, sparsity and dead units on a hand-made net', async () => {
    const { model, split } = handMade();
    for (const batch of [4, 3, 1]) {
      const result = await evaluate(model, split, batch);
      expect(result.examples).toBe(4);
      expect(result.accuracy).toBe(1);
      // Unit 0 is zero on the 2 unlit examples, unit 1 on all 4, unit 2 on none: 6 of 12 outputs.
      expect(result.sparsity).toEqual([0.5]);
      expect(result.deadUnits).toEqual([1 / 3]);
      // Lit examples: hidden 0 = (1 − mean)/std, logits [0.5, 4·that]; unlit: logits [0.5, 0].
      const lit = (1 - PIXEL_MEAN) / PIXEL_STD;
      const ce = (logits: number[], label: number) => Math.log(logits.reduce((a, l) => a + Math.exp(l), 0)) - (logits[label] as number);
      expect(result.loss).toBeCloseTo((ce([0.5, 4 * lit], 1) + ce([0.5, 0], 0)) / 2, 5);
    }
    model.dispose();
  });
});
