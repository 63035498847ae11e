import type { MatMulAttrs } from '@surrograd/core';
import { broadcastShapes, fmt, shapesEqual, sizeOf } from '@surrograd/core';
import * as tf from '@tensorflow/tfjs-core';
import { tfKernel } from './run.js';

/** [a, b] → a·b over the last two dims (each optionally transposed), batch dims broadcast. */
export const matMul = tfKernel<MatMulAttrs>(([a, b], attrs) => {
  const transposeA = !!attrs.transposeA;
  const transposeB = !!attrs.transposeB;
  if (a.rank < 2 || b.rank < 2) {
    throw new RangeError(`MatMul: both inputs need rank >= 2, got a ${fmt(a.shape)} and b ${fmt(b.shape)}`);
  }
  const [aRows, aCols] = a.shape.slice(-2) as [number, number];
  const [bRows, bCols] = b.shape.slice(-2) as [number, number];
  const m = transposeA ? aCols : aRows;
  const k = transposeA ? aRows : aCols;
  const n = transposeB ? bRows : bCols;
  const kb = transposeB ? bCols : bRows;
  if (k !== kb) {
    throw new RangeError(
      `MatMul: a ${fmt(a.shape)}${transposeA ? 'ᵀ' : ''} · b ${fmt(b.shape)}${transposeB ? 'ᵀ' : ''}: inner dimensions ${k} and ${kb} differ`,
    );
  }
  const batch = broadcastShapes('MatMul', a.shape.slice(0, -2), b.shape.slice(0, -2));
  const outShape = [...batch, m, n];
  // tfjs-wasm leaves the output uninitialized when k is 0: the empty sum is 0.
  if (sizeOf(outShape) === 0 || k === 0) return tf.zeros(outShape, a.dtype);
  // tfjs pairs batch entries by flat index, which is right only when the batch shapes are equal or
  // one side has a single matrix ([2, 1] against [5] would pair wrongly): materialize the rest.
  const aBatch = a.shape.slice(0, -2);
  const bBatch = b.shape.slice(0, -2);
  const pairsByIndex = shapesEqual(aBatch, bBatch) || sizeOf(aBatch) === 1 || sizeOf(bBatch) === 1;
  const lhs = pairsByIndex ? a : tf.broadcastTo(a, [...batch, ...a.shape.slice(-2)]);
  const rhs = pairsByIndex ? b : tf.broadcastTo(b, [...batch, ...b.shape.slice(-2)]);
  return tf.reshape(tf.matMul(lhs, rhs, transposeA, transposeB), outShape);
});
