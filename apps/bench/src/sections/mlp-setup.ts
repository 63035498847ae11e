/** The MLP every contender trains: the same initial weights, inputs and labels for all. */
import type { MlpShape } from '../config.js';
import { uniformArray } from '../data.js';

export interface MlpData {
  shape: MlpShape;
  /** Per layer: weight [in, out] row-major (tfjs/jax layout) and bias [out], PyTorch's init range. */
  layers: { inFeatures: number; outFeatures: number; weight: Float32Array; bias: Float32Array }[];
  x: Float32Array;
  labels: Int32Array;
  classes: number;
  /** labels as one-hot rows [batch, classes]. */
  oneHot: Float32Array;
}

export function makeMlpData(shape: MlpShape): MlpData {
  const { dims, batch } = shape;
  const layers = dims.slice(1).map((out, i) => {
    const inF = dims[i] as number;
    const bound = 1 / Math.sqrt(inF);
    return {
      inFeatures: inF,
      outFeatures: out,
      weight: uniformArray(inF * out, 10 + i, -bound, bound),
      bias: uniformArray(out, 20 + i, -bound, bound),
    };
  });
  const classes = dims[dims.length - 1] as number;
  const labels = Int32Array.from({ length: batch }, (_, i) => (i * 7) % classes);
  const oneHot = new Float32Array(batch * classes);
  labels.forEach((c, i) => {
    oneHot[i * classes + c] = 1;
  });
  return { shape, layers, x: uniformArray(batch * (dims[0] as number), 5, 0, 1), labels, classes, oneHot };
}

/** [in, out] → [out, in] (surrograd's Linear stores weights as PyTorch does). */
export function transposed(w: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(w.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = w[r * cols + c] as number;
  return out;
}

/** Multiply-adds ×2 of one SGD step: forward, weight gradients, and input gradients of every layer but the first. */
export function mlpStepFlops(shape: MlpShape): number {
  let flops = 0;
  shape.dims.slice(1).forEach((out, i) => {
    const mac = shape.batch * (shape.dims[i] as number) * out;
    flops += 2 * mac * (i === 0 ? 2 : 3);
  });
  return flops;
}
