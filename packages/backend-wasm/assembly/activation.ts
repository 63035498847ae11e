// The Activation / ActivationGrad kernels, over the per-kind SIMD
// loops that scripts/emit-activations.mjs generates from core's activation table. Forward
// parameters sit at the start of the scratch block, the derivative kind's (and its mask
// predicate's) 512 bytes in; each as f32 and, 128 bytes further, as f64.

import { derivativeKind, forwardKind, forwardMaskKind, maskKind } from './generated/activations';
import { SCRATCH } from './scratch';

const FORWARD_PARAMS: usize = SCRATCH;
const DERIVATIVE_PARAMS: usize = SCRATCH + 512;

/**
 * Elements per block when a forward pass also writes a mask: the mask loop reads the block's x
 * again from L1, so memory is read once. A multiple of 32 (whole mask words).
 */
const BLOCK = 2048;

/** y = f(x); with maskKind >= 0, also the mask words of that derivative kind's predicate on x. */
export function activation(kind: i32, maskKindId: i32, x: usize, y: usize, n: i32, mask: usize): void {
  if (maskKindId < 0) {
    forwardKind(kind, x, y, n, FORWARD_PARAMS);
    return;
  }
  // The library's pairs have a one-pass loop; it leaves a tail of < 32 elements (or, for other
  // pairs, everything) to the blocked two-loop pass.
  const done = forwardMaskKind(kind, maskKindId, x, y, mask, n, FORWARD_PARAMS, DERIVATIVE_PARAMS);
  for (let start = done; start < n; start += BLOCK) {
    const len = min(BLOCK, n - start);
    const offset = <usize>start << 2;
    forwardKind(kind, x + offset, y + offset, len, FORWARD_PARAMS);
    maskKind(maskKindId, x + offset, mask + (<usize>(start >> 5) << 2), len, DERIVATIVE_PARAMS);
  }
}

/** dx = dy · g(saved), saved being x or y as the derivative kind reads. */
export function activationGrad(kind: i32, dy: usize, saved: usize, dx: usize, n: i32): void {
  derivativeKind(kind, dy, saved, dx, n, DERIVATIVE_PARAMS);
}

/**
 * dx = dy · g(m) for a mask derivative: g takes two values, g0 and g1 (computed by the host from
 * the kind's expression), and each mask bit picks one per lane — a product, so a NaN dy stays NaN
 * even where g is 0.
 */
export function activationGradMask(dy: usize, mask: usize, dx: usize, n: i32, gZero: f32, gOne: f32): void {
  const g0 = f32x4.splat(gZero);
  const g1 = f32x4.splat(gOne);
  let i = 0;
  // Unrolled by hand so each nibble's shift is a constant: one word of mask, eight vectors of dy.
  for (; i + 32 <= n; i += 32) {
    const word = load<i32>(mask + (<usize>(i >> 5) << 2));
    const at = <usize>i << 2;
    maskedProduct(dy + at, dx + at, word, 0, g0, g1);
    maskedProduct(dy + at, dx + at, word, 1, g0, g1);
    maskedProduct(dy + at, dx + at, word, 2, g0, g1);
    maskedProduct(dy + at, dx + at, word, 3, g0, g1);
    maskedProduct(dy + at, dx + at, word, 4, g0, g1);
    maskedProduct(dy + at, dx + at, word, 5, g0, g1);
    maskedProduct(dy + at, dx + at, word, 6, g0, g1);
    maskedProduct(dy + at, dx + at, word, 7, g0, g1);
  }
  const s0 = f32x4.extract_lane(g0, 0);
  const s1 = f32x4.extract_lane(g1, 0);
  for (; i < n; i++) {
    const bit = (load<i32>(mask + (<usize>(i >> 5) << 2)) >>> (i & 31)) & 1;
    store<f32>(dx + (<usize>i << 2), load<f32>(dy + (<usize>i << 2)) * (bit ? s1 : s0));
  }
}

/** Vector v (four lanes) of a 32-element group: dx = dy · (bit ? g1 : g0), the bits being nibble v of word. */
@inline function maskedProduct(dy: usize, dx: usize, word: i32, v: i32, g0: v128, g1: v128): void {
  const lanes = i32x4.ne(v128.and(i32x4.splat(word >>> (v * 4)), i32x4(1, 2, 4, 8)), i32x4.splat(0));
  const at = <usize>v << 4;
  v128.store(dx + at, f32x4.mul(v128.load(dy + at), v128.bitselect(g1, g0, lanes)));
}
