/**
 * f32 math with the semantics of the cpu backend (IEEE specials, NaN propagation), in WGSL.
 * WGSL lets implementations treat NaN and infinity loosely: builtins like max/min/exp/tanh/pow may
 * return anything for them, and comparisons of NaN may be folded (SwiftShader gives NaN != NaN as
 * false). So NaN is tested on the bits, comparisons that must see NaN go through f_* helpers, and
 * every builtin is guarded where its input is special. NaN and infinity constants come from a
 * function of bits, since a constant expression that evaluates to them is a shader-creation error.
 */

interface Helper {
  deps: readonly string[];
  code: string;
}

const HELPERS: Record<string, Helper> = {
  bits: {
    deps: [],
    code: `
fn f32_bits(b: u32) -> f32 { return bitcast<f32>(b); }
fn is_nan(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }
fn is_inf(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) == 0x7f800000u; }
fn f_nan() -> f32 { return f32_bits(0x7fc00000u); }
fn f_inf() -> f32 { return f32_bits(0x7f800000u); }
fn f_abs(x: f32) -> f32 { return bitcast<f32>(bitcast<u32>(x) & 0x7fffffffu); }
fn f_neg(x: f32) -> f32 { return bitcast<f32>(bitcast<u32>(x) ^ 0x80000000u); }
fn copy_sign(mag: f32, sign: f32) -> f32 {
  return bitcast<f32>((bitcast<u32>(mag) & 0x7fffffffu) | (bitcast<u32>(sign) & 0x80000000u));
}
fn b2f(b: bool) -> f32 { return select(0.0, 1.0, b); }
// A subnormal as the nearest normal of its sign (±2^-126), others as they are. GPUs may flush
// subnormals to ±0 in arithmetic; reading inputs through this keeps their sign, comparisons
// with 0, masks and floor/ceil as the cpu computes them (docs/errors.md, "Subnormals on WebGPU").
fn no_flush(x: f32) -> f32 {
  let b = bitcast<u32>(x);
  if ((b & 0x7f800000u) == 0u && (b & 0x7fffffu) != 0u) { return bitcast<f32>((b & 0x80000000u) | 0x00800000u); }
  return x;
}`,
  },
  compare: {
    deps: ['bits'],
    code: `
fn either_nan(a: f32, b: f32) -> bool { return is_nan(a) || is_nan(b); }
// Comparisons on the bits: an integer key ordered as the floats are (±0 equal), so subnormals
// compare as the cpu compares them even where the GPU flushes them to zero in float compares.
fn order_key(x: f32) -> i32 {
  let b = bitcast<u32>(x);
  let magnitude = i32(b & 0x7fffffffu);
  return select(magnitude, -magnitude, (b & 0x80000000u) != 0u);
}
fn f_lt(a: f32, b: f32) -> bool { return !either_nan(a, b) && order_key(a) < order_key(b); }
fn f_le(a: f32, b: f32) -> bool { return !either_nan(a, b) && order_key(a) <= order_key(b); }
fn f_gt(a: f32, b: f32) -> bool { return !either_nan(a, b) && order_key(a) > order_key(b); }
fn f_ge(a: f32, b: f32) -> bool { return !either_nan(a, b) && order_key(a) >= order_key(b); }
fn f_eq(a: f32, b: f32) -> bool { return !either_nan(a, b) && order_key(a) == order_key(b); }
fn f_ne(a: f32, b: f32) -> bool { return !f_eq(a, b); }
// IEEE 754-2019 maximum/minimum, as the cpu's Math.max/min: NaN if either is, and +0 above -0
// (on equal keys the sign bits combine: and for max, or for min).
fn f_max(a: f32, b: f32) -> f32 {
  if (either_nan(a, b)) { return f_nan(); }
  let ka = order_key(a);
  let kb = order_key(b);
  if (ka == kb) { return bitcast<f32>(bitcast<u32>(a) & bitcast<u32>(b)); }
  return select(b, a, ka > kb);
}
fn f_min(a: f32, b: f32) -> f32 {
  if (either_nan(a, b)) { return f_nan(); }
  let ka = order_key(a);
  let kb = order_key(b);
  if (ka == kb) { return bitcast<f32>(bitcast<u32>(a) | bitcast<u32>(b)); }
  return select(b, a, ka < kb);
}`,
  },
  exp: {
    deps: ['bits'],
    code: `
fn f_exp(x: f32) -> f32 {
  if (is_nan(x)) { return x; }
  if (x > 88.72284) { return f_inf(); }
  if (x < -103.97208) { return 0.0; }
  return exp(x);
}`,
  },
  log: {
    deps: ['bits'],
    code: `
// ln(1 + z) for z in [√½ - 1, √2 - 1]: cephes logf's polynomial (about 1 ulp; the builtin log
// may be coarse near 1, where log1p needs it exact).
fn log1p_poly(z: f32) -> f32 {
  let z2 = z * z;
  var p = 7.0376836292e-2 * z - 1.1514610310e-1;
  p = p * z + 1.1676998740e-1;
  p = p * z - 1.2420140846e-1;
  p = p * z + 1.4249322787e-1;
  p = p * z - 1.6668057665e-1;
  p = p * z + 2.0000714765e-1;
  p = p * z - 2.4999993993e-1;
  p = p * z + 3.3333331174e-1;
  return z + (p * z * z2 - 0.5 * z2);
}
// ln x = e·ln 2 + ln f with x = 2^e·f, f in [√½, √2), read from the bits. A subnormal x (which
// float arithmetic may flush to 0) is its integer mantissa times 2^-149.
fn f_log(x: f32) -> f32 {
  if (is_nan(x)) { return x; }
  if (x == 0.0 && (bitcast<u32>(x) & 0x7fffffffu) == 0u) { return -f_inf(); }
  if ((bitcast<u32>(x) & 0x80000000u) != 0u) { return f_nan(); }
  if (is_inf(x)) { return x; }
  var bits = bitcast<u32>(x);
  var e = i32(bits >> 23u) - 127;
  if ((bits >> 23u) == 0u) {
    let n = f32(bits);
    bits = bitcast<u32>(n);
    e = i32(bits >> 23u) - 127 - 149;
  }
  var f = bitcast<f32>((bits & 0x7fffffu) | 0x3f800000u);
  if (f > 1.41421356) { f = f * 0.5; e = e + 1; }
  let fe = f32(e);
  return log1p_poly(f - 1.0) + fe * 0.693359375 - fe * 2.12194440e-4;
}`,
  },
  sqrt: {
    deps: ['bits'],
    code: `
// A subnormal x = n·2^-149 from its bits: √(2n)·2^-75, a normal number.
fn f_sqrt(x: f32) -> f32 {
  let b = bitcast<u32>(x);
  if (is_nan(x) || (b & 0x7fffffffu) == 0u || b == 0x7f800000u) { return x; }
  if ((b & 0x80000000u) != 0u) { return f_nan(); }
  if ((b >> 23u) == 0u) { return sqrt(f32(b) * 2.0) * 2.646977960169689e-23; }
  return sqrt(x);
}`,
  },
  log1p: {
    deps: ['log'],
    code: `
// Near 0 the polynomial directly; elsewhere Kahan's log(u) · x / (u - 1) with u = 1 + x, which
// cancels the rounding of u.
fn f_log1p(x: f32) -> f32 {
  if (is_nan(x) || (is_inf(x) && x > 0.0)) { return x; }
  if (x == -1.0) { return -f_inf(); }
  if (x < -1.0) { return f_nan(); }
  if (x > -0.29 && x < 0.41) { if (x == 0.0) { return x; } return log1p_poly(x); }
  let u = 1.0 + x;
  if (u == 1.0) { return x; }
  return f_log(u) * (x / (u - 1.0));
}`,
  },
  expm1: {
    deps: ['exp'],
    code: `
// Below |x| = 0.35 the Taylor series to x^9 (relative error < 1e-9): exp(x) - 1 would cancel,
// and the builtin exp may be coarse.
fn f_expm1(x: f32) -> f32 {
  if (is_nan(x) || x == 0.0) { return x; }
  if (x > 88.72284) { return f_inf(); }
  if (x < -17.0) { return -1.0; }
  if (x > -0.35 && x < 0.35) {
    var p = 2.7557319e-6;
    p = p * x + 2.4801587e-5;
    p = p * x + 1.9841270e-4;
    p = p * x + 1.3888889e-3;
    p = p * x + 8.3333333e-3;
    p = p * x + 4.1666667e-2;
    p = p * x + 1.6666667e-1;
    p = p * x + 0.5;
    return x + x * x * p;
  }
  let u = exp(x);
  if (u == 1.0) { return x; }
  let um1 = u - 1.0;
  if (um1 == -1.0) { return -1.0; }
  return um1 * (x / log(u));
}`,
  },
  sigmoid: {
    deps: ['exp'],
    code: `
// For x >= 0, 1 - t/(1 + t) with t = e^{-x}: 1/(1 + t) would round 1 + t first and lose σ's last
// bit near 1 (σ(17) came out as 1.0, not 0.99999994), which y·(1 − y) then turns into a zero.
fn f_sigmoid(x: f32) -> f32 {
  if (is_nan(x)) { return x; }
  if (x >= 0.0) {
    let t = f_exp(-x);
    return 1.0 - t / (1.0 + t);
  }
  return 1.0 / (1.0 + f_exp(-x));
}`,
  },
  tanh: {
    deps: ['exp'],
    code: `
// A series near 0 (where 1 - e^{-2a} cancels), (1 - t)/(1 + t) with t = e^{-2a} elsewhere: the
// builtin may compute (e^x - e^-x)/(e^x + e^-x), which is NaN once e^x overflows.
fn f_tanh(x: f32) -> f32 {
  if (is_nan(x)) { return x; }
  let a = f_abs(x);
  var r: f32;
  if (a < 0.125) {
    let z = a * a;
    r = a * (1.0 + z * (-0.33333333 + z * (0.13333333 + z * (-0.053968254 + z * 0.021869488))));
  } else if (a > 9.5) {
    r = 1.0;
  } else {
    let t = exp(-2.0 * a);
    r = (1.0 - t) / (1.0 + t);
  }
  return copy_sign(r, x);
}`,
  },
  erf: {
    deps: ['bits'],
    code: `
// Taylor series below 0.5; above, Abramowitz & Stegun 7.1.26 (absolute error < 1.5e-7).
fn f_erf(x: f32) -> f32 {
  if (is_nan(x)) { return x; }
  let a = f_abs(x);
  var r: f32;
  if (a < 0.5) {
    let z = a * a;
    r = a * (1.1283792 + z * (-0.37612639 + z * (0.11283792 + z * (-0.026866171 + z * (0.0052239776 + z * -0.00085483270)))));
  } else if (a >= 4.0) {
    r = 1.0;
  } else {
    let t = 1.0 / (1.0 + 0.3275911 * a);
    let poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
    r = 1.0 - poly * exp(-a * a);
  }
  return copy_sign(r, x);
}`,
  },
  round: {
    deps: ['bits'],
    code: `
// Half to even. x - floor(x) is exact, unlike floor(x + 0.5), which rounds 0.49999997 up.
fn f_round(x: f32) -> f32 {
  if (is_nan(x) || !(f_abs(x) < 8388608.0)) { return x; }
  let f = floor(x);
  let d = x - f;
  var r = f;
  if (d > 0.5 || (d == 0.5 && fract(f * 0.5) != 0.0)) { r = f + 1.0; }
  return copy_sign(r, x);
}
fn f_floor(x: f32) -> f32 {
  if (is_nan(x) || !(f_abs(x) < 8388608.0)) { return x; }
  return copy_sign(floor(no_flush(x)), x);
}
fn f_ceil(x: f32) -> f32 {
  if (is_nan(x) || !(f_abs(x) < 8388608.0)) { return x; }
  return copy_sign(ceil(no_flush(x)), x);
}`,
  },
  sign: {
    deps: ['bits', 'compare'],
    code: `
fn f_sign(x: f32) -> f32 {
  if (is_nan(x)) { return x; }
  let k = order_key(x);
  return select(select(0.0, -1.0, k < 0), 1.0, k > 0);
}`,
  },
  trig: {
    deps: ['bits'],
    code: `
// The builtins may be as coarse as 2^-11 absolute (SwiftShader's sin(1) is off by 2e-5), so: reduction
// by π/2, then cephes' sinf/cosf polynomials on [-π/4, π/4] (about 1 ulp). Below 4096 the
// reduction is Cody-Waite's in three parts; above, Payne-Hanek's with 2/π to 224 bits, exact over
// the whole float32 range (sin(1e30) as the cpu computes it from the float32 input).
fn sin_poly(r: f32) -> f32 {
  let z = r * r;
  return ((-1.9515295891e-4 * z + 8.3321608736e-3) * z - 1.6666654611e-1) * z * r + r;
}
fn cos_poly(r: f32) -> f32 {
  let z = r * r;
  return ((2.443315711809948e-5 * z - 1.388731625493765e-3) * z + 4.166664568298827e-2) * z * z - 0.5 * z + 1.0;
}
struct Reduced { q: u32, r: f32 }
// 32 zero bits, then 2/π's binary digits: b1 is the top bit of word 1.
fn two_over_pi_word(i: u32) -> u32 {
  var t = array<u32, 9>(0x00000000u, 0xa2f9836eu, 0x4e441529u, 0xfc2757d1u, 0xf534ddc0u, 0xdb629599u, 0x3c439041u, 0xfe5163abu, 0u);
  return t[min(i, 8u)];
}
// 96 bits of the padded stream starting at bit p, as three words (most significant first).
fn two_over_pi_window(p: u32, k: u32) -> u32 {
  let w = (p >> 5u) + k;
  let s = p & 31u;
  let hi = two_over_pi_word(w);
  if (s == 0u) { return hi; }
  return (hi << s) | (two_over_pi_word(w + 1u) >> (32u - s));
}
// |x| = m · 2^e (m a 24-bit integer) times 2/π, modulo 4: the quadrant and the remainder r·π/2,
// from the low 96 bits of m · (96 bits of 2/π from b_(e-1) on), in 16-bit limbs so no product
// overflows u32.
fn reduce_large(ax: f32) -> Reduced {
  let bits = bitcast<u32>(ax);
  let e = i32((bits >> 23u) & 0xffu) - 150;
  let m = (bits & 0x7fffffu) | 0x800000u;
  let p = u32(e - 1 + 31);
  var limb: array<u32, 6>;
  for (var k = 0u; k < 3u; k++) {
    let word = two_over_pi_window(p, 2u - k);
    limb[2u * k] = word & 0xffffu;
    limb[2u * k + 1u] = word >> 16u;
  }
  let m_lo = m & 0xffffu;
  let m_hi = m >> 16u;
  var r: array<u32, 6>;
  var carry = 0u;
  var prev_lo = 0u; // m_lo · limb[k-1]
  var prev_hi = 0u; // m_hi · limb[k-1]
  var prev2_hi = 0u; // m_hi · limb[k-2]
  for (var k = 0u; k < 6u; k++) {
    let a = m_lo * limb[k];
    let b = m_hi * limb[k];
    let column = (a & 0xffffu) + (prev_lo >> 16u) + (prev_hi & 0xffffu) + (prev2_hi >> 16u) + carry;
    r[k] = column & 0xffffu;
    carry = column >> 16u;
    prev2_hi = prev_hi;
    prev_lo = a;
    prev_hi = b;
  }
  var q = (r[5] >> 14u) & 3u;
  var f = f32(r[5] & 0x3fffu) * 6.103515625e-5 + f32(r[4]) * 9.313225746154785e-10 + f32(r[3]) * 1.4210854715202004e-14;
  if (f > 0.5) { f = f - 1.0; q = q + 1u; }
  return Reduced(q & 3u, f * 1.5707963267948966);
}
// sin(x + quarter·π/2) for quarter in 0..3.
fn sin_quadrant(x: f32, quarter: u32) -> f32 {
  if (is_nan(x) || is_inf(x)) { return f_nan(); }
  var red: Reduced;
  let ax = f_abs(x);
  if (ax < 4096.0) {
    let q = round(x * 0.63661977236758134);
    red = Reduced(u32(i32(q) & 3), ((x - q * 1.5703125) - q * 4.837512969970703125e-4) - q * 7.54978995489188216e-8);
  } else {
    red = reduce_large(ax);
    if (x < 0.0) { red = Reduced((4u - red.q) & 3u, -red.r); }
  }
  let k = (red.q + quarter) & 3u;
  var v: f32;
  if ((k & 1u) == 0u) { v = sin_poly(red.r); } else { v = cos_poly(red.r); }
  if (k >= 2u) { v = -v; }
  return v;
}
fn f_sin(x: f32) -> f32 { if (x == 0.0) { return x; } return sin_quadrant(x, 0u); }
fn f_cos(x: f32) -> f32 { return sin_quadrant(x, 1u); }`,
  },
  fmod: {
    deps: ['bits', 'compare'],
    code: `
// C's fmod: a - b · trunc(a / b) with the dividend's sign. |a| < |b| returns a untouched, so a
// tiny a never meets arithmetic that could flush it; otherwise the product is taken exactly (fma)
// and a quotient rounded to the next integer is corrected.
fn f_fmod(a: f32, b: f32) -> f32 {
  if (is_nan(a) || is_nan(b) || is_inf(a) || (bitcast<u32>(b) & 0x7fffffffu) == 0u) { return f_nan(); }
  let mb = f_abs(b);
  if (f_lt(f_abs(a), mb)) { return a; }
  var r = fma(-trunc(a / b), b, a);
  let negative = a < 0.0;
  if (r != 0.0 && (r < 0.0) != negative) { r = r + select(mb, -mb, negative); }
  if (f_abs(r) >= mb) { r = r - select(mb, -mb, negative); }
  return r;
}`,
  },
  atan2: {
    deps: ['bits'],
    code: `
// atan2(y, x) with Math.atan2's special values, which WGSL's builtin leaves loose: signed zeros,
// infinities and NaN are settled on the bits, the builtin computes the rest.
fn with_sign_of(v: f32, s: f32) -> f32 { return select(v, -v, (bitcast<u32>(s) & 0x80000000u) != 0u); }
fn f_atan2(y: f32, x: f32) -> f32 {
  if (is_nan(y) || is_nan(x)) { return f_nan(); }
  let negative_x = (bitcast<u32>(x) & 0x80000000u) != 0u;
  let y_inf = (bitcast<u32>(y) & 0x7fffffffu) == 0x7f800000u;
  let x_inf = (bitcast<u32>(x) & 0x7fffffffu) == 0x7f800000u;
  if (y_inf && x_inf) { return with_sign_of(select(0.7853981633974483, 2.356194490192345, negative_x), y); }
  if (y_inf) { return with_sign_of(1.5707963267948966, y); }
  if (x_inf || (bitcast<u32>(y) & 0x7fffffffu) == 0u) { return with_sign_of(select(0.0, 3.141592653589793, negative_x), y); }
  if ((bitcast<u32>(x) & 0x7fffffffu) == 0u) { return with_sign_of(1.5707963267948966, y); }
  return atan2(y, x);
}`,
  },
  pow: {
    deps: ['bits', 'log'],
    code: `
fn is_odd_integer(y: f32) -> bool {
  let a = f_abs(y);
  return a < 16777216.0 && floor(a) == a && fract(a * 0.5) != 0.0;
}
// |x|^n by repeated squaring, for integer n ≤ 64: more accurate than exp2(n · log2 x).
fn pow_uint(x: f32, n: u32) -> f32 {
  var result = 1.0;
  var base = x;
  var e = n;
  loop {
    if ((e & 1u) != 0u) { result = result * base; }
    e = e >> 1u;
    if (e == 0u) { break; }
    base = base * base;
  }
  return result;
}
// x ** y with IEEE 754's (the cpu backend's) special cases: 1 ** y = 1 for any y, (-1) ** ±Inf = 1.
fn f_pow(x: f32, y: f32) -> f32 {
  if (y == 0.0 || x == 1.0) { return 1.0; }
  if (is_nan(x) || is_nan(y)) { return f_nan(); }
  let ax = f_abs(x);
  if (is_inf(y)) {
    if (ax == 1.0) { return 1.0; }
    return select(0.0, f_inf(), (ax > 1.0) == (y > 0.0));
  }
  let odd = is_odd_integer(y);
  let negative = (bitcast<u32>(x) & 0x80000000u) != 0u;
  if (ax == 0.0 || is_inf(x)) {
    // |x| is 0 or ∞: the magnitude is 0 or ∞, the sign is x's for odd integer y.
    let big = (ax == 0.0) == (y < 0.0);
    let mag = select(0.0, f_inf(), big);
    return select(mag, -mag, negative && odd);
  }
  let integer = floor(y) == y;
  if (x < 0.0 && !integer) { return f_nan(); }
  var r: f32;
  let ay = f_abs(y);
  if (integer && ay <= 64.0) {
    r = pow_uint(ax, u32(ay));
    if (y < 0.0) { r = 1.0 / r; }
  } else {
    r = pow_positive(ax, y);
  }
  return select(r, -r, x < 0.0 && odd);
}
// ax^y for finite ax > 0 as 2^(y·log2 ax) with the exponent carried in two parts: ax = 2^k·m
// (from the bits, subnormals too), y split in 12-bit halves so y·k is exact, and only the
// fractional rest goes through exp2. A plain exp2(y · log2(ax)) loses ~40 ulp once |y·log2 ax|
// is large (1e21^1.5).
fn pow_positive(ax: f32, y: f32) -> f32 {
  var bits = bitcast<u32>(ax);
  var k = i32(bits >> 23u) - 127;
  if ((bits >> 23u) == 0u) {
    bits = bitcast<u32>(f32(bits));
    k = i32(bits >> 23u) - 127 - 149;
  }
  var m = bitcast<f32>((bits & 0x7fffffu) | 0x3f800000u);
  if (m > 1.41421356) { m = m * 0.5; k = k + 1; }
  let l = log1p_poly(m - 1.0) * 1.4426950408889634;
  let fk = f32(k);
  let c = 4097.0 * y;
  let yh = c - (c - y);
  let yl = y - yh;
  let whole = yh * fk;
  let n = round(whole);
  let rest = (whole - n) + yl * fk + y * l;
  let e = n + rest;
  if (e > 128.5) { return f_inf(); }
  if (e < -151.0) { return 0.0; }
  // 2^n in two steps: n alone may be past float32's exponent range while the result is not.
  let ni = i32(n);
  let half = ni / 2;
  return ldexp(ldexp(exp2(rest), half), ni - half);
}`,
  },
};

/** The WGSL of the named helpers and everything they use, each once, dependencies first. */
export function mathHelpers(names: readonly string[]): string {
  const done = new Set<string>();
  const out: string[] = [];
  const add = (name: string) => {
    if (done.has(name)) return;
    const helper = HELPERS[name];
    if (!helper) throw new Error(`webgpu: unknown WGSL helper '${name}'`);
    done.add(name);
    helper.deps.forEach(add);
    out.push(helper.code);
  };
  names.forEach(add);
  return out.join('\n');
}
