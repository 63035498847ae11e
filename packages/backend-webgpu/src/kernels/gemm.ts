/**
 * The tiled GEMM every product here runs on (matmul, and conv as an implicit GEMM). A workgroup of
 * T×T invocations computes a (4T)×(4T) block of C, each invocation a 4×4 grid of it (rows ty + i·T,
 * columns tx + j·T, so neighbours touch neighbouring addresses). Per step of T along k, the
 * workgroup stages an A tile (4T × T) and a B tile (T × 4T) in workgroup memory.
 *
 * What an operand is lives in its loader, a WGSL expression of `row` and `col`: a stored matrix
 * (matmul, transposed or not) or a window of an image (conv's columns, never materialized). The
 * staging walks whichever index the loader reads contiguously, so global reads coalesce.
 */

/** How one product reads its operands and writes its result; WGSL in terms of `row`, `col` and the prologue's lets. */
export interface GemmOperands {
  /** Statements at the top of main: offsets of the workgroup's matrices (wid.z is its batch entry). */
  prologue: string;
  /** A[row, col] (row < M, col < K already checked). */
  loadA: string;
  /** Whether A's loader reads memory contiguously along `col` (k) or along `row` (m). */
  aContiguous: 'row' | 'col';
  /** B[row, col] (row < K, col < N already checked). */
  loadB: string;
  /** Whether B's loader reads memory contiguously along `row` (k) or along `col` (n). */
  bContiguous: 'row' | 'col';
  /** Statement writing `v` to C[row, col] (row < M, col < N already checked). */
  store: string;
}

/** The micro-tile each invocation computes is MICRO × MICRO. */
export const MICRO = 4;

/** Helpers (tile constants, workgroup memory) and main's body of the GEMM; the uniforms must have M, N, K. */
export function gemmSource(t: number, ops: GemmOperands): { helpers: string; body: string } {
  const block = t * MICRO;
  const perThread = (block * t) / (t * t);
  const aIndex =
    ops.aContiguous === 'col' ? `let mm = flat / ${t}u; let kk = flat % ${t}u;` : `let kk = flat / ${block}u; let mm = flat % ${block}u;`;
  const bIndex =
    ops.bContiguous === 'row' ? `let nn = flat / ${t}u; let kk = flat % ${t}u;` : `let kk = flat / ${block}u; let nn = flat % ${block}u;`;
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
        `  if (row0 + ${i}u * T < u.M && col0 + ${j}u * T < u.N) { let row = row0 + ${i}u * T; let col = col0 + ${j}u * T; let v = c${i}${j}; ${ops.store} }`,
    )
    .join('\n');
  return {
    helpers: `
const T: u32 = ${t}u;
const BLOCK: u32 = ${block}u;
var<workgroup> As: array<f32, ${block * t}>;
var<workgroup> Bs: array<f32, ${block * t}>;`,
    body: `
${ops.prologue}
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
        let row = tileRow + mm; let col = k0 + kk;
        var v = 0.0; if (row < u.M && col < u.K) { v = ${ops.loadA}; }
        As[kk * BLOCK + mm] = v;
      }
      {
        ${bIndex}
        let row = k0 + kk; let col = tileCol + nn;
        var v = 0.0; if (row < u.K && col < u.N) { v = ${ops.loadB}; }
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
