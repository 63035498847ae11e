import type { KernelFn, TensorInfo, TransposeAttrs, TypedArray } from '@surrograd/core';
import { fmt, stridesOf } from '@surrograd/core';
import type { CpuBackend } from '../cpu-backend.js';
import { allocFor } from './common.js';

/** Tile edge for 2-D transposes: a 32×32 tile of the source stays in L1 while it is written out. */
const TILE = 32;

function assertPermutation(perm: readonly number[], rank: number, shape: readonly number[]): void {
  const seen = new Set<number>();
  for (const p of perm) if (Number.isInteger(p) && p >= 0 && p < rank) seen.add(p);
  if (perm.length !== rank || seen.size !== rank) {
    throw new RangeError(`Transpose: perm [${perm.join(', ')}] is not a permutation of the axes of x ${fmt(shape)}`);
  }
}

/**
 * out[.., r, c] = x[i + r + c·colStride] for each of `count` matrices (rows × cols) at
 * x offsets base + t·inStep: the classic transpose, tiled so reads and writes both stay in cache.
 */
function transposeMatrices(
  x: TypedArray,
  out: TypedArray,
  count: number,
  inStep: number,
  rows: number,
  cols: number,
  colStride: number,
): void {
  for (let t = 0, o = 0; t < count; t++, o += rows * cols) {
    const base = t * inStep;
    for (let r0 = 0; r0 < rows; r0 += TILE) {
      const rEnd = Math.min(rows, r0 + TILE);
      for (let c0 = 0; c0 < cols; c0 += TILE) {
        const cEnd = Math.min(cols, c0 + TILE);
        for (let r = r0; r < rEnd; r++) {
          const outRow = o + r * cols;
          for (let c = c0, i = base + r + c0 * colStride; c < cEnd; c++, i += colStride) out[outRow + c] = x[i];
        }
      }
    }
  }
}

/** [x] → x permuted by `perm`, materialized. */
export const transpose: KernelFn<CpuBackend, TransposeAttrs> = ({ inputs, attrs, backend }) => {
  const [x] = inputs as [TensorInfo];
  const perm = attrs.perm;
  assertPermutation(perm, x.shape.length, x.shape);
  const outShape = perm.map((p) => x.shape[p]);
  const xv = backend.valuesOf(x);
  const out = allocFor(x.dtype, outShape);
  if (out.length === 0) return backend.makeOutput(out, outShape, x.dtype);

  // Output dims with their input strides, size-1 dims dropped and input-contiguous runs merged.
  const inStrides = stridesOf(x.shape);
  const dims: number[] = [];
  const strides: number[] = [];
  for (const p of perm) {
    const size = x.shape[p];
    if (size === 1) continue;
    const last = dims.length - 1;
    if (last >= 0 && strides[last] === inStrides[p] * size) {
      dims[last] *= size;
      strides[last] = inStrides[p];
    } else {
      dims.push(size);
      strides.push(inStrides[p]);
    }
  }
  const rank = dims.length;
  if (rank <= 1) {
    out.set(xv);
  } else if (strides[rank - 2] === 1 && (rank === 2 || (rank === 3 && strides[0] === dims[1] * dims[2]))) {
    // [rows, cols] read as [cols, rows], possibly for a batch of matrices: a 2-D transpose.
    const [rows, cols] = dims.slice(-2);
    transposeMatrices(xv, out, rank === 2 ? 1 : dims[0], rows * cols, rows, cols, strides[rank - 1]);
  } else {
    gatherStrided(xv, out, dims, strides);
  }
  return backend.makeOutput(out, outShape, x.dtype);
};

/** out in order, reading x through `strides` per dim: an odometer over the outer dims, a strided inner loop. */
function gatherStrided(x: TypedArray, out: TypedArray, dims: readonly number[], strides: readonly number[]): void {
  const rank = dims.length;
  const inner = dims[rank - 1];
  const step = strides[rank - 1];
  const index = new Array<number>(rank).fill(0);
  let i = 0;
  for (let o = 0; o < out.length; o += inner) {
    for (let j = 0, s = i; j < inner; j++, s += step) out[o + j] = x[s];
    for (let d = rank - 2; d >= 0; d--) {
      if (++index[d] < dims[d]) {
        i += strides[d];
        break;
      }
      index[d] = 0;
      i -= strides[d] * (dims[d] - 1);
    }
  }
}
