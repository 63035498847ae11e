import { ieeePow } from './pow';
import { toInt32 } from './convert';
import { beginRows, nextRow, off0, off1, rowLength, rowStride, splatSource4 } from './rows';
import { SPLAT } from './scratch';

// Op codes, shared with src/kernels/codes.ts.
const ADD = 0;
const SUB = 1;
const MUL = 2;
const DIV = 3;
const POW = 4;
const MAXIMUM = 5;
const MINIMUM = 6;

const SLOT_A = SPLAT;
const SLOT_B = SPLAT + 16;

@inline function f32v(op: i32, a: v128, b: v128): v128 {
  if (op == ADD) return f32x4.add(a, b);
  if (op == SUB) return f32x4.sub(a, b);
  if (op == MUL) return f32x4.mul(a, b);
  if (op == DIV) return f32x4.div(a, b);
  if (op == MAXIMUM) return f32x4.max(a, b); // wasm max/min propagate NaN, as the contract asks
  return f32x4.min(a, b);
}

@inline function f32s(op: i32, a: f32, b: f32): f32 {
  if (op == ADD) return a + b;
  if (op == SUB) return a - b;
  if (op == MUL) return a * b;
  if (op == DIV) return a / b;
  if (op == MAXIMUM) return max(a, b);
  return min(a, b);
}

/**
 * One row of n elements: out = a op b, where a and b advance 4 bytes per element (streamed) or
 * sit in their splat slot (broadcast, step 0). `op` is a constant after inlining, so each op
 * gets its own loop.
 */
@inline function f32Row(op: i32, o: usize, a: usize, sa: usize, b: usize, sb: usize, n: i32): void {
  const va = sa << 4;
  const vb = sb << 4;
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const r0 = f32v(op, v128.load(a), v128.load(b));
    const r1 = f32v(op, v128.load(a + sa * 16), v128.load(b + sb * 16));
    v128.store(o, r0);
    v128.store(o, r1, 16);
    a += va << 1;
    b += vb << 1;
    o += 32;
  }
  for (; i + 4 <= n; i += 4) {
    v128.store(o, f32v(op, v128.load(a), v128.load(b)));
    a += va;
    b += vb;
    o += 16;
  }
  const ea = sa << 2;
  const eb = sb << 2;
  for (; i < n; i++) {
    store<f32>(o, f32s(op, load<f32>(a), load<f32>(b)));
    a += ea;
    b += eb;
    o += 4;
  }
}

/** Byte address of an operand's row of 4-byte elements: its own data, or its filled splat slot. */
@inline function rowSource4(base: usize, off: isize, step: usize, slot: usize): usize {
  return splatSource4(base + (<usize>off << 2), step, slot);
}

@inline function f32Rows(op: i32, out: usize, a: usize, b: usize): void {
  const rows = beginRows(2);
  const n = rowLength();
  const sa = <usize>rowStride(0);
  const sb = <usize>rowStride(1);
  for (let r = 0; r < rows; r++) {
    const pa = rowSource4(a, off0, sa, SLOT_A);
    const pb = rowSource4(b, off1, sb, SLOT_B);
    if (op == POW) {
      for (let i = 0; i < n; i++) {
        const power: f64 = ieeePow(<f64>load<f32>(pa + ((<usize>i * sa) << 2)), <f64>load<f32>(pb + ((<usize>i * sb) << 2)));
        store<f32>(out, <f32>power);
        out += 4;
      }
    } else {
      f32Row(op, out, pa, sa, pb, sb, n);
      out += <usize>n << 2;
    }
    nextRow();
  }
}

/** float32 out = a op b, broadcast by the plan in the scratch block. */
export function binaryF32(op: i32, out: usize, a: usize, b: usize): void {
  switch (op) {
    case ADD: f32Rows(ADD, out, a, b); break;
    case SUB: f32Rows(SUB, out, a, b); break;
    case MUL: f32Rows(MUL, out, a, b); break;
    case DIV: f32Rows(DIV, out, a, b); break;
    case POW: f32Rows(POW, out, a, b); break;
    case MAXIMUM: f32Rows(MAXIMUM, out, a, b); break;
    default: f32Rows(MINIMUM, out, a, b); break;
  }
}

@inline function i32v(op: i32, a: v128, b: v128): v128 {
  if (op == ADD) return i32x4.add(a, b);
  if (op == SUB) return i32x4.sub(a, b);
  if (op == MUL) return i32x4.mul(a, b);
  if (op == MAXIMUM) return i32x4.max_s(a, b);
  return i32x4.min_s(a, b);
}

/**
 * int32 semantics of the reference (a typed-array store of the float result): division
 * truncates toward zero and a division by zero stores 0; pow wraps modulo 2³².
 */
@inline function i32s(op: i32, a: i32, b: i32): i32 {
  if (op == ADD) return a + b;
  if (op == SUB) return a - b;
  if (op == MUL) return a * b;
  if (op == MAXIMUM) return max(a, b);
  if (op == MINIMUM) return min(a, b);
  if (op == DIV) return toInt32(<f64>a / <f64>b);
  return toInt32(<f64>a ** <f64>b);
}

@inline function i32Rows(op: i32, out: usize, a: usize, b: usize): void {
  const rows = beginRows(2);
  const n = rowLength();
  const sa = <usize>rowStride(0);
  const sb = <usize>rowStride(1);
  const vectorized = op != DIV && op != POW;
  for (let r = 0; r < rows; r++) {
    let pa = rowSource4(a, off0, sa, SLOT_A);
    let pb = rowSource4(b, off1, sb, SLOT_B);
    let i = 0;
    if (vectorized) {
      for (; i + 4 <= n; i += 4) {
        v128.store(out, i32v(op, v128.load(pa), v128.load(pb)));
        pa += sa << 4;
        pb += sb << 4;
        out += 16;
      }
    }
    for (; i < n; i++) {
      store<i32>(out, i32s(op, load<i32>(pa), load<i32>(pb)));
      pa += sa << 2;
      pb += sb << 2;
      out += 4;
    }
    nextRow();
  }
}

/** int32 out = a op b, broadcast. */
export function binaryI32(op: i32, out: usize, a: usize, b: usize): void {
  switch (op) {
    case ADD: i32Rows(ADD, out, a, b); break;
    case SUB: i32Rows(SUB, out, a, b); break;
    case MUL: i32Rows(MUL, out, a, b); break;
    case DIV: i32Rows(DIV, out, a, b); break;
    case POW: i32Rows(POW, out, a, b); break;
    case MAXIMUM: i32Rows(MAXIMUM, out, a, b); break;
    default: i32Rows(MINIMUM, out, a, b); break;
  }
}

/** bool (one byte each) out = a op b computed in int32 and stored modulo 256, as a Uint8Array would. Rare: scalar. */
export function binaryU8(op: i32, out: usize, a: usize, b: usize): void {
  const rows = beginRows(2);
  const n = rowLength();
  const sa = <usize>rowStride(0);
  const sb = <usize>rowStride(1);
  for (let r = 0; r < rows; r++) {
    let pa = a + <usize>off0;
    let pb = b + <usize>off1;
    for (let i = 0; i < n; i++) {
      const x = <i32>load<u8>(pa);
      const y = <i32>load<u8>(pb);
      let v: i32;
      if (op == DIV || op == POW) {
        const f = op == DIV ? <f64>x / <f64>y : <f64>x ** <f64>y;
        v = toInt32(f);
      } else {
        v = op == ADD ? x + y : op == SUB ? x - y : op == MUL ? x * y : op == MAXIMUM ? max(x, y) : min(x, y);
      }
      store<u8>(out, <u8>v);
      pa += sa;
      pb += sb;
      out += 1;
    }
    nextRow();
  }
}
