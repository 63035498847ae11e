// Vector transcendental functions on f32x4, accurate to a few ulp (Cephes' single-precision
// polynomials), with IEEE behaviour at the edges: exp(±Inf) = Inf/0, NaN stays NaN.

import { ieeePow } from './pow';

const LOG2E: f32 = 1.44269504088896341;
const LN2_HI: f32 = 0.693359375;
const LN2_LO: f32 = -2.12194440e-4;

/** 2^n for integer lanes n in [-126, 127] (built in the exponent field). */
@inline function pow2i(n: v128): v128 {
  return i32x4.shl(i32x4.add(n, i32x4.splat(127)), 23);
}

/**
 * e^x per lane. x = n·ln2 + r with |r| <= ln2/2 (Cody-Waite split of ln2), e^r by a degree-6
 * polynomial, and 2^n applied as two halves so denormal results and overflow to Inf come out right.
 */
@inline export function expF32x4(x: v128): v128 {
  // Past these bounds e^x is Inf or 0 in f32 anyway; clamping keeps n in range. pmax/pmin (one
  // instruction each, unlike max/min) pass NaN through: NaN < bound is false.
  x = f32x4.pmin(f32x4.pmax(x, f32x4.splat(-104.0)), f32x4.splat(89.0));
  const shifted = roundShifted(x);
  const y = expReduced(x, shifted);
  const n = i32x4.sub(shifted, i32x4.splat(0x4b400000));
  const half = i32x4.shr_s(n, 1);
  return f32x4.mul(f32x4.mul(y, pow2i(half)), pow2i(i32x4.sub(n, half)));
}

/**
 * x·log2e rounded to an integer n, as n + 1.5·2^23 (|x·log2e| < 2^22): the integer lands in the
 * low mantissa bits, so n is one integer subtraction away and n as a float one float subtraction.
 */
@inline function roundShifted(x: v128): v128 {
  return f32x4.add(f32x4.mul(x, f32x4.splat(LOG2E)), f32x4.splat(12582912.0));
}

/** e^r for r = x − n·ln2 (|r| <= ln2/2, ln2 split in two for Cody-Waite), by a degree-6 polynomial. */
@inline function expReduced(x: v128, shifted: v128): v128 {
  const fn = f32x4.sub(shifted, f32x4.splat(12582912.0));
  let r = f32x4.sub(x, f32x4.mul(fn, f32x4.splat(LN2_HI)));
  r = f32x4.sub(r, f32x4.mul(fn, f32x4.splat(LN2_LO)));
  let p = f32x4.splat(1.9875691500e-4);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(5.0000001201e-1));
  return f32x4.add(f32x4.add(f32x4.mul(p, f32x4.mul(r, r)), r), f32x4.splat(1.0));
}

/**
 * e^t for t <= 0 (or NaN), what sigmoid needs: expF32x4's polynomial, with 2^n built in one step
 * because n >= -126 once t is above the smallest normal's log; below it the result is 0 (the true
 * value is a denormal under 1.2e-38). Fewer instructions than expF32x4 on the hot path of every
 * sigmoid-based derivative.
 */
@inline function expNonPositiveF32x4(t: v128): v128 {
  const x = f32x4.pmax(t, f32x4.splat(-87.33654));
  const shifted = roundShifted(x);
  const e = f32x4.mul(expReduced(x, shifted), pow2i(i32x4.sub(shifted, i32x4.splat(0x4b400000))));
  // t below the clamp (−Inf included) gives 0; NaN fails the comparison too, so it is kept apart.
  return v128.bitselect(e, v128.and(e, f32x4.ge(t, f32x4.splat(-87.33654))), f32x4.ne(t, t));
}

/**
 * 1 / (1 + e^-x), as r = e/(1 + e) with e = e^-|x| (accurate relative to the small side), then
 * 1 - r for x > 0: near 1 the single rounding of 1 - r gives the float32 nearest the true value,
 * where 1/(1 + e) would round 1 + e to 1 first.
 */
@inline export function sigmoidF32x4(x: v128): v128 {
  const e = expNonPositiveF32x4(f32x4.neg(f32x4.abs(x)));
  const r = f32x4.div(e, f32x4.add(f32x4.splat(1.0), e));
  return v128.bitselect(f32x4.sub(f32x4.splat(1.0), r), r, f32x4.gt(x, f32x4.splat(0)));
}

/**
 * tanh per lane, as sign(x)·tanh|x|: an odd polynomial below |x| = 0.625 (keeps relative accuracy
 * near 0), else 1 - 2/(e^{2|x|} + 1), which saturates to 1 without overflow trouble. Taking the
 * sign from x's bit keeps tanh(-0) = -0.
 */
@inline export function tanhF32x4(x: v128): v128 {
  const ax = f32x4.abs(x);
  const z = f32x4.mul(x, x);
  let p = f32x4.splat(-5.70498872745e-3);
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(2.06390887954e-2));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(-5.37397155531e-2));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(1.33314422036e-1));
  p = f32x4.add(f32x4.mul(p, z), f32x4.splat(-3.33332819422e-1));
  const small = f32x4.add(ax, f32x4.mul(f32x4.mul(ax, z), p));
  const one = f32x4.splat(1.0);
  const e = expF32x4(f32x4.add(ax, ax));
  const large = f32x4.sub(one, f32x4.div(f32x4.splat(2.0), f32x4.add(e, one)));
  const magnitude = v128.bitselect(small, large, f32x4.lt(ax, f32x4.splat(0.625)));
  return v128.or(magnitude, v128.and(x, i32x4.splat(0x80000000)));
}

const SQRT_HALF: f32 = 0.70710678118654752440;

/**
 * ln x per lane (Cephes logf): x = 2^e · f with f in [√½, √2), ln f by a degree-9 polynomial in
 * f - 1. ln 0 = -Inf, ln of a negative or NaN = NaN, ln Inf = Inf; denormals are scaled first.
 */
@inline export function logF32x4(x: v128): v128 {
  // Scale denormals into the normal range: x·2^23, exponent corrected by 23 below.
  const tiny = f32x4.lt(x, f32x4.splat(1.17549435e-38));
  const xs = v128.bitselect(f32x4.mul(x, f32x4.splat(8388608.0)), x, tiny);
  const bits = xs;
  let e = i32x4.sub(i32x4.shr_u(bits, 23), i32x4.splat(126));
  e = i32x4.sub(e, v128.and(tiny, i32x4.splat(23)));
  // Mantissa in [0.5, 1).
  let f = v128.or(v128.and(bits, i32x4.splat(0x807fffff)), i32x4.splat(0x3f000000));
  const lowHalf = f32x4.lt(f, f32x4.splat(SQRT_HALF));
  e = i32x4.add(e, lowHalf); // lowHalf lanes are -1: e - 1
  f = f32x4.sub(f32x4.add(f, v128.and(f, lowHalf)), f32x4.splat(1.0));
  const z = f32x4.mul(f, f);
  let p = f32x4.splat(7.0376836292e-2);
  p = f32x4.add(f32x4.mul(p, f), f32x4.splat(-1.1514610310e-1));
  p = f32x4.add(f32x4.mul(p, f), f32x4.splat(1.1676998740e-1));
  p = f32x4.add(f32x4.mul(p, f), f32x4.splat(-1.2420140846e-1));
  p = f32x4.add(f32x4.mul(p, f), f32x4.splat(1.4249322787e-1));
  p = f32x4.add(f32x4.mul(p, f), f32x4.splat(-1.6668057665e-1));
  p = f32x4.add(f32x4.mul(p, f), f32x4.splat(2.0000714765e-1));
  p = f32x4.add(f32x4.mul(p, f), f32x4.splat(-2.4999993993e-1));
  p = f32x4.add(f32x4.mul(p, f), f32x4.splat(3.3333331174e-1));
  const fe = f32x4.convert_i32x4_s(e);
  let y = f32x4.mul(f32x4.mul(p, f), z);
  y = f32x4.add(y, f32x4.mul(fe, f32x4.splat(-2.12194440e-4)));
  y = f32x4.sub(y, f32x4.mul(z, f32x4.splat(0.5)));
  let r = f32x4.add(f32x4.add(f, y), f32x4.mul(fe, f32x4.splat(0.693359375)));
  // Edges: x < 0 or NaN → NaN, 0 → -Inf, +Inf → +Inf.
  r = v128.bitselect(f32x4.splat(-Infinity), r, f32x4.eq(x, f32x4.splat(0)));
  r = v128.bitselect(x, r, f32x4.eq(x, f32x4.splat(Infinity)));
  return v128.bitselect(f32x4.splat(NaN), r, v128.not(f32x4.ge(x, f32x4.splat(0))));
}

/** ln(1 + x) per lane, accurate near 0: ln u - ((u - 1) - x)/u with u = 1 + x rounded. */
@inline export function log1pF32x4(x: v128): v128 {
  const u = f32x4.add(x, f32x4.splat(1.0));
  const d = f32x4.sub(u, f32x4.splat(1.0));
  const corrected = f32x4.sub(logF32x4(u), f32x4.div(f32x4.sub(d, x), u));
  // Where u rounds to 1, ln(1 + x) = x to f32 precision; where u is Inf, the log is Inf.
  const exact = v128.bitselect(x, corrected, f32x4.eq(d, f32x4.splat(0)));
  return v128.bitselect(logF32x4(u), exact, f32x4.eq(u, f32x4.splat(Infinity)));
}

/** sign per lane: ±1, ±0 kept as 0, NaN kept. */
@inline export function signF32x4(x: v128): v128 {
  const one = f32x4.splat(1);
  const s = f32x4.sub(v128.and(f32x4.gt(x, f32x4.splat(0)), one), v128.and(f32x4.lt(x, f32x4.splat(0)), one));
  return v128.bitselect(x, s, f32x4.ne(x, x));
}

/** Below this |x| erf is x + x·q(x²); from it, 1 − e^{p(|x|)}. */
const ERF_SPLIT: f32 = 0.8;
/** From this |x| on, erf rounds to ±1 in float32 (erfc(x) < 2^-25). */
const ERF_SATURATED: f32 = 3.919206;

/**
 * erf per lane in float32, within 1.4 ulp of the true value (plus the exp's error on the outer
 * branch). Near 0, x + x·q(x²) with q = erf(x)/x − 1 (degree 5 in x²): the final add rounds once
 * on a small correction, so the result keeps its relative accuracy down to the denormals. Above
 * 0.8, 1 − e^{p(|x|)} with p ≈ ln erfc (degree 7), the sign put back from x; from 3.919206 on, ±1.
 * Both polynomials are fitted by scripts/fit-erf.py. NaN passes through the outer branch.
 */
@inline export function erfF32x4(x: v128): v128 {
  const ax = f32x4.abs(x);
  const s = f32x4.mul(x, x);
  let q = f32x4.splat(-0.000653523428);
  q = f32x4.add(f32x4.mul(q, s), f32x4.splat(0.00508513022));
  q = f32x4.add(f32x4.mul(q, s), f32x4.splat(-0.0268208068));
  q = f32x4.add(f32x4.mul(q, s), f32x4.splat(0.112831131));
  q = f32x4.add(f32x4.mul(q, s), f32x4.splat(-0.376126021));
  q = f32x4.add(f32x4.mul(q, s), f32x4.splat(0.128379166));
  const inner = f32x4.add(x, f32x4.mul(x, q));
  // pmin keeps NaN (its first operand) and stops the polynomial past where it was fitted.
  const t = f32x4.pmin(ax, f32x4.splat(ERF_SATURATED));
  let p = f32x4.splat(-1.9159168e-5);
  p = f32x4.add(f32x4.mul(p, t), f32x4.splat(0.000412552909));
  p = f32x4.add(f32x4.mul(p, t), f32x4.splat(-0.00406740513));
  p = f32x4.add(f32x4.mul(p, t), f32x4.splat(0.0248535685));
  p = f32x4.add(f32x4.mul(p, t), f32x4.splat(-0.107880659));
  p = f32x4.add(f32x4.mul(p, t), f32x4.splat(-0.633698702));
  p = f32x4.add(f32x4.mul(p, t), f32x4.splat(-1.12934661));
  p = f32x4.add(f32x4.mul(p, t), f32x4.splat(0.000140919292));
  const one = f32x4.splat(1.0);
  const outerMagnitude = v128.bitselect(one, f32x4.sub(one, expNonPositiveF32x4(p)), f32x4.ge(ax, f32x4.splat(ERF_SATURATED)));
  const outer = v128.or(outerMagnitude, v128.and(x, i32x4.splat(0x80000000)));
  return v128.bitselect(inner, outer, f32x4.lt(ax, f32x4.splat(ERF_SPLIT)));
}

@inline export function powF32x4(a: v128, b: v128): v128 {
  const p0: f64 = ieeePow(<f64>f32x4.extract_lane(a, 0), <f64>f32x4.extract_lane(b, 0));
  const p1: f64 = ieeePow(<f64>f32x4.extract_lane(a, 1), <f64>f32x4.extract_lane(b, 1));
  const p2: f64 = ieeePow(<f64>f32x4.extract_lane(a, 2), <f64>f32x4.extract_lane(b, 2));
  const p3: f64 = ieeePow(<f64>f32x4.extract_lane(a, 3), <f64>f32x4.extract_lane(b, 3));
  return f32x4.replace_lane(f32x4.replace_lane(f32x4.replace_lane(f32x4.splat(<f32>p0), 1, <f32>p1), 2, <f32>p2), 3, <f32>p3);
}
