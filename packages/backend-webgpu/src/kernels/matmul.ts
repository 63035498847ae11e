/**
 * Matmul on the tiled GEMM (gemm.ts), reading A and B in their stored layout. Batch dims broadcast;
 * each z workgroup is one matrix of the batch.
 */
import type { KernelFn, MatMulAttrs, TensorInfo } from '@surrograd/core';
import { broadcastStrides, collapseDims, matmulShapes, sizeOf } from '@surrograd/core';
import type { WebGpuBackend } from '../backend.js';
import { UniformLayout } from '../wgsl/uniforms.js';
import { fillWords } from './fill.js';
import { gemmSource, MICRO } from './gemm.js';
import { offsetsWgsl, planUniforms } from './index-math.js';

function matmulSource(t: number, transposeA: boolean, transposeB: boolean, batchRank: number): { helpers: string; body: string } {
  return gemmSource(t, {
    prologue: `
  let batch = u.batchBase + wid.z;
${offsetsWgsl(batchRank, 2, 'batch')}
  let aOff = o0 * u.M * u.K;
  let bOff = o1 * u.K * u.N;
  let cOff = batch * u.M * u.N;`,
    // transposeA/transposeB (what backward needs, dA = dC·Bᵀ and dB = Aᵀ·dC) only change the
    // loader, never copy an operand.
    loadA: transposeA ? 'a[aOff + col * u.M + row]' : 'a[aOff + row * u.K + col]',
    aContiguous: transposeA ? 'row' : 'col',
    loadB: transposeB ? 'b[bOff + col * u.K + row]' : 'b[bOff + row * u.N + col]',
    bContiguous: transposeB ? 'row' : 'col',
    store: 'c[cOff + row * u.N + col] = v;',
  });
}

/** [a, b] → a·b over the last two dims (each optionally transposed), batch dims broadcast. float32. */
export const matMul: KernelFn<WebGpuBackend, MatMulAttrs> = ({ inputs, attrs, backend }) => {
  const [a, b] = inputs as [TensorInfo, TensorInfo];
  const transposeA = !!attrs.transposeA;
  const transposeB = !!attrs.transposeB;
  if (a.dtype !== 'float32' || b.dtype !== 'float32') {
    throw new TypeError(`MatMul: webgpu multiplies float32 matrices, got ${a.dtype} and ${b.dtype}`);
  }
  const { m, n, k, batch, outShape } = matmulShapes('MatMul', a.shape, b.shape, transposeA, transposeB);
  const aBatch = a.shape.slice(0, -2);
  const bBatch = b.shape.slice(0, -2);
  const out = backend.makeOutput(outShape, 'float32', 'MatMul');
  const count = sizeOf(batch);
  if (sizeOf(outShape) === 0) return out.info;
  if (k === 0) {
    fillWords(backend, out.data, outShape, 0);
    return out.info;
  }
  const plan = collapseDims(batch, [broadcastStrides(aBatch, batch), broadcastStrides(bBatch, batch)]);
  const batchRank = plan.dims.length;
  const t = backend.limits.matmulThreads;
  const block = t * MICRO;
  const { helpers, body } = matmulSource(t, transposeA, transposeB, batchRank);
  const layout = new UniformLayout([...planUniforms(batchRank, 2), ['M', 'u32'], ['N', 'u32'], ['K', 'u32'], ['batchBase', 'u32']]);
  const program = {
    key: `MatMul:${transposeA ? 'T' : 'N'}${transposeB ? 'T' : 'N'}|t${t}|r${batchRank}`,
    storage: [
      { name: 'a', type: 'f32', access: 'read' },
      { name: 'b', type: 'f32', access: 'read' },
      { name: 'c', type: 'f32', access: 'write' },
    ] as const,
    uniforms: layout,
    workgroupSize: [t, t, 1] as const,
    helpers,
    body,
  };
  const maxZ = backend.limits.maxWorkgroupsPerDimension;
  for (let base = 0; base < count; base += maxZ) {
    backend.run(
      program,
      [backend.dataOf(a, 'MatMul'), backend.dataOf(b, 'MatMul'), out.data],
      { size: count, dims: plan.dims, s0: plan.strides[0] as number[], s1: plan.strides[1] as number[], M: m, N: n, K: k, batchBase: base },
      [Math.ceil(n / block), Math.ceil(m / block), Math.min(maxZ, count - base)],
    );
  }
  return out.info;
};

/**
 * [x [M, K], w [N, K], bias [N]] → x·wᵀ + bias (core's FusedKernels.Linear): MatMul's GEMM with the
 * bias added as each value is stored, one dispatch and one buffer instead of two. Rounded as
 * MatMul then Binary add: the sum is formed exactly as MatMul's, then one add.
 */
export const linear: KernelFn<WebGpuBackend> = ({ inputs, backend }) => {
  const [x, w, bias] = inputs as [TensorInfo, TensorInfo, TensorInfo];
  if (x.dtype !== 'float32' || w.dtype !== 'float32' || bias.dtype !== 'float32') {
    throw new TypeError(`Linear: webgpu takes float32 operands, got ${x.dtype}, ${w.dtype} and ${bias.dtype}`);
  }
  const [m, k] = x.shape as [number, number];
  const n = w.shape[0] as number;
  const out = backend.makeOutput([m, n], 'float32', 'Linear');
  if (m * n === 0) return out.info;
  // With k = 0 the GEMM's loop runs no step: each value is 0 + bias, as the composite's.
  const t = backend.limits.matmulThreads;
  const block = t * MICRO;
  const { helpers, body } = gemmSource(t, {
    prologue: '',
    loadA: 'x[row * u.K + col]',
    aContiguous: 'col',
    loadB: 'w[col * u.K + row]',
    bContiguous: 'row',
    store: 'y[row * u.N + col] = v + bias[col];',
  });
  const layout = new UniformLayout([
    ['M', 'u32'],
    ['N', 'u32'],
    ['K', 'u32'],
  ]);
  const program = {
    key: `Linear|t${t}`,
    storage: [
      { name: 'x', type: 'f32', access: 'read' },
      { name: 'w', type: 'f32', access: 'read' },
      { name: 'bias', type: 'f32', access: 'read' },
      { name: 'y', type: 'f32', access: 'write' },
    ] as const,
    uniforms: layout,
    workgroupSize: [t, t, 1] as const,
    helpers,
    body,
  };
  backend.run(
    program,
    [backend.dataOf(x, 'Linear'), backend.dataOf(w, 'Linear'), backend.dataOf(bias, 'Linear'), out.data],
    { M: m, N: n, K: k },
    [Math.ceil(n / block), Math.ceil(m / block), 1],
  );
  return out.info;
};
