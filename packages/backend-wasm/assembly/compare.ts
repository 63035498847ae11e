import { beginRows, nextRow, off0, off1, rowLength, rowStride, splatSource1, splatSource4 } from './rows';
import { SPLAT } from './scratch';

// Op codes, shared with src/kernels/codes.ts.
const LT = 0;
const LE = 1;
const GT = 2;
const GE = 3;
const EQ = 4;
const NE = 5;

const SLOT_A = SPLAT;
const SLOT_B = SPLAT + 16;

// Lane masks (all ones or zero) per op; NaN compares false except under ne, as IEEE says.
@inline function f32v(op: i32, a: v128, b: v128): v128 {
  if (op == LT) return f32x4.lt(a, b);
  if (op == LE) return f32x4.le(a, b);
  if (op == GT) return f32x4.gt(a, b);
  if (op == GE) return f32x4.ge(a, b);
  if (op == EQ) return f32x4.eq(a, b);
  return f32x4.ne(a, b);
}

@inline function i32v(op: i32, a: v128, b: v128): v128 {
  if (op == LT) return i32x4.lt_s(a, b);
  if (op == LE) return i32x4.le_s(a, b);
  if (op == GT) return i32x4.gt_s(a, b);
  if (op == GE) return i32x4.ge_s(a, b);
  if (op == EQ) return i32x4.eq(a, b);
  return i32x4.ne(a, b);
}

@inline function u8v(op: i32, a: v128, b: v128): v128 {
  if (op == LT) return i8x16.lt_u(a, b);
  if (op == LE) return i8x16.le_u(a, b);
  if (op == GT) return i8x16.gt_u(a, b);
  if (op == GE) return i8x16.ge_u(a, b);
  if (op == EQ) return i8x16.eq(a, b);
  return i8x16.ne(a, b);
}

@inline function mask4(isFloat: bool, op: i32, a: v128, b: v128): v128 {
  return isFloat ? f32v(op, a, b) : i32v(op, a, b);
}

/**
 * One row of 4-byte elements → bytes 0/1. Sixteen results per step: four lane masks narrowed
 * to bytes, then masked to 1.
 */
@inline function row4(isFloat: bool, op: i32, o: usize, a: usize, sa: usize, b: usize, sb: usize, n: i32): void {
  const va = sa << 4;
  const vb = sb << 4;
  const one = i8x16.splat(1);
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    const m0 = mask4(isFloat, op, v128.load(a), v128.load(b));
    const m1 = mask4(isFloat, op, v128.load(a + va), v128.load(b + vb));
    const m2 = mask4(isFloat, op, v128.load(a + 2 * va), v128.load(b + 2 * vb));
    const m3 = mask4(isFloat, op, v128.load(a + 3 * va), v128.load(b + 3 * vb));
    const bytes = i8x16.narrow_i16x8_s(i16x8.narrow_i32x4_s(m0, m1), i16x8.narrow_i32x4_s(m2, m3));
    v128.store(o, v128.and(bytes, one));
    a += va << 2;
    b += vb << 2;
    o += 16;
  }
  for (; i < n; i++) {
    const m = mask4(isFloat, op, v128.load32_splat(a), v128.load32_splat(b));
    store<u8>(o, <u8>(i32x4.extract_lane(m, 0) & 1));
    a += sa << 2;
    b += sb << 2;
    o += 1;
  }
}

@inline function row1(op: i32, o: usize, a: usize, sa: usize, b: usize, sb: usize, n: i32): void {
  const one = i8x16.splat(1);
  let i = 0;
  for (; i + 16 <= n; i += 16) {
    v128.store(o, v128.and(u8v(op, v128.load(a), v128.load(b)), one));
    a += sa << 4;
    b += sb << 4;
    o += 16;
  }
  for (; i < n; i++) {
    const m = u8v(op, i8x16.splat(load<u8>(a)), i8x16.splat(load<u8>(b)));
    store<u8>(o, <u8>(i8x16.extract_lane_u(m, 0) & 1));
    a += sa;
    b += sb;
    o += 1;
  }
}

@inline function rows(elemBytes: i32, isFloat: bool, op: i32, out: usize, a: usize, b: usize): void {
  const count = beginRows(2);
  const n = rowLength();
  const sa = <usize>rowStride(0);
  const sb = <usize>rowStride(1);
  for (let r = 0; r < count; r++) {
    const pa = a + <usize>off0 * elemBytes;
    const pb = b + <usize>off1 * elemBytes;
    if (elemBytes == 4) {
      row4(isFloat, op, out, splatSource4(pa, sa, SLOT_A), sa, splatSource4(pb, sb, SLOT_B), sb, n);
    } else {
      row1(op, out, splatSource1(pa, sa, SLOT_A), sa, splatSource1(pb, sb, SLOT_B), sb, n);
    }
    out += n;
    nextRow();
  }
}

@inline function byDtype(op: i32, dtype: i32, out: usize, a: usize, b: usize): void {
  if (dtype == 0) rows(4, true, op, out, a, b);
  else if (dtype == 1) rows(4, false, op, out, a, b);
  else rows(1, false, op, out, a, b);
}

/** bool out = a op b, broadcast; dtype 0 float32, 1 int32, 2 bool. */
export function compare(op: i32, dtype: i32, out: usize, a: usize, b: usize): void {
  switch (op) {
    case LT: byDtype(LT, dtype, out, a, b); break;
    case LE: byDtype(LE, dtype, out, a, b); break;
    case GT: byDtype(GT, dtype, out, a, b); break;
    case GE: byDtype(GE, dtype, out, a, b); break;
    case EQ: byDtype(EQ, dtype, out, a, b); break;
    default: byDtype(NE, dtype, out, a, b); break;
  }
}

// Logical ops on bool bytes (always 0/1), broadcast.
const AND = 0;
const OR = 1;

@inline function logicalRows(op: i32, out: usize, a: usize, b: usize): void {
  const count = beginRows(2);
  const n = rowLength();
  const sa = <usize>rowStride(0);
  const sb = <usize>rowStride(1);
  for (let r = 0; r < count; r++) {
    let pa = splatSource1(a + <usize>off0, sa, SLOT_A);
    let pb = splatSource1(b + <usize>off1, sb, SLOT_B);
    let i = 0;
    for (; i + 16 <= n; i += 16) {
      const x = v128.load(pa);
      const y = v128.load(pb);
      v128.store(out + i, op == AND ? v128.and(x, y) : op == OR ? v128.or(x, y) : v128.xor(x, y));
      pa += sa << 4;
      pb += sb << 4;
    }
    for (; i < n; i++) {
      const x = load<u8>(pa);
      const y = load<u8>(pb);
      store<u8>(out + i, op == AND ? x & y : op == OR ? x | y : x ^ y);
      pa += sa;
      pb += sb;
    }
    out += n;
    nextRow();
  }
}

export function logical(op: i32, out: usize, a: usize, b: usize): void {
  if (op == AND) logicalRows(AND, out, a, b);
  else if (op == OR) logicalRows(OR, out, a, b);
  else logicalRows(2, out, a, b);
}
