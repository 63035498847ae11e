import type { KernelFn, TensorInfo, TypedArray } from '@surrograd/core';
import { broadcastShapes, planBroadcast } from '@surrograd/core';
import type { CpuBackend } from '../cpu-backend.js';
import { wordsOf } from './bits.js';
import { forEachRow, innerStride } from './broadcast-plan.js';
import { allocFor } from './common.js';

/**
 * out = cond ? a : b on whole words: mask = -(cond != 0) is all ones or zero, and
 * (a & mask) | (b & ~mask) picks without a branch (a ternary mispredicts on random conditions).
 * Offsets count words; `wordsPerElement` words are moved per element (2 for float64).
 */
function selectWords(
  out: Int32Array | Uint8Array,
  o: number,
  c: TypedArray,
  ic: number,
  sc: number,
  a: Int32Array | Uint8Array,
  ia: number,
  sa: number,
  b: Int32Array | Uint8Array,
  ib: number,
  sb: number,
  n: number,
): void {
  for (const end = o + n; o < end; o++, ic += sc, ia += sa, ib += sb) {
    const mask = -+(c[ic] !== 0);
    out[o] = (a[ia] & mask) | (b[ib] & ~mask);
  }
}

function selectDoubleWords(
  out: Int32Array,
  o: number,
  c: TypedArray,
  ic: number,
  sc: number,
  a: Int32Array,
  ia: number,
  sa: number,
  b: Int32Array,
  ib: number,
  sb: number,
  n: number,
): void {
  o *= 2;
  ia *= 2;
  ib *= 2;
  sa *= 2;
  sb *= 2;
  for (const end = o + 2 * n; o < end; o += 2, ic += sc, ia += sa, ib += sb) {
    const mask = -+(c[ic] !== 0);
    out[o] = (a[ia] & mask) | (b[ib] & ~mask);
    out[o + 1] = (a[ia + 1] & mask) | (b[ib + 1] & ~mask);
  }
}

/** [cond bool, a, b] → cond ? a : b, all three broadcast, dtype of a. */
export const where: KernelFn<CpuBackend> = ({ inputs, backend }) => {
  const [cond, a, b] = inputs as [TensorInfo, TensorInfo, TensorInfo];
  if (a.dtype !== b.dtype) {
    throw new TypeError(`Where: a and b must have the same dtype, got ${a.dtype} and ${b.dtype}`);
  }
  const shape = broadcastShapes('Where', cond.shape, a.shape, b.shape);
  const plan = planBroadcast(shape, [cond.shape, a.shape, b.shape]);
  const out = allocFor(a.dtype, shape);
  const cv = backend.valuesOf(cond);
  const sc = innerStride(plan, 0);
  const sa = innerStride(plan, 1);
  const sb = innerStride(plan, 2);
  if (a.dtype === 'bool') {
    const [ov, av, bv] = [out, backend.valuesOf(a), backend.valuesOf(b)] as Uint8Array[];
    forEachRow(plan, (o, at, n) => selectWords(ov, o, cv, at[0], sc, av, at[1], sa, bv, at[2], sb, n));
  } else {
    const [ov, av, bv] = [wordsOf(out), wordsOf(backend.valuesOf(a)), wordsOf(backend.valuesOf(b))];
    const select = a.dtype === 'float64' ? selectDoubleWords : selectWords;
    forEachRow(plan, (o, at, n) => select(ov, o, cv, at[0], sc, av, at[1], sa, bv, at[2], sb, n));
  }
  return backend.makeOutput(out, shape, a.dtype);
};
