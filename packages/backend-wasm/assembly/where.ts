import { beginRows, beginRowsAt, nextRow, off0, off1, off2, ROW_SLOTS, rowLength, rowStride, seekRow, splatSource1, splatSource4 } from './rows';
import { SPLAT } from './scratch';

/**
 * out = cond ? a : b, broadcast over three operands, branch-free: each condition byte (0/1)
 * becomes a lane mask and v128.bitselect picks. `elemBytes` is 4 (float32, int32) or 1 (bool).
 */
@inline function rows(elemBytes: i32, out: usize, c: usize, a: usize, b: usize, first: i32, count: i32, area: usize): void {
  // A thread walking its own run of rows keeps its odometer and splat slots in its own area.
  const all = area ? beginRowsAt(3, area + ROW_SLOTS) : beginRows(3);
  if (count < 0) count = all;
  if (first) seekRow(first);
  const SLOT_C = area ? area : SPLAT;
  const SLOT_A = SLOT_C + 16;
  const SLOT_B = SLOT_C + 32;
  const n = rowLength();
  const sc = <usize>rowStride(0);
  const sa = <usize>rowStride(1);
  const sb = <usize>rowStride(2);
  for (let r = 0; r < count; r++) {
    let pc = splatSource1(c + <usize>off0, sc, SLOT_C);
    let pa = a + <usize>off1 * elemBytes;
    let pb = b + <usize>off2 * elemBytes;
    if (elemBytes == 4) {
      pa = splatSource4(pa, sa, SLOT_A);
      pb = splatSource4(pb, sb, SLOT_B);
      let i = 0;
      for (; i + 4 <= n; i += 4) {
        // Four condition bytes → four 0/1 lanes → all-ones/zero masks.
        const bytes = v128.load32_zero(pc);
        const mask = i32x4.neg(i32x4.extend_low_i16x8_u(i16x8.extend_low_i8x16_u(bytes)));
        v128.store(out, v128.bitselect(v128.load(pa), v128.load(pb), mask));
        pc += sc << 2;
        pa += sa << 4;
        pb += sb << 4;
        out += 16;
      }
      for (; i < n; i++) {
        const mask = -<i32>load<u8>(pc);
        store<i32>(out, (load<i32>(pa) & mask) | (load<i32>(pb) & ~mask));
        pc += sc;
        pa += sa << 2;
        pb += sb << 2;
        out += 4;
      }
    } else {
      pa = splatSource1(pa, sa, SLOT_A);
      pb = splatSource1(pb, sb, SLOT_B);
      let i = 0;
      for (; i + 16 <= n; i += 16) {
        const mask = i8x16.neg(v128.load(pc));
        v128.store(out, v128.bitselect(v128.load(pa), v128.load(pb), mask));
        pc += sc << 4;
        pa += sa << 4;
        pb += sb << 4;
        out += 16;
      }
      for (; i < n; i++) {
        const mask = -<i32>load<u8>(pc);
        store<u8>(out, <u8>((<i32>load<u8>(pa) & mask) | (<i32>load<u8>(pb) & ~mask)));
        pc += sc;
        pa += sa;
        pb += sb;
        out += 1;
      }
    }
    nextRow();
  }
}

/** out = cond ? a : b over rows [first, first + count) of the plan, out at row first's output; area: the thread's own (ROW_AREA_BYTES). */
export function whereRows(elemBytes: i32, out: usize, c: usize, a: usize, b: usize, first: i32, count: i32, area: usize): void {
  if (elemBytes == 4) rows(4, out, c, a, b, first, count, area);
  else rows(1, out, c, a, b, first, count, area);
}
