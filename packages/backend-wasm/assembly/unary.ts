import { toInt32 } from './convert';
import { erf } from './erf';
import { expF32x4 } from './simd-math';

// Op codes, shared with src/kernels/codes.ts.
const NEG = 0;
const EXP = 1;
const LOG = 2;
const SQRT = 3;
const RSQRT = 4;
const ABS = 5;
const SIGN = 6;
const RECIPROCAL = 7;
const SQUARE = 8;
const SIN = 9;
const COS = 10;
const FLOOR = 11;
const CEIL = 12;
const ROUND = 13;
const ERF = 14;
const LOG1P = 15;
const EXPM1 = 16;
const LOGICAL_NOT = 17;

/** Whether op has a vector form; the others run the scalar f64 libm function per element, as the reference does. */
@inline function vectorOp(op: i32): bool {
  return op == NEG || op == EXP || op == SQRT || op == RSQRT || op == ABS || op == SIGN || op == RECIPROCAL || op == SQUARE || op == FLOOR || op == CEIL || op == ROUND;
}

@inline function f32v(op: i32, x: v128): v128 {
  if (op == NEG) return f32x4.neg(x);
  if (op == EXP) return expF32x4(x);
  if (op == SQRT) return f32x4.sqrt(x);
  if (op == RSQRT) return f32x4.div(f32x4.splat(1), f32x4.sqrt(x));
  if (op == ABS) return f32x4.abs(x);
  if (op == SIGN) {
    // (x > 0) - (x < 0) as ±1.0/0.0, and NaN kept: x itself where x != x.
    const one = f32x4.splat(1);
    const s = f32x4.sub(v128.and(f32x4.gt(x, f32x4.splat(0)), one), v128.and(f32x4.lt(x, f32x4.splat(0)), one));
    return v128.bitselect(x, s, f32x4.ne(x, x));
  }
  if (op == RECIPROCAL) return f32x4.div(f32x4.splat(1), x);
  if (op == SQUARE) return f32x4.mul(x, x);
  if (op == FLOOR) return f32x4.floor(x);
  if (op == CEIL) return f32x4.ceil(x);
  return f32x4.nearest(x); // ROUND: half to even, as PyTorch
}

@inline function f32s(op: i32, v: f32): f32 {
  const x = <f64>v;
  if (op == LOG) return <f32>Math.log(x);
  if (op == SIN) return <f32>Math.sin(x);
  if (op == COS) return <f32>Math.cos(x);
  if (op == ERF) return <f32>erf(x);
  if (op == LOG1P) return <f32>Math.log1p(x);
  if (op == EXPM1) return <f32>Math.expm1(x);
  // Tails of vector ops: one lane of the vector form, so every element gets the same arithmetic.
  return f32x4.extract_lane(f32v(op, f32x4.splat(v)), 0);
}

@inline function f32Loop(op: i32, x: usize, out: usize, n: i32): void {
  let i = 0;
  if (vectorOp(op)) {
    for (; i + 4 <= n; i += 4) {
      v128.store(out, f32v(op, v128.load(x)));
      x += 16;
      out += 16;
    }
  }
  for (; i < n; i++) {
    store<f32>(out, f32s(op, load<f32>(x)));
    x += 4;
    out += 4;
  }
}

export function unaryF32(op: i32, x: usize, out: usize, n: i32): void {
  switch (op) {
    case NEG: f32Loop(NEG, x, out, n); break;
    case EXP: f32Loop(EXP, x, out, n); break;
    case LOG: f32Loop(LOG, x, out, n); break;
    case SQRT: f32Loop(SQRT, x, out, n); break;
    case RSQRT: f32Loop(RSQRT, x, out, n); break;
    case ABS: f32Loop(ABS, x, out, n); break;
    case SIGN: f32Loop(SIGN, x, out, n); break;
    case RECIPROCAL: f32Loop(RECIPROCAL, x, out, n); break;
    case SQUARE: f32Loop(SQUARE, x, out, n); break;
    case SIN: f32Loop(SIN, x, out, n); break;
    case COS: f32Loop(COS, x, out, n); break;
    case FLOOR: f32Loop(FLOOR, x, out, n); break;
    case CEIL: f32Loop(CEIL, x, out, n); break;
    case ROUND: f32Loop(ROUND, x, out, n); break;
    case ERF: f32Loop(ERF, x, out, n); break;
    case LOG1P: f32Loop(LOG1P, x, out, n); break;
    default: f32Loop(EXPM1, x, out, n); break;
  }
}

/**
 * Integer ops (int32, or bool stored as bytes): neg, abs, sign, square keep their integer meaning;
 * floor, ceil and round are the identity; logicalNot gives 0/1. Other ops reach here only as
 * float math, which core casts to float32 first.
 */
@inline function intOp(op: i32, v: i32): i32 {
  if (op == NEG) return -v;
  if (op == ABS) return v < 0 ? -v : v;
  if (op == SIGN) return <i32>(v > 0) - <i32>(v < 0);
  if (op == SQUARE) return v * v;
  if (op == LOGICAL_NOT) return <i32>(v == 0);
  if (op == RECIPROCAL) return toInt32(1.0 / <f64>v);
  return v;
}

export function unaryI32(op: i32, x: usize, out: usize, n: i32): void {
  let i = 0;
  if (op == NEG || op == ABS || op == SQUARE) {
    for (; i + 4 <= n; i += 4) {
      const v = v128.load(x + (<usize>i << 2));
      const r = op == NEG ? i32x4.neg(v) : op == ABS ? i32x4.abs(v) : i32x4.mul(v, v);
      v128.store(out + (<usize>i << 2), r);
    }
  }
  for (; i < n; i++) store<i32>(out + (<usize>i << 2), intOp(op, load<i32>(x + (<usize>i << 2))));
}

export function unaryU8(op: i32, x: usize, out: usize, n: i32): void {
  if (op == LOGICAL_NOT) {
    // Bytes are 0/1: 1 - x, sixteen at a time.
    const one = i8x16.splat(1);
    let i = 0;
    for (; i + 16 <= n; i += 16) v128.store(out + i, i8x16.sub(one, v128.load(x + i)));
    for (; i < n; i++) store<u8>(out + i, 1 - load<u8>(x + i));
    return;
  }
  for (let i = 0; i < n; i++) store<u8>(out + i, <u8>intOp(op, <i32>load<u8>(x + i)));
}
