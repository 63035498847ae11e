import { describe, expect, it } from 'vitest';
import { adjustFamily, compareArms, summarizeArm } from '../src/compare/aggregate.js';
import type { Evaluation } from '../src/train/evaluate.js';
import type { RunResult } from '../src/train/run.js';

const evaluation = (accuracy: number, deadUnits: number[]): Evaluation => ({
  examples: 100,
  accuracy,
  loss: 1 - accuracy,
  sparsity: deadUnits.map((d) => d + 0.4),
  deadUnits,
});

/** A run of two epochs of two steps over a net with two hidden layers and three weights. */
function run(accuracy: number, dead: number, diverged = false): RunResult {
  const final = evaluation(accuracy, [dead, dead]);
  return {
    backend: 'cpu',
    config: {} as RunResult['config'],
    trainExamples: 8,
    stepsPerEpoch: 2,
    steps: 4,
    epochs: [
      { epoch: 1, steps: 2, trainLoss: 1, test: evaluation(accuracy / 2, [0, 0]), seconds: 1, imagesPerSecond: 8 },
      { epoch: 2, steps: 2, trainLoss: 0.5, test: final, seconds: 1, imagesPerSecond: 8 },
    ],
    losses: [2, 1.5, 1, 0.5],
    gradNorms: [4, 3, 2, 1],
    layerGradNorms: [
      [4, 2, 1],
      [3, 2, 1],
      [2, 1, 1],
      [1, 1, 1],
    ],
    initial: evaluation(0.1, [0.5, 0.5]),
    final,
    msPerStep: 10,
    trainSeconds: 2,
    stopped: false,
    diverged,
  };
}

describe('summarizeArm', () => {
  it('keeps diverged runs in the all-runs numbers, counts them, and shows the converged mean apart', () => {
    const s = summarizeArm({ activation: 'relu', runs: [run(0.9, 0.1), run(0.8, 0.2), run(0.1, 0.9, true)] });
    expect(s.diverged).toBe(1);
    expect(s.testAccuracy.n).toBe(3);
    expect(s.testAccuracy.mean).toBeCloseTo(0.6, 12);
    expect(s.convergedAccuracy.mean).toBeCloseTo(0.85, 12);
    expect(s.deadUnits.mean).toBeCloseTo(0.4, 12);
  });

  it('gives per-layer rows before training and after each epoch, and per-epoch gradient norms per weight', () => {
    const s = summarizeArm({ activation: 'relu', runs: [run(0.9, 0.1), run(0.7, 0.3)] });
    expect(s.evaluatedAt).toEqual([0, 1, 2]);
    expect(s.deadUnitsByLayer).toEqual([
      [0.5, 0.5],
      [0, 0],
      [0.2, 0.2],
    ]);
    expect(s.gradNormByLayer).toEqual([
      [3.5, 2, 1],
      [1.5, 1, 1],
    ]);
    expect(s.gradNormLate.mean).toBe(1);
  });
});

describe('compareArms and adjustFamily', () => {
  it('pairs seeds, tests accuracy and dead units against the baseline, and calls significant only after Holm', () => {
    const base = { activation: 'relu', runs: [0.9, 0.91, 0.92, 0.93, 0.94].map((a) => run(a, 0.3)) };
    // Exactly one point better on every seed: a paired test with no spread.
    const better = { activation: 'bSiLU', runs: [0.91, 0.92, 0.93, 0.94, 0.95].map((a, i) => run(a, 0.3 - 0.01 * (i % 2))) };
    const noisy = { activation: 'leaky', runs: [0.95, 0.88, 0.93, 0.9, 0.96].map((a) => run(a, 0.3)) };
    const raw = compareArms('s', 'relu', [base, better, noisy]);
    expect(raw.map((c) => [c.activation, c.outcome])).toEqual([
      ['bSiLU', 'test accuracy'],
      ['bSiLU', 'dead units'],
      ['leaky', 'test accuracy'],
      ['leaky', 'dead units'],
    ]);
    expect(raw[0]?.test.difference).toBeCloseTo(0.01, 12);
    expect(raw[0]?.test.p).toBe(0);
    expect(raw[0]?.signFlipP).toBeCloseTo(2 / 32, 12);
    const adjusted = adjustFamily(raw);
    expect(adjusted[0]?.significant).toBe(true);
    expect(adjusted[2]?.significant).toBe(false);
    // Identical dead units in every pair: nothing to test, p 1.
    expect(adjusted[3]?.test.p).toBe(1);
    expect(adjusted.every((c) => c.holmP >= c.test.p)).toBe(true);
    expect(compareArms('s', 'absent', [base])).toEqual([]);
  });
});
