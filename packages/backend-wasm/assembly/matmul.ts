// C (m×n, row-major) = A·B for f32, with A(i, p) = a[i·ars + p·acs] and B(p, j) = b[p·brs + j·bcs]
// (element strides), so transposed operands are read in place: A·Bᵀ, Aᵀ·B and Aᵀ·Bᵀ cost the same
// as A·B. GotoBLAS-style: B is packed per block of KC rows into panels of NR columns, A per block
// of MR rows, both so the micro-kernel reads them sequentially; a MR×NR tile of C lives in
// registers across the whole KC block (MR·NR/4 v128 accumulators).
//
// Why 4×8 and not a bigger tile: V8 (x64) allocates 15 xmm registers and schedules all the loads
// of one k step ahead of its arithmetic, so accumulators + loads of a step + one product must fit
// in 15: 8 + (4 A + 2 B) + 1. A 5×8 or 3×12 tile spills accumulators every step (seen in the code
// V8 generates) and runs ~40% slower; A packed pre-broadcast (one v128 per value) is no faster and
// costs four times the packing.

import { transpose4 } from './transpose';

const MR = 4;
const NR = 8;
/** Rows of B per packed block: a KC×n block stays in L2 while every row block of A passes over it. */
const KC = 256;
/** Bytes of one packed k step of A: MR values. */
const A_STEP = MR * 4;
/** Bytes of one packed k step of a B panel: NR values. */
const B_STEP = NR * 4;
/**
 * The most full panels for which a row-major A is read in place (fullTilesInPlace) rather than
 * packed: packing a row block costs as much whatever the panels it then serves, so it shows where
 * they are few (128×784·784×64, a thread's share of the MLP's first layer: 3.4%); over more, the
 * packed block's one cache line a step is worth more (512³: 0.8% faster packed).
 */
const IN_PLACE_PANELS = 32;

/** Bytes of scratch the host must pass for an n-column product. */
export function matmulScratchBytes(n: i32): i32 {
  const panels = (n + NR - 1) / NR;
  return KC * panels * B_STEP + KC * A_STEP + MR * NR * 4;
}

/** The 4 floats at src + r·row, or zeros where r ≥ rows (a row past the matrix's edge, which may lie past memory). */
@inline function rowOrZero(src: usize, r: i32, rows: i32, row: usize): v128 {
  return r < rows ? v128.load(src + <usize>r * row) : f32x4.splat(0);
}

/** Packs B rows p0..p0+kc into panels: panel q holds, for each p, the NR values B(p, q·NR..). Zero past n. */
function packB(b: usize, brs: usize, bcs: usize, p0: i32, kc: i32, n: i32, dst: usize): void {
  for (let j0 = 0; j0 < n; j0 += NR) {
    const cols = min(NR, n - j0);
    let p = 0;
    if (bcs == 1 && cols == NR) {
      // Rows of B are contiguous: copy 8 floats per row.
      let src = b + ((<usize>p0 * brs + <usize>j0) << 2);
      const step = brs << 2;
      for (; p < kc; p++) {
        v128.store(dst, v128.load(src));
        v128.store(dst, v128.load(src, 16), 16);
        src += step;
        dst += B_STEP;
      }
    } else if (brs == 1 && cols == NR) {
      // Bᵀ stored n×k: B(p, j) runs along p. Transpose 4×4 blocks: four p of eight columns at once.
      const row = bcs << 2;
      let src = b + ((<usize>j0 * bcs + <usize>p0) << 2);
      for (; p + 4 <= kc; p += 4) {
        transpose4(v128.load(src), v128.load(src + row), v128.load(src + 2 * row), v128.load(src + 3 * row), dst, B_STEP);
        const hi = src + 4 * row;
        transpose4(v128.load(hi), v128.load(hi + row), v128.load(hi + 2 * row), v128.load(hi + 3 * row), dst + 16, B_STEP);
        src += 16;
        dst += 4 * B_STEP;
      }
    } else if (brs == 1) {
      // The same for the last, narrower panel, zeros standing in for the columns past n: a conv's
      // filter gradient (25 columns for a 5×5 kernel) packs one such panel per image.
      const row = bcs << 2;
      let src = b + ((<usize>j0 * bcs + <usize>p0) << 2);
      for (; p + 4 <= kc; p += 4) {
        transpose4(rowOrZero(src, 0, cols, row), rowOrZero(src, 1, cols, row), rowOrZero(src, 2, cols, row), rowOrZero(src, 3, cols, row), dst, B_STEP);
        transpose4(rowOrZero(src, 4, cols, row), rowOrZero(src, 5, cols, row), rowOrZero(src, 6, cols, row), rowOrZero(src, 7, cols, row), dst + 16, B_STEP);
        src += 16;
        dst += 4 * B_STEP;
      }
    }
    for (; p < kc; p++) {
      const at = b + ((<usize>(p0 + p) * brs) << 2);
      for (let j = 0; j < NR; j++) {
        store<f32>(dst + (<usize>j << 2), j < cols ? load<f32>(at + ((<usize>(j0 + j) * bcs) << 2)) : 0);
      }
      dst += B_STEP;
    }
  }
}

/** Packs rows i0..i0+MR of A, columns p0..p0+kc, as kc groups of MR values. Zero past m. */
function packA(a: usize, ars: usize, acs: usize, i0: i32, m: i32, p0: i32, kc: i32, dst: usize): void {
  const rows = min(MR, m - i0);
  let p = 0;
  if (acs == 1 && rows == MR) {
    // Rows of A run along p: transpose 4×4 blocks.
    const row = ars << 2;
    let src = a + ((<usize>i0 * ars + <usize>p0) << 2);
    for (; p + 4 <= kc; p += 4) {
      transpose4(v128.load(src), v128.load(src + row), v128.load(src + 2 * row), v128.load(src + 3 * row), dst, A_STEP);
      src += 16;
      dst += 4 * A_STEP;
    }
  } else if (acs == 1) {
    // The same for the last, shorter row block, zeros standing in for the rows past m.
    const row = ars << 2;
    let src = a + ((<usize>i0 * ars + <usize>p0) << 2);
    for (; p + 4 <= kc; p += 4) {
      transpose4(rowOrZero(src, 0, rows, row), rowOrZero(src, 1, rows, row), rowOrZero(src, 2, rows, row), rowOrZero(src, 3, rows, row), dst, A_STEP);
      src += 16;
      dst += 4 * A_STEP;
    }
  } else if (ars == 1 && rows == MR) {
    // Aᵀ stored k×m: the MR values of one p are contiguous.
    let at = a + ((<usize>p0 * acs + <usize>i0) << 2);
    const step = acs << 2;
    for (; p < kc; p++) {
      v128.store(dst, v128.load(at));
      at += step;
      dst += A_STEP;
    }
    return;
  }
  for (; p < kc; p++) {
    for (let r = 0; r < MR; r++) {
      store<f32>(dst + (<usize>r << 2), r < rows ? load<f32>(a + ((<usize>(i0 + r) * ars + <usize>(p0 + p) * acs) << 2)) : 0);
    }
    dst += A_STEP;
  }
}

/**
 * a·b + c per lane: one fused multiply-add where the build has relaxed SIMD (the second binary,
 * loaded on runtimes that support it), a multiply and an add otherwise.
 */
@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

/**
 * The MR×NR tile at c (row stride ldc bytes) = (accumulate ? tile : 0) + A block·Bpanel over kc.
 * Sixteen multiplies and adds per step from six loads: two of B, four broadcasts of A. A(r, p) is
 * read at ap + r·aRow + p·aStep: packed (aRow 4, aStep A_STEP, constants that become the loads'
 * offsets), or in place (see fullTilesInPlace).
 */
@inline function microKernel(ap: usize, aRow: usize, aStep: usize, bp: usize, kc: i32, c: usize, ldc: usize, accumulate: bool): void {
  const aRow2 = aRow * 2;
  const aRow3 = aRow * 3;
  let c00 = f32x4.splat(0);
  let c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0);
  let c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0);
  let c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0);
  let c31 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    let x = v128.load32_splat(ap);
    c00 = madd(x, b0, c00);
    c01 = madd(x, b1, c01);
    x = v128.load32_splat(ap + aRow);
    c10 = madd(x, b0, c10);
    c11 = madd(x, b1, c11);
    x = v128.load32_splat(ap + aRow2);
    c20 = madd(x, b0, c20);
    c21 = madd(x, b1, c21);
    x = v128.load32_splat(ap + aRow3);
    c30 = madd(x, b0, c30);
    c31 = madd(x, b1, c31);
    ap += aStep;
    bp += B_STEP;
  }
  if (accumulate) {
    c00 = f32x4.add(c00, v128.load(c));
    c01 = f32x4.add(c01, v128.load(c, 16));
    c10 = f32x4.add(c10, v128.load(c + ldc));
    c11 = f32x4.add(c11, v128.load(c + ldc, 16));
    c20 = f32x4.add(c20, v128.load(c + 2 * ldc));
    c21 = f32x4.add(c21, v128.load(c + 2 * ldc, 16));
    c30 = f32x4.add(c30, v128.load(c + 3 * ldc));
    c31 = f32x4.add(c31, v128.load(c + 3 * ldc, 16));
  }
  v128.store(c, c00);
  v128.store(c, c01, 16);
  v128.store(c + ldc, c10);
  v128.store(c + ldc, c11, 16);
  v128.store(c + 2 * ldc, c20);
  v128.store(c + 2 * ldc, c21, 16);
  v128.store(c + 3 * ldc, c30);
  v128.store(c + 3 * ldc, c31, 16);
}

/**
 * The full MR×NR tiles of one row block: `panels` panels from column 0. Its own function, the
 * kernel inlined in it, for two reasons seen in V8's code: V8 compiles every function with its
 * baseline compiler first and swaps in the optimized code only at the next call, so this loop is
 * optimized after a few row blocks instead of after the first whole product (the first
 * 128×784·784×256 product: 16 ms → 5 ms); and the products run 3–7% faster than with the kernel
 * inlined in matmulF32's loops (here V8 unrolls the k loop twice, with no spills).
 */
function fullTiles(ap: usize, bp: usize, kc: i32, panels: i32, c: usize, ldc: usize, accumulate: bool): void {
  const panelBytes = <usize>kc * B_STEP;
  for (let q = 0; q < panels; q++) {
    microKernel(ap, 4, A_STEP, bp, kc, c, ldc, accumulate);
    bp += panelBytes;
    c += NR * 4;
  }
}

/**
 * fullTiles with a row-major A read where it lies, A(r, p) at ap + r·aRow + p·4:
 * the micro-kernel reads its MR rows from L1 across all the panels, as it would the packed block.
 * A task of a product split by columns then packs no A at all, where it would pack all of it
 * (twice on each of 2 threads, for 2 tasks a thread, against once on one thread). A transposed A
 * stays packed: read in place, each step's MR values take a cache line of their own (3.8% slower).
 */
function fullTilesInPlace(ap: usize, aRow: usize, bp: usize, kc: i32, panels: i32, c: usize, ldc: usize, accumulate: bool): void {
  const panelBytes = <usize>kc * B_STEP;
  for (let q = 0; q < panels; q++) {
    microKernel(ap, aRow, 4, bp, kc, c, ldc, accumulate);
    bp += panelBytes;
    c += NR * 4;
  }
}

/** A tile cut by the edge of C (rows × cols inside): computed whole into `edge`, then the part inside added or copied. */
function edgeTile(
  ap: usize,
  aRow: usize,
  aStep: usize,
  bp: usize,
  kc: i32,
  c: usize,
  ldc: usize,
  rows: i32,
  cols: i32,
  accumulate: bool,
  edge: usize,
): void {
  microKernel(ap, aRow, aStep, bp, kc, edge, NR * 4, false);
  for (let r = 0; r < rows; r++) {
    const at = c + <usize>r * ldc;
    const from = edge + <usize>r * (NR * 4);
    for (let j = 0; j < cols; j++) {
      const v = load<f32>(from + (<usize>j << 2));
      store<f32>(at + (<usize>j << 2), accumulate ? load<f32>(at + (<usize>j << 2)) + v : v);
    }
  }
}

/** One m×n product into C of row stride n; `work` is matmulScratchBytes(n) bytes. */
export function matmulF32(
  a: usize,
  b: usize,
  c: usize,
  m: i32,
  n: i32,
  k: i32,
  ars: usize,
  acs: usize,
  brs: usize,
  bcs: usize,
  work: usize,
): void {
  product(a, b, c, m, n, k, ars, acs, brs, bcs, work, n, 0);
}

/**
 * One m×n product into C whose rows are `ldcElems` floats apart: a block of columns of a wider C,
 * as a thread computes its share of a product split by columns. With `bias` (n floats, one per
 * column; 0 for none), the bias is then added to every row of the block: a Linear layer's x·Wᵀ + b,
 * added while the thread's block of C is still in its cache, rounded as the product and then an add.
 */
export function matmulStridedF32(
  a: usize,
  b: usize,
  c: usize,
  m: i32,
  n: i32,
  k: i32,
  ars: usize,
  acs: usize,
  brs: usize,
  bcs: usize,
  work: usize,
  ldcElems: i32,
  bias: usize,
): void {
  product(a, b, c, m, n, k, ars, acs, brs, bcs, work, ldcElems, bias);
}

/** C (row stride ldcElems) = A·B, then + bias per column where `bias` is not 0. */
function product(
  a: usize,
  b: usize,
  c: usize,
  m: i32,
  n: i32,
  k: i32,
  ars: usize,
  acs: usize,
  brs: usize,
  bcs: usize,
  work: usize,
  ldcElems: i32,
  bias: usize,
): void {
  const ldc = <usize>ldcElems << 2;
  if (k == 0) {
    for (let i = 0; i < m; i++) memory.fill(c + <usize>i * ldc, 0, <usize>n << 2);
  } else {
    blocks(a, b, c, m, n, k, ars, acs, brs, bcs, work, ldc);
  }
  if (bias != 0) addBias(c, ldc, m, n, bias);
}

/** The product over K blocks (k ≥ 1): B packed per block, A per row block, the tiles accumulated into C. */
function blocks(a: usize, b: usize, c: usize, m: i32, n: i32, k: i32, ars: usize, acs: usize, brs: usize, bcs: usize, work: usize, ldc: usize): void {
  const panels = (n + NR - 1) / NR;
  const packedB = work;
  const packedA = work + <usize>KC * <usize>panels * B_STEP;
  const edge = packedA + KC * A_STEP;
  // Blocks of equal depth (784 = 4 × 196, not 3 × 256 + 16): a thin last block would pay the
  // packing and the loads and stores of C for little arithmetic.
  const count = (k + KC - 1) / KC;
  const depth = (k + count - 1) / count;
  const fullCols = n / NR;
  for (let p0 = 0; p0 < k; p0 += depth) {
    const kc = min(depth, k - p0);
    const accumulate = p0 > 0;
    const panelBytes = <usize>kc * B_STEP;
    packB(b, brs, bcs, p0, kc, n, packedB);
    for (let i0 = 0; i0 < m; i0 += MR) {
      const rows = min(MR, m - i0);
      const cRow = c + <usize>i0 * ldc;
      const full = rows == MR ? fullCols : 0;
      // A row-major A's whole row blocks are read in place where the panels are few; others are packed.
      const inPlace = rows == MR && acs == 1 && fullCols <= IN_PLACE_PANELS;
      let ap = packedA;
      let aRow: usize = 4;
      let aStep: usize = A_STEP;
      if (inPlace) {
        ap = a + ((<usize>i0 * ars + <usize>p0) << 2);
        aRow = ars << 2;
        aStep = 4;
        if (full > 0) fullTilesInPlace(ap, aRow, packedB, kc, full, cRow, ldc, accumulate);
      } else {
        packA(a, ars, acs, i0, m, p0, kc, packedA);
        if (full > 0) fullTiles(packedA, packedB, kc, full, cRow, ldc, accumulate);
      }
      for (let q = full; q < panels; q++) {
        const j0 = q * NR;
        edgeTile(ap, aRow, aStep, packedB + <usize>q * panelBytes, kc, cRow + (<usize>j0 << 2), ldc, rows, min(NR, n - j0), accumulate, edge);
      }
    }
  }
}

/** Rows 0..m of C (row stride ldc bytes), n columns each, += bias[j]. */
function addBias(c: usize, ldc: usize, m: i32, n: i32, bias: usize): void {
  const vecEnd = n & ~3;
  for (let i = 0; i < m; i++) {
    const row = c + <usize>i * ldc;
    let j = 0;
    for (; j < vecEnd; j += 4) {
      const at = row + (<usize>j << 2);
      v128.store(at, f32x4.add(v128.load(at), v128.load(bias + (<usize>j << 2))));
    }
    for (; j < n; j++) {
      const at = row + (<usize>j << 2);
      store<f32>(at, load<f32>(at) + load<f32>(bias + (<usize>j << 2)));
    }
  }
}
