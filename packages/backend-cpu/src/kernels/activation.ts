/**
 * The Activation and ActivationGrad kernels: every kind registered in core, compiled from its
 * expression (core's activations/js-loops.ts), with hand-tuned loops for the hottest forward kinds.
 */
import {
  type ActivationAttrs,
  type ActivationGradAttrs,
  activationGradKind,
  activationKinds,
  type ForwardKind,
  type ForwardLoop,
  fmt,
  forwardLoop,
  gradLoop,
  type KernelFn,
  maskGrad,
  maskLoop,
  sizeOf,
  type TensorInfo,
} from '@surrograd/core';
import type { CpuBackend } from '../cpu-backend.js';
import { tunedForward } from './activation/tuned.js';
import { BLOCK } from './block.js';

/** A hand-tuned loop for the hottest kinds, else core's compiled one. */
function forwardLoopFor(kind: ForwardKind): ForwardLoop {
  return tunedForward[kind.name] ?? forwardLoop(kind);
}

/** Words needed for a bit mask of n elements. */
export const maskWords = (n: number) => Math.ceil(n / 32);

/** [x] → y (dtype of x); with `mask`, [y, int32 bit mask of the derivative kind's predicate]. */
export const activation: KernelFn<CpuBackend, ActivationAttrs> = ({ inputs, attrs, backend }) => {
  const [x] = inputs as [TensorInfo];
  const { forward: kind, mask: der } = activationKinds(attrs);
  const forward = forwardLoopFor(kind);
  const xv = backend.valuesOf(x);
  const n = xv.length;
  const y = backend.allocUninitialized(x.dtype, n);
  const words = der ? new Int32Array(maskWords(n)) : null;
  const pack = der ? maskLoop(der) : null;
  // Forward and mask per block, so the mask pass reads x from cache: one trip to memory.
  for (let start = 0; start < n; start += BLOCK) {
    const end = Math.min(n, start + BLOCK);
    forward(xv, y, start, end, attrs.params);
    if (pack) pack(xv, words as Int32Array, start, end, attrs.params);
  }
  const out = backend.makeOutput(y, x.shape, x.dtype);
  return words ? [out, backend.makeOutput(words, [words.length], 'int32')] : out;
};

/** [dy, saved] → dy · g(saved), one pass; saved is x, y or the bit mask, per the derivative kind. */
export const activationGrad: KernelFn<CpuBackend, ActivationGradAttrs> = ({ inputs, attrs, backend }) => {
  const [dy, saved] = inputs as [TensorInfo, TensorInfo];
  const kind = activationGradKind(attrs);
  const n = sizeOf(dy.shape);
  const dyv = backend.valuesOf(dy);
  const sv = backend.valuesOf(saved);
  const dx = backend.allocUninitialized(dy.dtype, n);
  if (kind.from === 'mask') {
    if (saved.dtype !== 'int32' || sv.length !== maskWords(n)) {
      throw new RangeError(
        `ActivationGrad '${kind.name}': expected an int32 mask of ${maskWords(n)} words for dy ${fmt(dy.shape)}, got ${saved.dtype} ${fmt(saved.shape)}`,
      );
    }
    for (let start = 0; start < n; start += BLOCK)
      maskGrad(kind, attrs.params, dyv, sv as Int32Array, dx, start, Math.min(n, start + BLOCK));
  } else if (kind.from === 'none') {
    throw new Error(`ActivationGrad '${kind.name}': a derivative that reads nothing needs no kernel (core multiplies dy by the constant)`);
  } else {
    if (sizeOf(saved.shape) !== n) {
      throw new RangeError(
        `ActivationGrad '${kind.name}': dy ${fmt(dy.shape)} and the saved ${kind.from} ${fmt(saved.shape)} must have the same size`,
      );
    }
    const grad = gradLoop(kind);
    for (let start = 0; start < n; start += BLOCK) grad(dyv, sv, dx, start, Math.min(n, start + BLOCK), attrs.params);
  }
  return backend.makeOutput(dx, dy.shape, dy.dtype);
};
