import type { KernelFn, ReduceAttrs, ReduceOp, TensorInfo, TypedArray } from '@surrograd/core';
import { allocArray, fmt, normalizeAxes, planReduce, reducedShape, sizeOf } from '@surrograd/core';
import type { CpuBackend } from '../cpu-backend.js';
import { BLOCK } from './block.js';
import { pick } from './common.js';
import { forEachRun } from './reduce-plan.js';

/** One reduction, accumulated in float64 whatever the dtype. */
interface Reduction {
  identity: number;
  /** acc folded with x[i..i+n): the run is contiguous and reduced. */
  fold(acc: number, x: TypedArray, i: number, n: number): number;
  /** acc[o+j] folded with x[i+j] for j < n: the run is contiguous and kept. */
  foldInto(acc: Float64Array, o: number, x: TypedArray, i: number, n: number): void;
}

// Scalar folds keep several partial results so consecutive adds don't wait on each other.
// Math.max/min return NaN if either side is NaN, so max/min propagate NaN.
const reductions: Record<ReduceOp, Reduction> = {
  sum: {
    identity: 0,
    fold(acc, x, i, n) {
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      const end = i + n;
      for (; i + 3 < end; i += 4) {
        s0 += x[i];
        s1 += x[i + 1];
        s2 += x[i + 2];
        s3 += x[i + 3];
      }
      for (; i < end; i++) s0 += x[i];
      return acc + (s0 + s1 + (s2 + s3));
    },
    foldInto(acc, o, x, i, n) {
      for (const end = o + n; o < end; o++, i++) acc[o] += x[i];
    },
  },
  prod: {
    identity: 1,
    fold(acc, x, i, n) {
      let p0 = 1;
      let p1 = 1;
      const end = i + n;
      for (; i + 1 < end; i += 2) {
        p0 *= x[i];
        p1 *= x[i + 1];
      }
      if (i < end) p0 *= x[i];
      return acc * (p0 * p1);
    },
    foldInto(acc, o, x, i, n) {
      for (const end = o + n; o < end; o++, i++) acc[o] *= x[i];
    },
  },
  max: {
    identity: Number.NEGATIVE_INFINITY,
    fold(acc, x, i, n) {
      let m0 = acc;
      let m1 = acc;
      const end = i + n;
      for (; i + 1 < end; i += 2) {
        m0 = Math.max(m0, x[i]);
        m1 = Math.max(m1, x[i + 1]);
      }
      if (i < end) m0 = Math.max(m0, x[i]);
      return Math.max(m0, m1);
    },
    foldInto(acc, o, x, i, n) {
      for (const end = o + n; o < end; o++, i++) acc[o] = Math.max(acc[o], x[i]);
    },
  },
  min: {
    identity: Number.POSITIVE_INFINITY,
    fold(acc, x, i, n) {
      let m0 = acc;
      let m1 = acc;
      const end = i + n;
      for (; i + 1 < end; i += 2) {
        m0 = Math.min(m0, x[i]);
        m1 = Math.min(m1, x[i + 1]);
      }
      if (i < end) m0 = Math.min(m0, x[i]);
      return Math.min(m0, m1);
    },
    foldInto(acc, o, x, i, n) {
      for (const end = o + n; o < end; o++, i++) acc[o] = Math.min(acc[o], x[i]);
    },
  },
};

/** [x] → op over `axes` (empty: a copy), keepDims or not, dtype of x. */
export const reduce: KernelFn<CpuBackend, ReduceAttrs> = ({ inputs, attrs, backend }) => {
  const [x] = inputs as [TensorInfo];
  const { identity, fold, foldInto } = pick('Reduce', 'op', reductions, attrs.op);
  const xv = backend.valuesOf(x);
  const axes = normalizeAxes('Reduce', attrs.axes, x.shape.length);
  if (axes.length === 0) return backend.makeOutput(xv.slice(), x.shape, x.dtype);
  const outShape = reducedShape(x.shape, axes, attrs.keepDims);
  const outSize = sizeOf(outShape);
  let perOutput = 1;
  for (const a of axes) perOutput *= x.shape[a];
  if (perOutput === 0 && outSize > 0 && !Number.isFinite(identity)) {
    throw new RangeError(`Reduce: ${attrs.op} of an empty set: x ${fmt(x.shape)} has no elements along axes [${axes.join(', ')}]`);
  }

  const acc = new Float64Array(outSize).fill(identity);
  if (xv.length > 0) {
    const plan = planReduce(x.shape, axes);
    const last = plan.dims.length - 1;
    const n = plan.dims[last];
    if (plan.reduced[last]) {
      forEachRun(plan, (i, o) => {
        let a = acc[o];
        for (let j = 0; j < n; j += BLOCK) a = fold(a, xv, i + j, Math.min(BLOCK, n - j));
        acc[o] = a;
      });
    } else {
      forEachRun(plan, (i, o) => {
        for (let j = 0; j < n; j += BLOCK) foldInto(acc, o + j, xv, i + j, Math.min(BLOCK, n - j));
      });
    }
  }
  if (x.dtype === 'float64') return backend.makeOutput(acc, outShape, x.dtype);
  const out = allocArray(x.dtype, outSize);
  if (x.dtype === 'bool') {
    // Keep bool buffers 0/1: sum reads as any, prod as all.
    for (let i = 0; i < outSize; i++) out[i] = +(acc[i] !== 0);
  } else out.set(acc);
  return backend.makeOutput(out, outShape, x.dtype);
};
