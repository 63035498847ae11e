import type { KernelFn, MatMulAttrs, TensorInfo } from '@surrograd/core';
import { broadcastStrides, fmt, matmulShapes, sizeOf } from '@surrograd/core';
import type { WasmBackend } from '../wasm-backend.js';
import { alignedParts, type Splitting, taskCount } from './parts.js';

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
  const workBytes = matmulWorkBytes(backend, m, n, k, acs);
  backend.withTemp(workBytes, 'MatMul', (work) => {
    for (let t = 0; t < count; t++) {
      const [aMat, bMat] = batchOffsets(t, batch, aStrides, bStrides);
      matmulOnThreads(backend, pa + aMat * m * k * 4, pb + bMat * k * n * 4, pc + t * m * n * 4, m, n, k, ars, acs, brs, bcs, work);
    }
  });
  return out;
};

/**
 * [x [M, K], w [N, K], bias [N]] → x·wᵀ + bias (core's FusedKernels.Linear): the product on
 * threads as MatMul's, each task adding the bias to its block of the output as soon as it is
 * computed, where the block is still in that thread's cache.
 */
export const linear: KernelFn<WasmBackend> = ({ inputs, backend }) => {
  const [x, w, bias] = inputs as [TensorInfo, TensorInfo, TensorInfo];
  const [m, k] = x.shape as [number, number];
  const [n, kw] = w.shape as [number, number];
  if (x.dtype !== 'float32' || w.dtype !== 'float32' || bias.dtype !== 'float32') {
    throw new TypeError(`Linear: the wasm backend takes float32 operands, got ${x.dtype}, ${w.dtype} and ${bias.dtype}`);
  }
  if (x.shape.length !== 2 || w.shape.length !== 2 || kw !== k || bias.shape.length !== 1 || bias.shape[0] !== n) {
    throw new Error(`Linear: expected x [M, K], w [N, K] and bias [N], got ${fmt(x.shape)}, ${fmt(w.shape)} and ${fmt(bias.shape)}`);
  }
  const out = backend.output([m, n], 'float32', 'Linear');
  if (out.dataId.bytes === 0) return out;
  const [px, pw, pBias] = [backend.ptr(x, 'Linear'), backend.ptr(w, 'Linear'), backend.ptr(bias, 'Linear')];
  backend.withTemp(matmulWorkBytes(backend, m, n, k, 1), 'Linear', (work) => {
    matmulOnThreads(backend, px, pw, out.dataId.ptr, m, n, k, k, 1, 1, k, work, pBias);
  });
  return out;
};

/**
 * Workspace bytes for {@link matmulOnThreads} of an m×k by k×n product whose A has column stride
 * `acs`: the kernel's scratch for the widest task, once per task.
 */
export function matmulWorkBytes(backend: WasmBackend, m: number, n: number, k: number, acs: number): number {
  const { byColumns, parts } = productSplit(backend, m, n, k, acs);
  return backend.kernels.matmulScratchBytes(byColumns ? widest(parts) : n) * parts.length;
}

/**
 * Tasks per thread of a product split by columns. Each packs only its columns of B, and a
 * row-major A (acs 1) is read in place (by tasks of up to 256 columns; a wider one packs it, its
 * many panels paying for that), so more tasks cost almost nothing and let a thread that
 * finishes early take another's (on 2 threads, 4 a thread against 2: the MLP's first-layer product
 * 2–3.7% faster in paired rounds, quiet or busy); any other A each task packs whole, so those get
 * 2. Split by rows, each task packs all of B: one a thread.
 */
const COLUMN_TASKS_PER_THREAD = { aInPlace: 4, aPacked: 2 };

/** How a product is cut for threads: by columns where it is wider than tall, else by rows; [first, count] per task. */
function productSplit(
  backend: WasmBackend,
  m: number,
  n: number,
  k: number,
  acs: number,
): { byColumns: boolean; parts: [number, number][] } {
  const byColumns = n > m;
  const perThread = byColumns ? (acs === 1 ? COLUMN_TASKS_PER_THREAD.aInPlace : COLUMN_TASKS_PER_THREAD.aPacked) : 1;
  const parts = splitParts(byColumns ? n : m, byColumns ? COL_ALIGN : ROW_ALIGN, m * n * k, backend, perThread);
  return { byColumns, parts };
}

/** The most columns (or rows) of any part. */
function widest(parts: readonly [number, number][]): number {
  return parts.reduce((most, [, count]) => Math.max(most, count), 0);
}

/**
 * C = A·B for one matrix, the kernel's arguments in its order (A(i, p) at i·ars + p·acs, …), on
 * as many threads as the product is big enough for, each packing its operand share into its own
 * part of `work` (matmulWorkBytes). A product wider than tall splits by columns (each task packs
 * only its columns of B), else by rows (each task packs only its rows of A, but all of B); see
 * {@link productSplit}. Splits fall on multiples of the micro-kernel's tile (4 rows, 8 columns),
 * so each element of C is computed by the same instructions in the same order as on one thread:
 * the results are identical. With `bias` (a pointer to n floats, 0 for none), each task then adds
 * it to every row of its block of C.
 */
export function matmulOnThreads(
  backend: WasmBackend,
  pa: number,
  pb: number,
  pc: number,
  m: number,
  n: number,
  k: number,
  ars: number,
  acs: number,
  brs: number,
  bcs: number,
  work: number,
  bias = 0,
): void {
  const { byColumns, parts } = productSplit(backend, m, n, k, acs);
  if (parts.length === 1) {
    if (bias) backend.kernels.matmulStridedF32(pa, pb, pc, m, n, k, ars, acs, brs, bcs, work, n, bias);
    else backend.kernels.matmulF32(pa, pb, pc, m, n, k, ars, acs, brs, bcs, work);
    return;
  }
  const each = backend.kernels.matmulScratchBytes(byColumns ? widest(parts) : n);
  if (byColumns) {
    backend.parallel(
      'matmulStridedF32',
      parts.map(([j0, cols], w) => [
        pa,
        pb + j0 * bcs * 4,
        pc + j0 * 4,
        m,
        cols,
        k,
        ars,
        acs,
        brs,
        bcs,
        work + w * each,
        n,
        bias && bias + j0 * 4,
      ]),
    );
  } else if (bias) {
    backend.parallel(
      'matmulStridedF32',
      parts.map(([i0, rows], w) => [pa + i0 * ars * 4, pb, pc + i0 * n * 4, rows, n, k, ars, acs, brs, bcs, work + w * each, n, bias]),
    );
  } else {
    backend.parallel(
      'matmulF32',
      parts.map(([i0, rows], w) => [pa + i0 * ars * 4, pb, pc + i0 * n * 4, rows, n, k, ars, acs, brs, bcs, work + w * each]),
    );
  }
}

/** The batch matrix t's element offsets into A and B, whose batch dims broadcast to `batch`. */
function batchOffsets(t: number, batch: readonly number[], aStrides: readonly number[], bStrides: readonly number[]): [number, number] {
  let aMat = 0;
  let bMat = 0;
  for (let d = batch.length - 1, rest = t; d >= 0; d--) {
    const size = batch[d] as number;
    const idx = rest % size;
    rest = (rest - idx) / size;
    aMat += idx * (aStrides[d] as number);
    bMat += idx * (bStrides[d] as number);
  }
  return [aMat, bMat];
}

/** The micro-kernel's tile (MR × NR in assembly/matmul.ts): thread boundaries fall on its multiples. */
const ROW_ALIGN = 4;
const COL_ALIGN = 8;

/** [first, count] per task of `size` rows or columns (split at multiples of `align`), up to `perThread` tasks a thread: one part unless the product (`macs`) is big enough to share. */
export function splitParts(size: number, align: number, macs: number, on: Splitting, perThread: number): [number, number][] {
  const tasks = taskCount(macs, on.thresholds.macs, on, perThread);
  return tasks === 1 ? [[0, size]] : alignedParts(size, align, tasks);
}
