import '@surrograd/backend-cpu';
import { memory, setBackend, tensor } from '@surrograd/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { nonNegativeInt, positiveInt, positiveNumber } from '../src/cli/train-options.js';
import { meanSd, meanVector } from '../src/compare/aggregate.js';
import { normalizedPixels, PIXEL_MEAN, PIXEL_STD, permutation } from '../src/data/batches.js';
import type { MnistSplit } from '../src/data/mnist.js';
import { MLP } from '../src/model/mlp.js';
import { loadWeights, saveWeights } from '../src/model/weights.js';
import { windowMeans } from '../src/report/charts.js';
import { parseHidden, scheduledLr } from '../src/train/config.js';
import { MemoryGuard } from '../src/train/memory-guard.js';
import { Trainer } from '../src/train/trainer.js';

beforeAll(() => setBackend('cpu'));

const tinySplit = (count: number): MnistSplit => ({
  count,
  rows: 2,
  cols: 2,
  pixels: Uint8Array.from({ length: count * 4 }, (_, i) => (i * 37) % 256),
  labels: Uint8Array.from({ length: count }, (_, i) => i % 3),
});

describe('batches', () => {
  it('shuffles deterministically into a permutation', () => {
    const a = permutation(1000, 3);
    expect(Array.from(a)).toEqual(Array.from(permutation(1000, 3)));
    expect(Array.from(a)).not.toEqual(Array.from(permutation(1000, 4)));
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });

  it('normalizes pixels as PyTorch’s MNIST example', () => {
    const split = tinySplit(3);
    const out = normalizedPixels(split, [2, 0], 0, 2);
    expect(out.length).toBe(8);
    expect(out[0]).toBeCloseTo(((split.pixels[8] as number) / 255 - PIXEL_MEAN) / PIXEL_STD, 5);
    expect(out[4]).toBeCloseTo(((split.pixels[0] as number) / 255 - PIXEL_MEAN) / PIXEL_STD, 5);
  });
});

describe('config helpers', () => {
  it('parses hidden widths', () => {
    expect(parseHidden('256,256')).toEqual([256, 256]);
    expect(parseHidden('64')).toEqual([64]);
    for (const bad of ['', '256,', '0', '1.5', 'a'])
      expect(() => parseHidden(bad)).toThrow(/hidden: expected comma-separated positive integers/);
  });

  it('decays the cosine schedule from lr to 0', () => {
    expect(scheduledLr(0.1, 'constant', 50, 100)).toBe(0.1);
    expect(scheduledLr(0.1, 'cosine', 0, 100)).toBe(0.1);
    expect(scheduledLr(0.1, 'cosine', 50, 100)).toBeCloseTo(0.05, 12);
    expect(scheduledLr(0.1, 'cosine', 100, 100)).toBeCloseTo(0, 12);
  });

  it('aggregates over seeds', () => {
    expect(meanSd([1, 2, 3])).toEqual({ mean: 2, sd: 1 });
    expect(meanSd([5])).toEqual({ mean: 5, sd: 0 });
    expect(
      meanVector([
        [1, 2, 3],
        [3, 4],
      ]),
    ).toEqual([2, 3]);
    expect(windowMeans([1, 3, 5, 7, 9], 2)).toEqual([
      { x: 2, y: 2 },
      { x: 4, y: 6 },
      { x: 5, y: 9 },
    ]);
    // A short last window is dropped, unless it is the only one.
    expect(windowMeans([1, 3, 5, 7, 9], 4)).toEqual([{ x: 4, y: 4 }]);
    expect(windowMeans([1, 3], 8)).toEqual([{ x: 2, y: 2 }]);
  });
});

describe('Trainer', () => {
  const configs = {
    adam: { batch: 4, lr: 0.01, optimizer: 'adam' as const, momentum: 0, seed: 1, schedule: 'constant' as const },
    'sgd with momentum': { batch: 4, lr: 0.05, optimizer: 'sgd' as const, momentum: 0.9, seed: 1, schedule: 'cosine' as const },
  };

  for (const [name, config] of Object.entries(configs)) {
    it(`keeps memory flat across epochs and is deterministic for a seed (${name})`, async () => {
      const losses = async () => {
        const model = new MLP([4, 8, 3], { name: 'reluWithLeakyGrad', options: { slope: 0.1 } }, 5);
        const trainer = new Trainer(model, tinySplit(10), config, 12);
        expect(trainer.stepsPerEpoch).toBe(3);
        const out: number[] = [];
        for (let i = 0; i < 9; i++) out.push((await trainer.step()).loss);
        const after = memory();
        for (let i = 0; i < 3; i++) await trainer.step();
        expect(memory()).toEqual(after);
        trainer.dispose();
        model.dispose();
        return out;
      };
      const first = await losses();
      expect(first).toEqual(await losses());
      expect(first.every(Number.isFinite)).toBe(true);
      expect(first.at(-1)).toBeLessThan(first[0] as number);
    });
  }

  it('fails loudly when a step leaks a tensor', () => {
    const guard = new MemoryGuard();
    guard.check(1);
    guard.check(2);
    const leaked = tensor([1, 2, 3]);
    expect(() => guard.check(3)).toThrow(
      /memory grew during training: at step 3 the backend holds \d+ tensors .* after the second step it held/,
    );
    leaked.dispose();
    guard.check(4);
  });
});

describe('weights', () => {
  it('round-trip through JSON with their activation', async () => {
    const model = new MLP([4, 5, 3], { name: 'leakyRelu', options: { slope: 0.2 } }, 7);
    const saved = JSON.parse(JSON.stringify(await saveWeights(model)));
    const loaded = loadWeights(saved, 'w.json');
    expect(loaded.sizes).toEqual([4, 5, 3]);
    expect(loaded.activation).toEqual({ name: 'leakyRelu', options: { slope: 0.2 } });
    const a = model.namedParameters();
    const b = loaded.namedParameters();
    expect(b.map(([n]) => n)).toEqual(a.map(([n]) => n));
    for (let i = 0; i < a.length; i++) expect(Array.from(await b[i]![1].data())).toEqual(Array.from(await a[i]![1].data()));
    saved.parameters[0].shape = [5, 5];
    expect(() => loadWeights(saved, 'w.json')).toThrow(
      /weights w\.json: parameter layers\.0\.weight has shape \[5, 5\], expected \[5, 4\]/,
    );
    expect(() => loadWeights({ format: 'other' }, 'x.json')).toThrow(/weights x\.json: not a surrograd-demo-mlp version 1 file/);
    model.dispose();
    loaded.dispose();
  });

  it('refuses corrupt files by name, before allocating anything, and leaks nothing', async () => {
    const model = new MLP([4, 5, 3], { name: 'relu', options: {} }, 7);
    const good = JSON.stringify(await saveWeights(model));
    model.dispose();
    const before = memory().numTensors;
    const bad = (edit: (w: Record<string, unknown> & { parameters: Record<string, unknown>[] }) => void) => {
      const w = JSON.parse(good);
      edit(w);
      return () => loadWeights(w, 'w.json');
    };
    expect(
      bad((w) => {
        w.parameters[1]!.base64 = '!!not base64!!';
      }),
    ).toThrow('weights w.json: parameter layers.0.bias: its data is not valid base64');
    expect(
      bad((w) => {
        delete w.parameters[0]!.shape;
      }),
    ).toThrow('weights w.json: parameter 0 needs a name, a shape and base64 data');
    expect(
      bad((w) => {
        w.sizes = [4, 1e9, 3];
      }),
    ).toThrow('weights w.json: layer sizes [4,1000000000,3] must be at least two integers from 1 to 65536');
    expect(
      bad((w) => {
        w.parameters[0]!.base64 = (w.parameters[0]!.base64 as string).slice(0, 8);
      }),
    ).toThrow('weights w.json: parameter layers.0.weight has 6 bytes, expected 80');
    expect(memory().numTensors).toBe(before);
  });
});

describe('flag parsing', () => {
  it('reads integers and numbers as decimal text only', () => {
    expect(positiveInt('epochs')('3')).toBe(3);
    expect(nonNegativeInt('epochs')('0')).toBe(0);
    expect(positiveNumber('lr')('1e-3')).toBe(0.001);
    for (const text of ['', ' ', '0x1', '1.5', '-1', '1e3', 'Infinity'])
      expect(() => nonNegativeInt('epochs')(text)).toThrow(`--epochs must be a non-negative integer, got '${text}'`);
    for (const text of ['', '0x10', 'NaN', '-1', '0'])
      expect(() => positiveNumber('lr')(text)).toThrow(`--lr must be a positive number, got '${text}'`);
  });
});
