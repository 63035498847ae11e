/**
 * The layers' functional forms beyond their goldens (ops.json): dropout (random, so checked by its
 * statistics and its seed), batch norm's in-place running statistics, and the errors each op
 * gives for misuse — naming the op, the shapes or values, and leaving the library usable.
 */
import {
  avgPool2d,
  batchNorm,
  conv1d,
  conv2d,
  dropout,
  embedding,
  Generator,
  groupNorm,
  interpolate,
  layerNorm,
  maxPool2d,
  nn,
  ones,
  optim,
  type Tensor,
  tensor,
  tidy,
  unflatten,
  zeros,
} from '@surrograd/core';
import { describe, expect } from 'vitest';
import { badInput, disposeAll, flat } from '../bad-input-case.js';
import { test } from '../declare.js';
import type { KitContext } from '../options.js';

function dropoutSuite(kit: KitContext): void {
  test(kit, 'layers/dropout/statistics-scale-and-gradient', async () => {
    const n = 20000;
    const p = 0.3;
    const x = ones([n], { requiresGrad: true });
    const y = dropout(x, p, { generator: new Generator(5) });
    y.sum().backward();
    const values = await flat(y);
    const grads = await flat(x.grad as Tensor);
    const zeros = values.filter((v) => v === 0).length;
    // Binomial(n, p): five standard deviations either side.
    const sd = Math.sqrt(n * p * (1 - p));
    expect(Math.abs(zeros - n * p) < 5 * sd).toBe(true);
    const kept = values.filter((v) => v !== 0);
    expect(kept.every((v) => Math.abs(v - 1 / (1 - p)) < 1e-6)).toBe(true);
    // The gradient passes through the same mask, scaled the same.
    expect(grads).toEqual(values);
    disposeAll(x, y);
  });

  test(kit, 'layers/dropout/seeded-identity-and-extremes', async () => {
    const x = tensor([1, 2, 3, 4, 5, 6, 7, 8]);
    const [a, b, evalY, p0, p1] = [
      dropout(x, 0.5, { generator: new Generator(11) }),
      dropout(x, 0.5, { generator: new Generator(11) }),
      dropout(x, 0.5, { training: false }),
      dropout(x, 0),
      dropout(x, 1),
    ];
    expect(await flat(a)).toEqual(await flat(b));
    expect(await flat(evalY)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(await flat(p0)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(await flat(p1)).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    disposeAll(x, a, b, evalY, p0, p1);
  });
}

/** Mean and standard deviation. */
function moments(values: number[]): [number, number] {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return [mean, Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length)];
}

function initSuite(kit: KitContext): void {
  test(kit, 'layers/init/pytorch-defaults-and-nn-init', async () => {
    // Conv2d(16, 32, 3): weight and bias U(-1/√fanIn, 1/√fanIn), fanIn = 16·3·3, as PyTorch's.
    const conv = new nn.Conv2d(16, 32, 3, { seed: 3 });
    const bound = 1 / Math.sqrt(16 * 9);
    const w = await flat(conv.weight);
    expect(w.every((v) => Math.abs(v) <= bound)).toBe(true);
    const [mean, sd] = moments(w);
    expect(Math.abs(mean) < 0.1 * bound && Math.abs(sd - bound / Math.sqrt(3)) < 0.05 * bound).toBe(true);
    expect((await flat(conv.bias as Tensor)).every((v) => Math.abs(v) <= bound)).toBe(true);
    const again = new nn.Conv2d(16, 32, 3, { seed: 3 });
    expect(await flat(again.weight)).toEqual(w);
    again.dispose();

    // ConvTranspose2d's weight is [in, out / groups, kh, kw]; PyTorch's fan in is its dim 1 · k.
    const up = new nn.ConvTranspose2d(4, 6, 3, { stride: 2, padding: 1, outputPadding: 1, seed: 2 });
    expect(up.weight.shape).toEqual([4, 6, 3, 3]);
    expect((await flat(up.weight)).every((v) => Math.abs(v) <= 1 / Math.sqrt(54))).toBe(true);
    const img = zeros([2, 4, 5, 5]);
    const upsampled = tidy(() => up.forward(img));
    expect(upsampled.shape).toEqual([2, 6, 10, 10]);
    disposeAll(img, upsampled);
    up.dispose();

    const t = zeros([200, 100]);
    nn.init.kaimingNormal_(t, { mode: 'fanOut', nonlinearity: 'relu', generator: new Generator(1) });
    expect(Math.abs(moments(await flat(t))[1] - Math.sqrt(2 / 200)) < 0.02 * Math.sqrt(2 / 200)).toBe(true);
    nn.init.xavierUniform_(t, { gain: 2 });
    const a = 2 * Math.sqrt(6 / 300);
    expect((await flat(t)).every((v) => Math.abs(v) <= a)).toBe(true);
    nn.init.ones_(t);
    expect((await flat(t)).every((v) => v === 1)).toBe(true);
    expect(nn.init.calculateGain('leakyRelu', Math.sqrt(5))).toBeCloseTo(Math.sqrt(1 / 3), 12);
    expect(nn.init.calculateGain('tanh')).toBeCloseTo(5 / 3, 12);
    disposeAll(t);
    conv.dispose();
  });
}

function batchNormSuite(kit: KitContext): void {
  test(kit, 'layers/batchNorm/running-statistics-in-place', async () => {
    const x = tensor([
      [1, 10],
      [3, 20],
      [5, 60],
    ]);
    const mean = zeros([2]);
    const variance = ones([2]);
    tidy(() => batchNorm(x, mean, variance, { training: true, momentum: 0.5 }));
    // mean: 0.5·0 + 0.5·[3, 30]; var (unbiased [4, 700]): 0.5·1 + 0.5·[4, 700].
    expect((await flat(mean)).map((v) => Math.round(v * 1e4) / 1e4)).toEqual([1.5, 15]);
    expect((await flat(variance)).map((v) => Math.round(v * 1e3) / 1e3)).toEqual([2.5, 350.5]);
    // Evaluation reads them and changes nothing.
    const y = batchNorm(x, mean, variance, { eps: 0 });
    expect((await flat(mean)).map((v) => Math.round(v * 1e4) / 1e4)).toEqual([1.5, 15]);
    const got = await flat(y);
    expect(Math.abs((got[0] as number) - (1 - 1.5) / Math.sqrt(2.5)) < 1e-5).toBe(true);
    disposeAll(x, mean, variance, y);
  });
}

/** fn throws `message`, and whatever it made before throwing is disposed (as a user's tidy would). */
function throwsIn(fn: () => unknown, message: string | RegExp): void {
  expect(() => tidy(fn as () => Tensor)).toThrow(message);
}

function misuseSuite(kit: KitContext): void {
  badInput(kit, 'layers/conv2d-channels', () => {
    const x = zeros([1, 3, 5, 5]);
    const w = zeros([4, 2, 3, 3]);
    throwsIn(() => conv2d(x, w), 'conv2d: input [1, 3, 5, 5] has 3 channels but weight [4, 2, 3, 3] with groups 1 expects 2');
    throwsIn(() => conv2d(x, zeros([4, 3, 3, 3]), zeros([3])), 'conv2d: bias must have shape [4]');
    throwsIn(() => conv2d(x, zeros([4, 3, 7, 7])), "conv2d: the height 5 padded by [0, 0] is smaller than the kernel's reach 7");
    throwsIn(() => conv2d(x, zeros([4, 3, 3, 3]), null, { padding: 'same', stride: 2 }), "conv2d: padding 'same' needs stride 1");
    throwsIn(() => conv2d(x, zeros([4, 3, 3, 3]), null, { stride: 0 }), 'conv2d: stride must be an integer ≥ 1');
    throwsIn(() => conv2d(zeros([3, 5]), w), 'conv2d: expected input of shape [N, C, H, W] or [C, H, W], got [3, 5]');
    throwsIn(() => conv1d(zeros([1, 2, 5]), zeros([3, 2, 3]), null, { groups: 2 }), 'conv2d: input [1, 2, 1, 5] has 2 channels');
    disposeAll(x, w);
  });

  badInput(kit, 'layers/pooling', () => {
    const x = zeros([1, 1, 4, 4]);
    throwsIn(() => maxPool2d(x, 2, { padding: 2 }), 'maxPool2d: padding [2, 2] must be at most half the kernel [2, 2]');
    throwsIn(() => avgPool2d(x, 5), "avgPool2d: the height 4 padded by [0, 0] is smaller than the kernel's reach 5");
    throwsIn(() => maxPool2d(zeros([4, 4]), 2), 'maxPool2d: expected input of shape [N, C, H, W] or [C, H, W], got [4, 4]');
    throwsIn(() => maxPool2d(tensor([[[[1, 2]]]], { dtype: 'int32' }), 1), 'maxPool2d: expected a float input, got int32');
    disposeAll(x);
  });

  badInput(kit, 'layers/interpolate', () => {
    const x = zeros([1, 1, 4, 4]);
    throwsIn(() => interpolate(x, { size: 2, scaleFactor: 2 }), 'interpolate: give exactly one of size and scaleFactor');
    throwsIn(() => interpolate(zeros([1, 4, 4]), { size: 2 }), 'interpolate: expected input of shape [N, C, H, W], got [1, 4, 4]');
    throwsIn(
      () => interpolate(x, { size: 2, mode: 'nearest', alignCorners: true }),
      "interpolate: alignCorners applies to mode 'bilinear' only",
    );
    throwsIn(() => interpolate(x, { scaleFactor: 0.1 }), 'interpolate: scaleFactor 0.1 makes [4, 4] empty');
    disposeAll(x);
  });

  badInput(kit, 'layers/normalization', () => {
    const x = zeros([2, 6, 3]);
    throwsIn(() => layerNorm(x, [4]), 'layerNorm: input [2, 6, 3] does not end with the normalized shape [4]');
    throwsIn(() => layerNorm(x, [3], { weight: zeros([4]) }), 'layerNorm: weight must have shape [3], got [4]');
    throwsIn(() => groupNorm(x, 4), 'groupNorm: 6 channels (input [2, 6, 3]) cannot be split into 4 groups');
    throwsIn(() => batchNorm(x, zeros([5]), null, { training: true }), 'batchNorm: runningMean must have shape [6], got [5]');
    throwsIn(() => batchNorm(zeros([1, 6]), null, null, { training: true }), 'batchNorm: training needs more than one value per channel');
    throwsIn(() => batchNorm(x, null, null), 'batchNorm: evaluation (training: false) needs runningMean and runningVar');
    disposeAll(x);
  });

  badInput(kit, 'layers/optimizers-schedules-clipping', () => {
    const w = tensor([1, 2], { requiresGrad: true });
    const opt = new optim.SGD([w], { lr: 0.1 });
    expect(() => new optim.RMSprop([w], { lr: -1 })).toThrow('RMSprop: lr must be a finite number ≥ 0, got -1');
    expect(() => new optim.Adagrad([w], { lrDecay: Number.NaN })).toThrow('Adagrad: lrDecay must be a finite number ≥ 0');
    expect(() => new optim.StepLR(opt, { stepSize: 0 })).toThrow('StepLR: stepSize must be a positive integer, got 0');
    const cycle = new optim.OneCycleLR(opt, { maxLr: 1, totalSteps: 2 });
    cycle.step();
    cycle.step();
    expect(() => cycle.step()).toThrow('OneCycleLR: stepped 3 times, past totalSteps 2');
    const warm = new optim.LinearLR(opt);
    expect(() => new optim.SequentialLR(opt, { schedulers: [warm], milestones: [3] })).toThrow(
      'SequentialLR: expected 0 milestones for 1 schedulers',
    );
    expect(() => nn.utils.clipGradNorm_([w], -1)).toThrow('clipGradNorm_: maxNorm must be a number ≥ 0, got -1');
    opt.dispose();
    disposeAll(w);
  });

  badInput(kit, 'layers/embedding-dropout-unflatten', () => {
    const w = zeros([5, 2]);
    const i = tensor([1, 7], { dtype: 'int32' });
    throwsIn(() => embedding(tensor([1.5]), w), 'embedding: indices must be int32, got float32');
    throwsIn(() => embedding(i, w), /index 7/);
    throwsIn(() => embedding(tensor([1], { dtype: 'int32' }), w, { paddingIdx: 5 }), 'embedding: paddingIdx must be an integer in [-5, 5)');
    throwsIn(() => dropout(w, 1.5), 'dropout: probability p must be in [0, 1], got 1.5');
    throwsIn(() => unflatten(zeros([2, 6]), 1, [4, -1]), 'unflatten: sizes [4, -1] do not multiply to dim 1 of size 6');
    disposeAll(w, i);
  });
}

export function layersSuite(kit: KitContext): void {
  describe('layers: dropout, batch norm state, misuse', () => {
    dropoutSuite(kit);
    initSuite(kit);
    batchNormSuite(kit);
    misuseSuite(kit);
  });
}
