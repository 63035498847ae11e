// Transposes of 4-byte elements in 4×4 tiles: four vector loads along the source's contiguous
// axis, a register transpose, four vector stores along the destination's. The strided copy it
// replaces reads one element per cache line (and, past 1K columns, per page) for every element.

/** The 4×4 transpose of rows r0..r3: lane j of output i is lane i of row j. */
@inline export function transpose4(r0: v128, r1: v128, r2: v128, r3: v128, dst: usize, stride: usize): void {
  const t0 = i32x4.shuffle(r0, r1, 0, 4, 1, 5);
  const t1 = i32x4.shuffle(r0, r1, 2, 6, 3, 7);
  const t2 = i32x4.shuffle(r2, r3, 0, 4, 1, 5);
  const t3 = i32x4.shuffle(r2, r3, 2, 6, 3, 7);
  v128.store(dst, i32x4.shuffle(t0, t2, 0, 1, 4, 5));
  v128.store(dst + stride, i32x4.shuffle(t0, t2, 2, 3, 6, 7));
  v128.store(dst + 2 * stride, i32x4.shuffle(t1, t3, 0, 1, 4, 5));
  v128.store(dst + 3 * stride, i32x4.shuffle(t1, t3, 2, 3, 6, 7));
}

/**
 * A 4×4 block: src rows at sp + i·sRow hold (a..a+3) for four b's; dst rows at dp + r·dRow get
 * (b..b+3) for each a + r.
 */
@inline function tile4(sp: usize, sRow: usize, dp: usize, dRow: usize): void {
  transpose4(v128.load(sp), v128.load(sp + sRow), v128.load(sp + 2 * sRow), v128.load(sp + 3 * sRow), dp, dRow);
}

/** Block edge along a tile's side: 16 × 16 elements, a cache line of each of 16 rows read and written whole. */
const BLOCK = 16;

/**
 * dst[a·dA + b] = src[b·sB + a] for a in [a0, a1), b in [0, nb): one 2-D transpose, the source
 * contiguous along a, the destination along b. Blocks of 16×16 keep the 16 source and 16
 * destination lines a block touches in L1 while its tiles use them.
 */
function transposeRange(src: usize, dst: usize, a0: i32, a1: i32, nb: i32, sB: i32, dA: i32): void {
  const sRow = <usize>sB << 2;
  const dRow = <usize>dA << 2;
  const aTiles = a0 + ((a1 - a0) & ~3);
  const bTiles = nb & ~3;
  for (let A = a0; A < aTiles; A += BLOCK) {
    const aStop = min(A + BLOCK, aTiles);
    for (let B = 0; B < bTiles; B += BLOCK) {
      const bStop = min(B + BLOCK, bTiles);
      for (let a = A; a < aStop; a += 4) {
        for (let b = B; b < bStop; b += 4) {
          tile4(src + ((<usize>b * <usize>sB + <usize>a) << 2), sRow, dst + ((<usize>a * <usize>dA + <usize>b) << 2), dRow);
        }
      }
    }
    // The last nb % 4 columns of these rows.
    for (let a = A; a < aStop; a++) {
      for (let b = bTiles; b < nb; b++) {
        store<i32>(dst + ((<usize>a * <usize>dA + <usize>b) << 2), load<i32>(src + ((<usize>b * <usize>sB + <usize>a) << 2)));
      }
    }
  }
  // The last (a1 − a0) % 4 rows.
  for (let a = aTiles; a < a1; a++) {
    for (let b = 0; b < nb; b++) {
      store<i32>(dst + ((<usize>a * <usize>dA + <usize>b) << 2), load<i32>(src + ((<usize>b * <usize>sB + <usize>a) << 2)));
    }
  }
}

/**
 * Items [first, first + count) of a batch of 2-D transposes of 4-byte elements (item t at src +
 * t·srcBatch and dst + t·dstBatch, in elements), rows [a0, a0 + aCount) of each: see
 * transposeRange. Threads take runs of items, or of rows when the batch is short.
 */
export function transposeTiles32(
  src: usize,
  dst: usize,
  first: i32,
  count: i32,
  srcBatch: i32,
  dstBatch: i32,
  a0: i32,
  aCount: i32,
  nb: i32,
  sB: i32,
  dA: i32,
): void {
  for (let t = first; t < first + count; t++) {
    const s = src + ((<usize>t * <usize>srcBatch) << 2);
    const d = dst + ((<usize>t * <usize>dstBatch) << 2);
    transposeRange(s, d, a0, a0 + aCount, nb, sB, dA);
  }
}
