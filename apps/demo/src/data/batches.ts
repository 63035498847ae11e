import { Generator, type Tensor, tensor } from '@surrograd/core';
import { type MnistSplit, valuesPerImage } from './mnist.js';

// PyTorch's MNIST example normalization; the web page's drawn digits use the same.
export const PIXEL_MEAN = 0.1307;
export const PIXEL_STD = 0.3081;

/** A seeded shuffle of 0..n-1 (Fisher–Yates), the same on every backend. */
export function permutation(n: number, seed: number): Uint32Array {
  const gen = new Generator(seed);
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = gen.int(i + 1);
    const t = order[i] as number;
    order[i] = order[j] as number;
    order[j] = t;
  }
  return order;
}

/**
 * Normalized pixels of the examples `indices[start .. start+size)` as a flat float array: each
 * channel's (v/255 − mean)/std, with the split's normalization (MNIST's when it has none).
 */
export function normalizedPixels(split: MnistSplit, indices: ArrayLike<number> | null, start: number, size: number): Float32Array {
  const per = valuesPerImage(split);
  const plane = split.rows * split.cols;
  const channels = split.channels ?? 1;
  const norm = split.normalization ?? { mean: [PIXEL_MEAN], std: [PIXEL_STD] };
  const out = new Float32Array(size * per);
  for (let b = 0; b < size; b++) {
    const example = indices ? (indices[start + b] as number) : start + b;
    for (let c = 0; c < channels; c++) {
      const std = (norm.std[c] ?? norm.std[0]) as number;
      const scale = 1 / (255 * std);
      const shift = ((norm.mean[c] ?? norm.mean[0]) as number) / std;
      const src = example * per + c * plane;
      const dst = b * per + c * plane;
      for (let p = 0; p < plane; p++) out[dst + p] = (split.pixels[src + p] as number) * scale - shift;
    }
  }
  return out;
}

/** A batch as tensors on the current backend: x [size, channels·rows·cols] float32, y [size] int32. */
export function batchTensors(split: MnistSplit, indices: ArrayLike<number> | null, start: number, size: number): { x: Tensor; y: Tensor } {
  const per = valuesPerImage(split);
  const labels = new Int32Array(size);
  for (let b = 0; b < size; b++) labels[b] = split.labels[indices ? (indices[start + b] as number) : start + b] as number;
  return {
    x: tensor(normalizedPixels(split, indices, start, size), { shape: [size, per] }),
    y: tensor(labels, { dtype: 'int32' }),
  };
}
