import type { KernelFn, MatMulAttrs, TensorInfo } from '@surrograd/core';
import { broadcastStrides, matmulShapes, sizeOf } from '@surrograd/core';
import type { WasmBackend } from '../wasm-backend.js';

/**
 * [a, b] → a·b over the last two dims (each optionally transposed), batch dims broadcast. The
 * transposes are strides given to the kernel, never materialized copies: A(i, p) is read at
 * i·ars + p·acs and B(p, j) at p·brs + j·bcs. One kernel call per matrix of the batch.
 */
export const matMul: KernelFn<WasmBackend, MatMulAttrs> = ({ inputs, attrs, backend }) => {
  const [a, b] = inputs as [TensorInfo, TensorInfo];
  const transposeA = !!attrs.transposeA;
  const transposeB = !!attrs.transposeB;
  if (a.dtype !== 'float32' || b.dtype !== 'float32') {
    throw new TypeError(`MatMul: the wasm backend multiplies float32 matrices, got ${a.dtype} and ${b.dtype}`);
  }
  const { m, n, k, batch } = matmulShapes('MatMul', a.shape, b.shape, transposeA, transposeB);
  const aBatch = a.shape.slice(0, -2);
  const bBatch = b.shape.slice(0, -2);
  const out = backend.output([...batch, m, n], 'float32', 'MatMul');
  if (out.dataId.bytes === 0) return out;
  const pa = backend.ptr(a, 'MatMul');
  const pb = backend.ptr(b, 'MatMul');
  const pc = out.dataId.ptr;
  const [ars, acs] = transposeA ? [1, m] : [k, 1];
  const [brs, bcs] = transposeB ? [1, k] : [n, 1];
  const aStrides = broadcastStrides(aBatch, batch);
  const bStrides = broadcastStrides(bBatch, batch);
  const count = sizeOf(batch);
  const kernels = backend.kernels;
  backend.withTemp(kernels.matmulScratchBytes(n), 'MatMul', (work) => {
    for (let t = 0; t < count; t++) {
      let aMat = 0;
      let bMat = 0;
      for (let d = batch.length - 1, rest = t; d >= 0; d--) {
        const size = batch[d] as number;
        const idx = rest % size;
        rest = (rest - idx) / size;
        aMat += idx * (aStrides[d] as number);
        bMat += idx * (bStrides[d] as number);
      }
      kernels.matmulF32(pa + aMat * m * k * 4, pb + bMat * k * n * 4, pc + t * m * n * 4, m, n, k, ars, acs, brs, bcs, work);
    }
  });
  return out;
};
