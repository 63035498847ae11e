/**
 * The Activation and ActivationGrad kernels: every kind registered in core, compiled from its
 * expression (see activation/compile.ts), with hand-tuned loops for the hottest forward kinds.
 */
import {
  type ActivationAttrs,
  type ActivationGradAttrs,
  type DerivativeKind,
  derivativeKind,
  type ForwardKind,
  fmt,
  forwardKind,
  type KernelFn,
  sizeOf,
  type TensorInfo,
} from '@surrograd/core';
import type { CpuBackend } from '../cpu-backend.js';
import {
  compileForward,
  compileGrad,
  compileMask,
  type ForwardLoop,
  type GradLoop,
  type MaskLoop,
  maskGrad,
} from './activation/compile.js';
import { tunedForward } from './activation/tuned.js';
import { BLOCK } from './block.js';

// Keyed by the kind object: re-registering a kind in core replaces the object, so it recompiles.
const forwardLoops = new WeakMap<ForwardKind, ForwardLoop>();
const maskLoops = new WeakMap<DerivativeKind, MaskLoop>();
const gradLoops = new WeakMap<DerivativeKind, GradLoop>();

function cached<K extends object, V>(map: WeakMap<K, V>, key: K, make: (k: K) => V): V {
  let v = map.get(key);
  if (!v) map.set(key, (v = make(key)));
  return v;
}

function forwardLoopFor(kind: ForwardKind): ForwardLoop {
  return cached(forwardLoops, kind, (k) => tunedForward[k.name] ?? compileForward(k));
}

/** Words needed for a bit mask of n elements. */
export const maskWords = (n: number) => Math.ceil(n / 32);

/** [x] → y (dtype of x); with `mask`, [y, int32 bit mask of the derivative kind's predicate]. */
export const activation: KernelFn<CpuBackend, ActivationAttrs & { mask?: string }> = ({ inputs, attrs, backend }) => {
  const [x] = inputs as [TensorInfo];
  const kind = forwardKind(attrs.kind);
  const forward = forwardLoopFor(kind);
  const xv = backend.valuesOf(x);
  const n = xv.length;
  const y = backend.allocUninitialized(x.dtype, n);
  const der = attrs.mask === undefined ? null : derivativeKind(attrs.mask);
  if (der && der.from !== 'mask') throw new Error(`Activation: derivative kind '${der.name}' reads '${der.from}', not a mask`);
  const words = der ? new Int32Array(maskWords(n)) : null;
  const pack = der ? cached(maskLoops, der, compileMask) : null;
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
  const kind = derivativeKind(attrs.kind);
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
    const grad = cached(gradLoops, kind, compileGrad);
    for (let start = 0; start < n; start += BLOCK) grad(dyv, sv, dx, start, Math.min(n, start + BLOCK), attrs.params);
  }
  return backend.makeOutput(dx, dy.shape, dy.dtype);
};
