/**
 * Tiled matmul with workgroup memory. A workgroup of T×T invocations computes a (4T)×(4T) block of
 * C, each invocation a 4×4 grid of it (rows ty + i·T, columns tx + j·T, so neighbours touch
 * neighbouring addresses). Per step of T along k, the workgroup stages an A tile (4T × T) and a B tile
 * (T × 4T) in workgroup memory, reading A and B in their stored layout: transposeA/transposeB (what
 * backward needs, dA = dC·Bᵀ and dB = Aᵀ·dC) only change the staging index, never copy an operand.
 * Batch dims broadcast; each z workgroup is one matrix of the batch.
 */
import type { KernelFn, MatMulAttrs, TensorInfo } from '@surrograd/core';
import { broadcastStrides, collapseDims, matmulShapes, sizeOf } from '@surrograd/core';
import type { WebGpuBackend } from '../backend.js';
import { UniformLayout } from '../wgsl/uniforms.js';
import { fillWords } from './fill.js';
import { offsetsWgsl, planUniforms } from './index-math.js';

const MICRO = 4;

function matmulSource(t: number, transposeA: boolean, transposeB: boolean, batchRank: number): { helpers: string; body: string } {
  const block = t * MICRO;
  const perThread = (block * t) / (t * t);
  // Staging: flat element e of a tile → (k, m) or (k, n), walking the operand's stored rows.
  const aIndex = transposeA
    ? `let kk = flat / ${block}u; let mm = flat % ${block}u; let row = tileRow + mm; let col = k0 + kk;
      var v = 0.0; if (row < u.M && col < u.K) { v = a[aOff + col * u.M + row]; }`
    : `let mm = flat / ${t}u; let kk = flat % ${t}u; let row = tileRow + mm; let col = k0 + kk;
      var v = 0.0; if (row < u.M && col < u.K) { v = a[aOff + row * u.K + col]; }`;
  const bIndex = transposeB
    ? `let nn = flat / ${t}u; let kk = flat % ${t}u; let row = k0 + kk; let col = tileCol + nn;
      var v = 0.0; if (row < u.K && col < u.N) { v = b[bOff + col * u.K + row]; }`
    : `let kk = flat / ${block}u; let nn = flat % ${block}u; let row = k0 + kk; let col = tileCol + nn;
      var v = 0.0; if (row < u.K && col < u.N) { v = b[bOff + row * u.N + col]; }`;
  // The 4×4 accumulators, their loads and stores are unrolled here into scalars: private arrays
  // indexed in loops compile slowly and run from memory on some drivers (SwiftShader).
  const ij = [0, 1, 2, 3].flatMap((i) => [0, 1, 2, 3].map((j) => [i, j] as const));
  const loads = [0, 1, 2, 3]
    .map((i) => `      let a${i} = As[k * BLOCK + ty + ${i}u * T];\n      let b${i} = Bs[k * BLOCK + tx + ${i}u * T];`)
    .join('\n');
  const fmas = ij.map(([i, j]) => `      c${i}${j} = fma(a${i}, b${j}, c${i}${j});`).join('\n');
  const stores = ij
    .map(
      ([i, j]) =>
        `  if (row0 + ${i}u * T < u.M && col0 + ${j}u * T < u.N) { c[cOff + (row0 + ${i}u * T) * u.N + col0 + ${j}u * T] = c${i}${j}; }`,
    )
    .join('\n');
  return {
    helpers: `
const T: u32 = ${t}u;
const BLOCK: u32 = ${block}u;
var<workgroup> As: array<f32, ${block * t}>;
var<workgroup> Bs: array<f32, ${block * t}>;`,
    body: `
  let batch = u.batchBase + wid.z;
${offsetsWgsl(batchRank, 2, 'batch')}
  let aOff = o0 * u.M * u.K;
  let bOff = o1 * u.K * u.N;
  let cOff = batch * u.M * u.N;
  let tileRow = wid.y * BLOCK;
  let tileCol = wid.x * BLOCK;
  let tx = lid.x;
  let ty = lid.y;
${ij.map(([i, j]) => `  var c${i}${j} = 0.0;`).join('\n')}
  for (var k0 = 0u; k0 < u.K; k0 += T) {
    for (var e = 0u; e < ${perThread}u; e++) {
      let flat = lidx + e * T * T;
      {
      ${aIndex}
      As[kk * BLOCK + mm] = v;
      }
      {
      ${bIndex}
      Bs[kk * BLOCK + nn] = v;
      }
    }
    workgroupBarrier();
    // A bound known only at run time: the loop stays a loop (fully unrolled, it took SwiftShader
    // seconds to compile), and the zero padding of the last step is not multiplied.
    let kEnd = min(T, u.K - k0);
    for (var k = 0u; k < kEnd; k++) {
${loads}
${fmas}
    }
    workgroupBarrier();
  }
  let row0 = tileRow + ty;
  let col0 = tileCol + tx;
${stores}`,
  };
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
