/**
 * Activation / ActivationGrad for every kind in core's table (see expr/activation-kinds.ts).
 * A mask-based derivative's mask is bit-packed, 32 per int32 word, where the tfjs backend computes
 * int32 exactly; on webgl (int32 held as float32) it is one bool per element instead.
 */
import type { ActivationAttrs, ActivationGradAttrs } from '@surrograd/core';
import { activationGradKind, activationKinds, fmt } from '@surrograd/core';
import * as tf from '@tensorflow/tfjs-core';
import { runDerivative, runForward, runMask } from '../expr/activation-kinds.js';
import { int32IsExact } from '../expr/int32-exact.js';
import { maskWords, packBits, unpackBits } from '../expr/mask-bits.js';
import { tfKernel } from './run.js';

/** [x] → y; with `mask` (a derivative kind's name), [y, the mask of that kind's predicate on x]. */
export const activation = tfKernel<ActivationAttrs>(([x], attrs) => {
  const { forward: kind, mask } = activationKinds(attrs);
  const xf = x.dtype === 'float32' ? x : tf.cast(x, 'float32');
  const y = runForward(kind, xf, attrs.params);
  if (mask === null) return y;
  const bits = runMask(mask, xf, attrs.params);
  return [y, int32IsExact() ? packBits(bits) : bits];
});

/** The saved mask as 0/1 of dy's shape, from either format, checked against dy's size. */
function maskFor(kind: string, saved: tf.Tensor, dy: tf.Tensor): tf.Tensor {
  if (saved.dtype === 'int32' && saved.size === maskWords(dy.size)) return tf.reshape(unpackBits(saved, dy.size), dy.shape);
  if (saved.dtype === 'bool' && saved.size === dy.size) return tf.reshape(saved, dy.shape);
  throw new RangeError(
    `ActivationGrad '${kind}': expected an int32 mask of ${maskWords(dy.size)} words (or ${dy.size} bools) for dy ${fmt(dy.shape)}, ` +
      `got ${saved.dtype} ${fmt(saved.shape)}`,
  );
}

/** [dy, saved] → dy · g(saved); saved is x, y or the mask, per the derivative kind. */
export const activationGrad = tfKernel<ActivationGradAttrs>(([dy, saved], attrs) => {
  const kind = activationGradKind(attrs);
  if (kind.from === 'mask') return tf.mul(dy, runDerivative(kind, maskFor(kind.name, saved, dy), attrs.params));
  if (kind.from === 'none') {
    throw new Error(`ActivationGrad '${kind.name}': a derivative that reads nothing needs no kernel (core multiplies dy by the constant)`);
  }
  if (saved.size !== dy.size) {
    throw new RangeError(
      `ActivationGrad '${kind.name}': dy ${fmt(dy.shape)} and the saved ${kind.from} ${fmt(saved.shape)} must have the same size`,
    );
  }
  return tf.mul(dy, runDerivative(kind, tf.reshape(saved, dy.shape), attrs.params));
});
