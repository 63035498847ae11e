import type { ArgReduceAttrs, ArgReduceOp, KernelFn, TensorInfo, TypedArray } from '@surrograd/core';
import { fmt, normalizeAxis, reducedShape, sizeOf } from '@surrograd/core';
import type { CpuBackend } from '../cpu-backend.js';
import { pick } from './common.js';

/**
 * For x viewed as [outer, n, inner], the index along n of the first extreme value. A NaN beats
 * every number and the first NaN beats later ones, for argmax and argmin alike (as numpy and
 * PyTorch do, and as Reduce's max/min propagate NaN).
 */
interface ArgSearch {
  /** One contiguous run (inner = 1): index of the extreme of x[base..base+n). */
  along(x: TypedArray, base: number, n: number): number;
  /** inner > 1: walks the n rows in memory order, keeping one best value per column. */
  across(x: TypedArray, base: number, n: number, inner: number, best: Float64Array, out: Int32Array, outBase: number): void;
}

const searches: Record<ArgReduceOp, ArgSearch> = {
  argmax: {
    along(x, base, n) {
      let best = x[base];
      let at = 0;
      for (let k = 1; k < n; k++) {
        const v = x[base + k];
        if (v > best || (Number.isNaN(v) && !Number.isNaN(best))) {
          best = v;
          at = k;
        }
      }
      return at;
    },
    across(x, base, n, inner, best, out, outBase) {
      for (let c = 0; c < inner; c++) best[c] = x[base + c];
      out.fill(0, outBase, outBase + inner);
      for (let k = 1; k < n; k++) {
        const row = base + k * inner;
        for (let c = 0; c < inner; c++) {
          const v = x[row + c];
          const b = best[c];
          if (v > b || (Number.isNaN(v) && !Number.isNaN(b))) {
            best[c] = v;
            out[outBase + c] = k;
          }
        }
      }
    },
  },
  argmin: {
    along(x, base, n) {
      let best = x[base];
      let at = 0;
      for (let k = 1; k < n; k++) {
        const v = x[base + k];
        if (v < best || (Number.isNaN(v) && !Number.isNaN(best))) {
          best = v;
          at = k;
        }
      }
      return at;
    },
    across(x, base, n, inner, best, out, outBase) {
      for (let c = 0; c < inner; c++) best[c] = x[base + c];
      out.fill(0, outBase, outBase + inner);
      for (let k = 1; k < n; k++) {
        const row = base + k * inner;
        for (let c = 0; c < inner; c++) {
          const v = x[row + c];
          const b = best[c];
          if (v < b || (Number.isNaN(v) && !Number.isNaN(b))) {
            best[c] = v;
            out[outBase + c] = k;
          }
        }
      }
    },
  },
};

/** [x] → int32 index of the first max/min along `axis`. A scalar's only index is 0. */
export const argReduce: KernelFn<CpuBackend, ArgReduceAttrs> = ({ inputs, attrs, backend }) => {
  const [x] = inputs as [TensorInfo];
  const search = pick('ArgReduce', 'op', searches, attrs.op);
  const rank = x.shape.length;
  if (rank === 0) {
    normalizeAxis('ArgReduce', attrs.axis, 0);
    return backend.makeOutput(new Int32Array(1), [], 'int32');
  }
  const axis = normalizeAxis('ArgReduce', attrs.axis, rank);
  const n = x.shape[axis];
  const outer = sizeOf(x.shape.slice(0, axis));
  const inner = sizeOf(x.shape.slice(axis + 1));
  const out = new Int32Array(outer * inner);
  if (out.length > 0 && n === 0) {
    throw new RangeError(`ArgReduce: ${attrs.op} of an empty axis: x ${fmt(x.shape)} has size 0 along axis ${axis}`);
  }
  const xv = backend.valuesOf(x);
  if (inner === 1) {
    for (let o = 0; o < outer; o++) out[o] = search.along(xv, o * n, n);
  } else if (out.length > 0) {
    const best = new Float64Array(inner);
    for (let o = 0; o < outer; o++) search.across(xv, o * n * inner, n, inner, best, out, o * inner);
  }
  return backend.makeOutput(out, reducedShape(x.shape, [axis], attrs.keepDims), 'int32');
};
