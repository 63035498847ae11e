/**
 * The 1-bit masks of mask-based derivatives (relu's, leaky relu's, the windowed straight-through
 * estimators'), packed as the contract has it: 32 per int32 word, element i in bit i % 32 of word
 * i / 32. tfjs has no bit-packing op, and on tfjs-wasm broadcasting ops run through Tile, ~40
 * times slower than same-shape ones, so both directions go through bytes and matMul:
 *  - pack: bits as [n/8, 8] · [2⁰ … 2⁷] gives bytes (exact in float32); bytes 0-2 of a word
 *    combine exactly by another matMul (< 2²⁴), byte 3 joins in int32 arithmetic (which wraps);
 *  - unpack: bytes come out of each word by bitwiseAnd (exact on int32), an outer product with
 *    [2⁰ … 2⁻⁷] (one matMul) shifts every bit to the units place, and an AND with 1 reads it.
 * Only word-sized ops ([n / 32]) are not elementwise over n.
 */
import * as tf from '@tensorflow/tfjs-core';

const BITS = 32;

/** Words needed for a mask of n elements. */
export const maskWords = (n: number): number => Math.ceil(n / BITS);

const powers = (scale: number, count: number) => Array.from({ length: count }, (_, k) => scale ** k);

/** bool bits (any shape, n elements) → int32 [ceil(n / 32)]. Call inside tf.tidy. */
export function packBits(bits: tf.Tensor): tf.Tensor {
  const n = bits.size;
  const words = maskWords(n);
  if (n === 0) return tf.zeros([0], 'int32');
  let flat = tf.cast(tf.reshape(bits, [n]), 'float32');
  if (words * BITS > n) flat = tf.pad(flat, [[0, words * BITS - n]]);
  const bytes = tf.reshape(tf.matMul(tf.reshape(flat, [words * 4, 8]), tf.tensor2d(powers(2, 8), [8, 1])), [words, 4]);
  const low = tf.matMul(tf.slice(bytes, [0, 0], [words, 3]), tf.tensor2d([1, 2 ** 8, 2 ** 16], [3, 1]));
  const high = tf.mul(tf.cast(tf.slice(bytes, [0, 3], [words, 1]), 'int32'), tf.scalar(2 ** 24, 'int32'));
  return tf.reshape(tf.add(tf.cast(low, 'int32'), high), [words]);
}

/**
 * int32 words → float32 [n] of 0 and 1: the first n bits, in order (as numbers, ready for the
 * arithmetic that turns them into a derivative). Call inside tf.tidy.
 */
export function unpackBits(words: tf.Tensor, n: number): tf.Tensor {
  if (n === 0) return tf.zeros([0]);
  const w = words.size;
  const byte = (k: number) => {
    // Byte k, shifted down: the masked word is a multiple of 2^(8k) with 8 significant bits, so
    // it and its quotient are exact in float32; byte 3 comes out signed, and mod 256 fixes that.
    const masked = tf.bitwiseAnd(words, tf.fill([w], (255 * 2 ** (8 * k)) | 0, 'int32'));
    const shifted = tf.div(tf.cast(masked, 'float32'), 2 ** (8 * k));
    return k === 3 ? tf.mod(shifted, 256) : shifted;
  };
  // [W, 4] bytes in element order; concat + transpose (tf.stack is ~30 times slower on wasm).
  const bytes = tf.reshape(tf.transpose(tf.reshape(tf.concat([byte(0), byte(1), byte(2), byte(3)]), [4, w])), [w * 4, 1]);
  const shifted = tf.matMul(bytes, tf.tensor2d(powers(0.5, 8), [1, 8]));
  // Bit k of byte b is the low bit of floor(b / 2^k): a plain tf.cast truncates these small
  // non-negative values exactly on every backend. (Measured fastest on cpu and wasm alike.)
  const whole = tf.cast(shifted, 'int32');
  const bits = tf.cast(tf.bitwiseAnd(whole, tf.onesLike(whole)), 'float32');
  const flat = tf.reshape(bits, [w * BITS]);
  return w * BITS === n ? flat : tf.slice(flat, [0], [n]);
}
