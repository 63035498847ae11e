import '@surrograd/backend-cpu';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { batchTensors, normalizedPixels } from '../src/data/batches.js';
import { CIFAR10_NORMALIZATION, cifarData, cifarSplit } from '../src/data/cifar10.js';
import { findCifarDir, loadCifar10 } from '../src/data/cifar10-node.js';
import { imageShape, limitSplit } from '../src/data/mnist.js';
import { cifarBatch, writeTinyCifar } from './cifar-files.js';

describe('CIFAR-10 binary batches', () => {
  it('splits records into labels and channel planes, in file order', () => {
    const split = cifarSplit([
      { bytes: cifarBatch(2, 0), name: 'a' },
      { bytes: cifarBatch(1, 2), name: 'b' },
    ]);
    expect(split.count).toBe(3);
    expect(imageShape(split)).toEqual({ channels: 3, height: 32, width: 32 });
    expect(Array.from(split.labels)).toEqual([0, 1, 2]);
    // Record 2's pixel p is (2·7 + p) % 256: its green plane starts at p = 1024.
    expect(split.pixels[2 * 3072 + 1024]).toBe((14 + 1024) % 256);
    expect(limitSplit(split, 1).pixels.length).toBe(3072);
  });

  it('normalizes each channel with its own mean and std', () => {
    const split = cifarSplit([{ bytes: cifarBatch(1), name: 'a' }]);
    const x = normalizedPixels(split, null, 0, 1);
    for (const [c, p] of [
      [0, 5],
      [1, 1024 + 5],
      [2, 2048 + 5],
    ] as const) {
      const mean = CIFAR10_NORMALIZATION.mean[c] as number;
      const std = CIFAR10_NORMALIZATION.std[c] as number;
      expect(x[p]).toBeCloseTo(((split.pixels[p] as number) / 255 - mean) / std, 5);
    }
    const { x: t, y } = batchTensors(split, null, 0, 1);
    expect(t.shape).toEqual([1, 3072]);
    expect(y.shape).toEqual([1]);
  });

  it('names the file that is not whole records or has a bad label', () => {
    expect(() => cifarSplit([{ bytes: new Uint8Array(3074), name: 'short.bin' }])).toThrow(
      /short\.bin has 3074 bytes, not a whole number of 3073-byte records/,
    );
    const bad = cifarBatch(2);
    bad[3073] = 12;
    expect(() => cifarSplit([{ bytes: bad, name: 'bad.bin' }])).toThrow(/bad\.bin has label 12 in record 1/);
    expect(() =>
      cifarData([{ bytes: cifarBatch(2), name: 'a' }], [{ bytes: cifarBatch(1), name: 't' }], { train: 50000, test: 10000 }),
    ).toThrow(/training files hold 2 images, expected 50000/);
  });
});

describe('loadCifar10', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cifar-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the unpacked archive from its parent directory or from itself', async () => {
    writeTinyCifar(dir, 3, 4);
    expect(await findCifarDir(dir)).toBe(join(dir, 'cifar-10-batches-bin'));
    const data = await loadCifar10(dir, false);
    expect(data.train.count).toBe(15);
    expect(data.test.count).toBe(4);
    expect(Array.from(data.train.labels.subarray(0, 4))).toEqual([0, 1, 2, 3]);
    expect((await loadCifar10(join(dir, 'cifar-10-batches-bin'), false)).train.count).toBe(15);
    await expect(loadCifar10(dir)).rejects.toThrow(/training files hold 15 images, expected 50000/);
  });

  it('says what is missing', async () => {
    await expect(loadCifar10(dir)).rejects.toThrow(/no data_batch_1\.bin in .* pass --data-dir/);
    writeTinyCifar(dir, 2, 2);
    rmSync(join(dir, 'cifar-10-batches-bin', 'test_batch.bin'));
    await expect(loadCifar10(dir, false)).rejects.toThrow(/cannot read .*test_batch\.bin \(ENOENT\)/);
    writeFileSync(join(dir, 'cifar-10-batches-bin', 'test_batch.bin'), new Uint8Array(10));
    await expect(loadCifar10(dir, false)).rejects.toThrow(/test_batch\.bin has 10 bytes/);
  });
});
