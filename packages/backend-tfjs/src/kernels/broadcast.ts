/**
 * Broadcasting where tfjs gets it wrong or slow. tfjs broadcasts a 0-sized dim against a 1 to 1
 * ([1, 4] with [0, 1] gives [1, 4]; numpy gives [0, 4]). And tfjs-wasm's tf.where and
 * tf.broadcastTo broadcast through Tile, which is slow: a million-element tf.where with scalar
 * branches takes ~40 times a same-shape one, while binary ops broadcast at full speed.
 */
import { broadcastShapes, shapesEqual, sizeOf } from '@surrograd/core';
import * as tf from '@tensorflow/tfjs-core';

/** The result of an elementwise op whose broadcast shape is empty, or null when it is not. */
export function emptyBroadcast(op: string, dtype: tf.DataType, ...operands: tf.Tensor[]): tf.Tensor | null {
  const shape = broadcastShapes(op, ...operands.map((t) => t.shape));
  return sizeOf(shape) === 0 ? tf.zeros(shape, dtype) : null;
}

/**
 * `t` materialized at `shape` (which it broadcasts to), by a broadcasting add of -0 — the IEEE
 * identity, so -0, ±Inf and NaN come through — or of 0 on int32: tfjs-wasm's binary ops broadcast
 * fast, its tf.broadcastTo (Tile) does not (~25 times slower on a million elements). bool is tiled.
 */
export function expandTo(t: tf.Tensor, shape: number[]): tf.Tensor {
  if (shapesEqual(t.shape, shape)) return t;
  if (t.dtype === 'float32') return tf.add(t, tf.fill(shape, -0));
  if (t.dtype === 'int32') return tf.add(t, tf.zeros(shape, 'int32'));
  return tf.broadcastTo(t, shape);
}

/**
 * cond ? a : b with numpy broadcasting, each operand expanded by `expandTo` first. bool branches
 * select as int32: tfjs-wasm's Select copies 4-byte elements, so on bool (1 byte) it returns
 * wrong values, and from ~33 elements it reads out of bounds and corrupts wasm memory.
 */
export function select(cond: tf.Tensor, a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const shape = broadcastShapes('Where', cond.shape, a.shape, b.shape);
  if (a.dtype === 'bool') {
    const picked = tf.where(expandTo(cond, shape), expandTo(tf.cast(a, 'int32'), shape), expandTo(tf.cast(b, 'int32'), shape));
    return tf.notEqual(picked, tf.scalar(0, 'int32'));
  }
  return tf.where(expandTo(cond, shape), expandTo(a, shape), expandTo(b, shape));
}

/**
 * m ? one : zero for m of 0s and 1s (float32), as m·(one − zero) + zero — two ops against
 * scalars — when that is exact in float32 at both values; otherwise a select between fills.
 */
export function blend(m: tf.Tensor, one: number, zero: number): tf.Tensor {
  if (zero === 0 && one === 1) return m;
  const step = Math.fround(one - zero);
  const exact = Number.isFinite(step) && Number.isFinite(zero) && Math.fround(step + Math.fround(zero)) === Math.fround(one);
  if (exact) return tf.add(tf.mul(m, step), zero);
  return tf.where(tf.cast(m, 'bool'), tf.fill(m.shape, one), tf.fill(m.shape, zero));
}
