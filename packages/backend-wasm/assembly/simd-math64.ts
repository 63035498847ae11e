import { ieeePow } from './pow';
// Vector transcendental functions on f64x2, for activation expressions whose f32 evaluation
// would cancel (1 - sigmoid(z) near 1, 1 + erf(x) near -1): accurate to ~1e-15 relative, which
// is what the float64 reference computes before rounding to float32.

const LOG2E: f64 = 1.4426950408889634;
const LN2_HI: f64 = 6.93147180369123816490e-01;
const LN2_LO: f64 = 1.90821492927058770002e-10;

/** 2^n for integer-valued f64 lanes n in [-1022, 1023]. */
@inline function pow2(n: v128): v128 {
  // n + 1.5·2^52 holds n in its low mantissa bits: an integer without a truncating conversion.
  const k = i64x2.sub(f64x2.add(n, f64x2.splat(6755399441055744.0)), i64x2.splat(0x4338000000000000));
  return i64x2.shl(i64x2.add(k, i64x2.splat(1023)), 52);
}

/** e^x: x = n·ln2 + r, |r| <= ln2/2, e^r by its Taylor series to r^12 (error < 1e-15), 2^n in two halves. */
@inline export function expF64x2(x: v128): v128 {
  x = f64x2.pmin(f64x2.pmax(x, f64x2.splat(-746.0)), f64x2.splat(710.0)); // NaN passes through
  const n = f64x2.nearest(f64x2.mul(x, f64x2.splat(LOG2E)));
  const r = f64x2.sub(f64x2.sub(x, f64x2.mul(n, f64x2.splat(LN2_HI))), f64x2.mul(n, f64x2.splat(LN2_LO)));
  let p = f64x2.splat(1.0 / 479001600.0);
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 39916800.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 3628800.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 362880.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 40320.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 5040.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 720.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 120.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 24.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0 / 6.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(0.5));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0));
  p = f64x2.add(f64x2.mul(p, r), f64x2.splat(1.0));
  const half = f64x2.trunc(f64x2.mul(n, f64x2.splat(0.5)));
  return f64x2.mul(f64x2.mul(p, pow2(half)), pow2(f64x2.sub(n, half)));
}

/**
 * ln x (musl's log): x = 2^k·m with m in [√½, √2), ln m = f - f²/2 + s·(f²/2 + R(s²)), s = f/(2+f).
 * ln 0 = -Inf; negative or NaN → NaN; Inf → Inf; denormals scaled first.
 */
@inline export function logF64x2(x: v128): v128 {
  const tiny = f64x2.lt(x, f64x2.splat(2.2250738585072014e-308));
  const xs = v128.bitselect(f64x2.mul(x, f64x2.splat(18014398509481984.0)), x, tiny); // × 2^54
  // The exponent from the high 32-bit word of each lane.
  const high = i32x4.shuffle(xs, xs, 1, 3, 1, 3);
  let k = f64x2.convert_low_i32x4_s(i32x4.sub(i32x4.shr_u(high, 20), i32x4.splat(1022)));
  k = f64x2.sub(k, v128.and(tiny, f64x2.splat(54.0)));
  let m = v128.or(v128.and(xs, i64x2.splat(0x000fffffffffffff)), i64x2.splat(0x3fe0000000000000)); // [0.5, 1)
  const low = f64x2.lt(m, f64x2.splat(0.7071067811865476));
  k = f64x2.sub(k, v128.and(low, f64x2.splat(1.0)));
  m = f64x2.add(m, v128.and(m, low));
  const f = f64x2.sub(m, f64x2.splat(1.0));
  const s = f64x2.div(f, f64x2.add(f64x2.splat(2.0), f));
  const z = f64x2.mul(s, s);
  const w = f64x2.mul(z, z);
  const t1 = f64x2.mul(w, f64x2.add(f64x2.splat(3.999999999940941908e-1), f64x2.mul(w, f64x2.add(f64x2.splat(2.222219843214978396e-1), f64x2.mul(w, f64x2.splat(1.531383769920937332e-1))))));
  const t2 = f64x2.mul(z, f64x2.add(f64x2.splat(6.666666666666735130e-1), f64x2.mul(w, f64x2.add(f64x2.splat(2.857142874366239149e-1), f64x2.mul(w, f64x2.add(f64x2.splat(1.818357216161805012e-1), f64x2.mul(w, f64x2.splat(1.479819860511658591e-1))))))));
  const R = f64x2.add(t2, t1);
  const hfsq = f64x2.mul(f64x2.splat(0.5), f64x2.mul(f, f));
  const inner = f64x2.add(f64x2.mul(s, f64x2.add(hfsq, R)), f64x2.mul(k, f64x2.splat(LN2_LO)));
  let r = f64x2.sub(f64x2.mul(k, f64x2.splat(LN2_HI)), f64x2.sub(f64x2.sub(hfsq, inner), f));
  r = v128.bitselect(f64x2.splat(-Infinity), r, f64x2.eq(x, f64x2.splat(0)));
  r = v128.bitselect(x, r, f64x2.eq(x, f64x2.splat(Infinity)));
  return v128.bitselect(f64x2.splat(NaN), r, v128.not(f64x2.ge(x, f64x2.splat(0))));
}

@inline export function log1pF64x2(x: v128): v128 {
  const u = f64x2.add(x, f64x2.splat(1.0));
  const d = f64x2.sub(u, f64x2.splat(1.0));
  const corrected = f64x2.sub(logF64x2(u), f64x2.div(f64x2.sub(d, x), u));
  const exact = v128.bitselect(x, corrected, f64x2.eq(d, f64x2.splat(0)));
  return v128.bitselect(logF64x2(u), exact, f64x2.eq(u, f64x2.splat(Infinity)));
}

@inline export function sigmoidF64x2(x: v128): v128 {
  const one = f64x2.splat(1.0);
  return f64x2.div(one, f64x2.add(one, expF64x2(f64x2.neg(x))));
}

/** tanh: x itself below |x| = 1e-5 (error x³/3), else sign(x)·(1 - 2/(e^{2|x|} + 1)). */
@inline export function tanhF64x2(x: v128): v128 {
  const ax = f64x2.abs(x);
  const one = f64x2.splat(1.0);
  const large = f64x2.sub(one, f64x2.div(f64x2.splat(2.0), f64x2.add(expF64x2(f64x2.add(ax, ax)), one)));
  const signed = v128.or(large, v128.and(x, i64x2.splat(0x8000000000000000)));
  return v128.bitselect(x, signed, f64x2.lt(ax, f64x2.splat(1e-5)));
}

@inline export function signF64x2(x: v128): v128 {
  const one = f64x2.splat(1);
  const s = f64x2.sub(v128.and(f64x2.gt(x, f64x2.splat(0)), one), v128.and(f64x2.lt(x, f64x2.splat(0)), one));
  return v128.bitselect(x, s, f64x2.ne(x, x));
}

// musl's erf (from FreeBSD's s_erf.c): rational approximations on |x| < 0.84375, < 1.25, < 1/0.35
// and < 6, each polynomial written out in Horner form (constants inline, no loops).
const ERX: f64 = 8.45062911510467529297e-01;

@inline function erfSmall(z: v128): v128 {
  return f64x2.div(f64x2.add(f64x2.mul(f64x2.add(f64x2.mul(f64x2.add(f64x2.mul(f64x2.add(f64x2.mul(f64x2.splat(-2.3763016656650163e-05), z), f64x2.splat(-0.005770270296489442)), z), f64x2.splat(-0.02848174957559851)), z), f64x2.splat(-0.3250421072470015)), z), f64x2.splat(0.12837916709551256)), f64x2.add(f64x2.mul(f64x2.add(f64x2.mul(f64x2.add(f64x2.mul(f64x2.add(f64x2.mul(f64x2.add(f64x2.mul(f64x2.splat(-3.960228278775368e-06), z), f64x2.splat(0.00013249473800432164)), z), f64x2.splat(0.005081306281875766)), z), f64x2.splat(0.0650222499887673)), z), f64x2.splat(0.39791722395915535)), z), f64x2.splat(1.0)));
}

@inline function erfMiddle(s: v128): v128 {
  return f64x2.div(f64x2.add(f64x2.mul(f64x2.add(f64x2.mul(f64x2.add(f64x2.mul(f64x2.add(f64x2.mul(f64x2.add(f64x2.mul(f64x2.add(f64x2.mul(f64x2.splat(-0.002166375594868791), s), f64x2.splat(0.035478304325618236)), s), f64x2.splat(-0.11089469428239668)), s), f64x2.splat(0.31834661990116175)), s), f64x2.splat(-0.3722078760357013)), s), f64x2.splat(0.41485611868374833)), s), f64x2.splat(-0.0023621185607526594)), f64x2.add(f64x2.mul(f64x2.add(f64x2.mul(f64x2.add(f64x2.mul(f64x2.add(f64x2.mul(f64x2.add(f64x2.mul(f64x2.add(f64x2.mul(f64x2.splat(0.011984499846799107), s), f64x2.splat(0.01363708391202905)), s), f64x2.splat(0.12617121980876164)), s), f64x2.splat(0.07182865441419627)), s), f64x2.splat(0.540397917702171)), s), f64x2.splat(0.10642088040084423)), s), f64x2.splat(1.0)));
}

/** R/S of erfc's tail: the first coefficient set below |x| = 1/0.35 (lanes where `near`), the second above. */
@inline function erfcTail(s: v128, near: v128): v128 {
  return f64x2.div(f64x2.add(f64x2.mul(f64x2.add(f64x2.mul(f64x2.add(f64x2.mul(f64x2.add(f64x2.mul(f64x2.add(f64x2.mul(f64x2.add(f64x2.mul(f64x2.add(f64x2.mul(v128.bitselect(f64x2.splat(-9.814329344169145), f64x2.splat(0.0), near), s), v128.bitselect(f64x2.splat(-81.2874355063066), f64x2.splat(-483.5191916086514), near)), s), v128.bitselect(f64x2.splat(-184.60509290671104), f64x2.splat(-1025.0951316110772), near)), s), v128.bitselect(f64x2.splat(-162.39666946257347), f64x2.splat(-637.5664433683896), near)), s), v128.bitselect(f64x2.splat(-62.375332450326006), f64x2.splat(-160.63638485582192), near)), s), v128.bitselect(f64x2.splat(-10.558626225323291), f64x2.splat(-17.757954917754752), near)), s), v128.bitselect(f64x2.splat(-0.6938585727071818), f64x2.splat(-0.799283237680523), near)), s), v128.bitselect(f64x2.splat(-0.009864944034847148), f64x2.splat(-0.0098649429247001), near)), f64x2.add(f64x2.mul(f64x2.add(f64x2.mul(f64x2.add(f64x2.mul(f64x2.add(f64x2.mul(f64x2.add(f64x2.mul(f64x2.add(f64x2.mul(f64x2.add(f64x2.mul(f64x2.add(f64x2.mul(v128.bitselect(f64x2.splat(-0.0604244152148581), f64x2.splat(0.0), near), s), v128.bitselect(f64x2.splat(6.570249770319282), f64x2.splat(-22.44095244658582), near)), s), v128.bitselect(f64x2.splat(108.63500554177944), f64x2.splat(474.52854120695537), near)), s), v128.bitselect(f64x2.splat(429.00814002756783), f64x2.splat(2553.0504064331644), near)), s), v128.bitselect(f64x2.splat(645.3872717332679), f64x2.splat(3199.8582195085955), near)), s), v128.bitselect(f64x2.splat(434.56587747522923), f64x2.splat(1536.729586084437), near)), s), v128.bitselect(f64x2.splat(137.65775414351904), f64x2.splat(325.7925129965739), near)), s), v128.bitselect(f64x2.splat(19.651271667439257), f64x2.splat(30.33806074348246), near)), s), v128.bitselect(f64x2.splat(1.0), f64x2.splat(1.0), near)));
}

/**
 * erf per lane to ~1 ulp of f64 (musl's approximations): x + x·P/Q near 0, erx + P/Q up to 1.25,
 * 1 - e^{-x² - 0.5625 + R/S}/|x| beyond (one exp: x² is exact enough in f64 for a float32 result), ±1 from 6.
 */
@inline export function erfF64x2(x: v128): v128 {
  const ax = f64x2.abs(x);
  const one = f64x2.splat(1.0);
  const z = f64x2.mul(x, x);
  const small = f64x2.add(ax, f64x2.mul(ax, erfSmall(z)));
  const s1 = f64x2.sub(ax, one);
  const middle = f64x2.add(f64x2.splat(ERX), erfMiddle(s1));
  const s = f64x2.div(one, z);
  const nearer = f64x2.lt(ax, f64x2.splat(1.0 / 0.35));
  const rs = erfcTail(s, nearer);
  const tail = f64x2.sub(one, f64x2.div(expF64x2(f64x2.add(f64x2.sub(f64x2.neg(z), f64x2.splat(0.5625)), rs)), ax));
  let r = v128.bitselect(tail, one, f64x2.lt(ax, f64x2.splat(6.0)));
  r = v128.bitselect(middle, r, f64x2.lt(ax, f64x2.splat(1.25)));
  r = v128.bitselect(small, r, f64x2.lt(ax, f64x2.splat(0.84375)));
  // The sign of x (erf is odd); NaN stays NaN.
  r = v128.or(r, v128.and(x, i64x2.splat(0x8000000000000000)));
  return v128.bitselect(x, r, f64x2.ne(x, x));
}

@inline export function powF64x2(a: v128, b: v128): v128 {
  const p0: f64 = ieeePow(f64x2.extract_lane(a, 0), f64x2.extract_lane(b, 0));
  const p1: f64 = ieeePow(f64x2.extract_lane(a, 1), f64x2.extract_lane(b, 1));
  return f64x2.replace_lane(f64x2.splat(p0), 1, p1);
}
