import type { KernelFn, MatMulAttrs, TensorInfo, TypedArray } from '@surrograd/core';
import { allocArray, broadcastStrides, matmulShapes, sizeOf } from '@surrograd/core';
import type { CpuBackend } from '../cpu-backend.js';
import { COLUMN_BLOCK, gemmAxpy, gemmDots } from './gemm.js';

/** Computes one m×n product from matrices at aOff, bOff into c at cOff. */
type MatrixProduct = (a: TypedArray, aOff: number, b: TypedArray, bOff: number, c: TypedArray, cOff: number) => void;

/**
 * Picks the loop order per transpose pattern so the innermost loop is unit stride in both operands:
 *   A·B    rows of C accumulate A[i,p]·B[p,:]         (a is m×k, b is k×n)
 *   Aᵀ·B   the same, reading A[i,p] at a[p·m + i]     (a is k×m)
 *   A·Bᵀ   dot products of rows of a and rows of b    (b is n×k)
 *   Aᵀ·Bᵀ  Cᵀ = B·A by the first order into scratch, then transposed into C.
 */
function productFor(m: number, n: number, k: number, transposeA: boolean, transposeB: boolean, dtype: TensorInfo['dtype']): MatrixProduct {
  const acc = new Float64Array(4 * COLUMN_BLOCK);
  if (!transposeB) {
    const [ars, acs] = transposeA ? [1, m] : [k, 1];
    return (a, aOff, b, bOff, c, cOff) => gemmAxpy(m, n, k, a, aOff, ars, acs, b, bOff, c, cOff, acc);
  }
  if (!transposeA) return (a, aOff, b, bOff, c, cOff) => gemmDots(m, n, k, a, aOff, b, bOff, c, cOff);
  const scratch = allocArray(dtype, n * m);
  return (a, aOff, b, bOff, c, cOff) => {
    // Cᵀ (n×m) = b (n×k, row stride k) · a (k×m).
    gemmAxpy(n, m, k, b, bOff, k, 1, a, aOff, scratch, 0, acc);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) c[cOff + i * n + j] = scratch[j * m + i];
  };
}

/** [a, b] → a·b over the last two dims (each optionally transposed), batch dims broadcast. */
export const matMul: KernelFn<CpuBackend, MatMulAttrs> = ({ inputs, attrs, backend }) => {
  const [a, b] = inputs as [TensorInfo, TensorInfo];
  const transposeA = !!attrs.transposeA;
  const transposeB = !!attrs.transposeB;
  const { m, n, k, batch, outShape } = matmulShapes('MatMul', a.shape, b.shape, transposeA, transposeB);
  const aBatch = a.shape.slice(0, -2);
  const bBatch = b.shape.slice(0, -2);
  const out = allocArray(a.dtype, sizeOf(outShape));
  if (out.length === 0 || k === 0) return backend.makeOutput(out, outShape, a.dtype);

  const av = backend.valuesOf(a);
  const bv = backend.valuesOf(b);
  const product = productFor(m, n, k, transposeA, transposeB, a.dtype);
  // Batch strides in whole matrices; 0 along a broadcast batch dim.
  const aStrides = broadcastStrides(aBatch, batch);
  const bStrides = broadcastStrides(bBatch, batch);
  const count = sizeOf(batch);
  for (let t = 0; t < count; t++) {
    let aMat = 0;
    let bMat = 0;
    for (let d = batch.length - 1, rest = t; d >= 0; d--) {
      const idx = rest % batch[d];
      rest = (rest - idx) / batch[d];
      aMat += idx * aStrides[d];
      bMat += idx * bStrides[d];
    }
    product(av, aMat * m * k, bv, bMat * k * n, out, t * m * n);
  }
  return backend.makeOutput(out, outShape, a.dtype);
};
