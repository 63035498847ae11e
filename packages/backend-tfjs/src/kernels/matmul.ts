import type { MatMulAttrs } from '@surrograd/core';
import { matmulShapes, shapesEqual, sizeOf } from '@surrograd/core';
import * as tf from '@tensorflow/tfjs-core';
import { tfKernel } from './run.js';

/** [a, b] → a·b over the last two dims (each optionally transposed), batch dims broadcast. */
export const matMul = tfKernel<MatMulAttrs>(([a, b], attrs) => {
  const transposeA = !!attrs.transposeA;
  const transposeB = !!attrs.transposeB;
  const { k, batch, outShape } = matmulShapes('MatMul', a.shape, b.shape, transposeA, transposeB);
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
