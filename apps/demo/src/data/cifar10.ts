/**
 * CIFAR-10 in its binary format ("CIFAR-10 binary version", cifar-10-batches-bin): each record is
 * one label byte (0–9) and 3072 pixel bytes, the 32×32 red plane, then green, then blue. The
 * training set is data_batch_1.bin … data_batch_5.bin (10,000 records each), the test set test_batch.bin.
 */
import type { MnistData, MnistSplit, Normalization } from './mnist.js';

export const CIFAR10_FILES = {
  train: ['data_batch_1.bin', 'data_batch_2.bin', 'data_batch_3.bin', 'data_batch_4.bin', 'data_batch_5.bin'],
  test: ['test_batch.bin'],
} as const;

export const CIFAR10_SIZES = { train: 50000, test: 10000 } as const;
const SIDE = 32;
const PLANE = SIDE * SIDE;
const RECORD = 1 + 3 * PLANE;

/** The training set's per-channel mean and standard deviation (the values torchvision users normalize with). */
export const CIFAR10_NORMALIZATION: Normalization = { mean: [0.4914, 0.4822, 0.4465], std: [0.247, 0.2435, 0.2616] };

export const CIFAR10_CLASSES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'] as const;

/** One split from its batch files, in order; a file that is not whole records, or a label over 9, is an error naming it. */
export function cifarSplit(files: readonly { bytes: Uint8Array; name: string }[]): MnistSplit {
  let count = 0;
  for (const { bytes, name } of files) {
    if (bytes.length === 0 || bytes.length % RECORD !== 0) {
      throw new Error(
        `CIFAR-10: ${name} has ${bytes.length} bytes, not a whole number of ${RECORD}-byte records (1 label + 3×32×32 pixels); is it the binary version's file?`,
      );
    }
    count += bytes.length / RECORD;
  }
  const pixels = new Uint8Array(count * 3 * PLANE);
  const labels = new Uint8Array(count);
  let i = 0;
  for (const { bytes, name } of files) {
    for (let at = 0; at < bytes.length; at += RECORD, i++) {
      const label = bytes[at] as number;
      if (label > 9)
        throw new Error(`CIFAR-10: ${name} has label ${label} in record ${at / RECORD}; labels are classes 0–9 (corrupt file?)`);
      labels[i] = label;
      pixels.set(bytes.subarray(at + 1, at + RECORD), i * 3 * PLANE);
    }
  }
  return { count, rows: SIDE, cols: SIDE, channels: 3, normalization: CIFAR10_NORMALIZATION, pixels, labels };
}

/** Both splits; with `expect`, each must hold exactly that many images (the full dataset). */
export function cifarData(
  train: readonly { bytes: Uint8Array; name: string }[],
  test: readonly { bytes: Uint8Array; name: string }[],
  expect?: { train: number; test: number },
): MnistData {
  const data = { train: cifarSplit(train), test: cifarSplit(test) };
  if (expect) {
    for (const [name, split, n] of [
      ['training', data.train, expect.train],
      ['test', data.test, expect.test],
    ] as const) {
      if (split.count !== n) throw new Error(`CIFAR-10: the ${name} files hold ${split.count} images, expected ${n}`);
    }
  }
  return data;
}
