/** The LeNet-5 every contender trains: the same initial weights, inputs and labels for all. */
import type { CnnShape } from '../config.js';
import { uniformArray } from '../data.js';

/** One conv layer's weight [out, in, k, k] (OIHW) and bias, or a linear layer's [in, out] and bias. */
export interface LeNetParams {
  conv1: { w: Float32Array; b: Float32Array };
  conv2: { w: Float32Array; b: Float32Array };
  /** [in, out] row-major (tfjs/jax layout). */
  fc: { inFeatures: number; outFeatures: number; w: Float32Array; b: Float32Array }[];
}

export interface CnnData {
  shape: CnnShape;
  params: LeNetParams;
  /** [batch, 1, 28, 28] (NCHW). */
  x: Float32Array;
  labels: Int32Array;
  /** [batch, 10]. */
  oneHot: Float32Array;
}

const uniformInit = (n: number, fanIn: number, seed: number) => uniformArray(n, seed, -1 / Math.sqrt(fanIn), 1 / Math.sqrt(fanIn));

/** LeNet-5: conv 1→6 5×5 (padding 2), pool 2, conv 6→16 5×5, pool 2, 400 → 120 → 84 → 10, ReLU. */
export function makeCnnData(shape: CnnShape): CnnData {
  const fcDims = [400, 120, 84, 10];
  const params: LeNetParams = {
    conv1: { w: uniformInit(6 * 25, 25, 31), b: uniformInit(6, 25, 32) },
    conv2: { w: uniformInit(16 * 6 * 25, 150, 33), b: uniformInit(16, 150, 34) },
    fc: fcDims.slice(1).map((out, i) => {
      const inF = fcDims[i] as number;
      return { inFeatures: inF, outFeatures: out, w: uniformInit(inF * out, inF, 40 + i), b: uniformInit(out, inF, 50 + i) };
    }),
  };
  const labels = Int32Array.from({ length: shape.batch }, (_, i) => (i * 7) % 10);
  const oneHot = new Float32Array(shape.batch * 10);
  labels.forEach((c, i) => {
    oneHot[i * 10 + c] = 1;
  });
  return { shape, params, x: uniformArray(shape.batch * 784, 6, 0, 1), labels, oneHot };
}

/** Multiply-adds ×2 of one LeNet-5 SGD step: forward, weight gradients, input gradients (not the first layer's). */
export function lenetStepFlops(batch: number): number {
  const conv1 = 28 * 28 * 6 * 25;
  const conv2 = 10 * 10 * 16 * 150;
  const fc = 400 * 120 + 120 * 84 + 84 * 10;
  return 2 * batch * (2 * conv1 + 3 * conv2 + 3 * fc);
}

/** OIHW → HWIO (tfjs's filter layout). */
export function hwio(w: Float32Array, o: number, i: number, k: number): Float32Array {
  const out = new Float32Array(w.length);
  for (let a = 0; a < o; a++)
    for (let b = 0; b < i; b++)
      for (let y = 0; y < k; y++)
        for (let x = 0; x < k; x++) out[((y * k + x) * i + b) * o + a] = w[((a * i + b) * k + y) * k + x] as number;
  return out;
}
