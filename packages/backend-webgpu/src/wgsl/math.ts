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
fn b2f(b: bool) -> f32 { return select(0.0, 1.0, b); }`,
  },
  compare: {
    deps: ['bits'],
    code: `
fn either_nan(a: f32, b: f32) -> bool { return is_nan(a) || is_nan(b); }
fn f_lt(a: f32, b: f32) -> bool { return !either_nan(a, b) && a < b; }
fn f_le(a: f32, b: f32) -> bool { return !either_nan(a, b) && a <= b; }
fn f_gt(a: f32, b: f32) -> bool { return !either_nan(a, b) && a > b; }
fn f_ge(a: f32, b: f32) -> bool { return !either_nan(a, b) && a >= b; }
fn f_eq(a: f32, b: f32) -> bool { return !either_nan(a, b) && a == b; }
fn f_ne(a: f32, b: f32) -> bool { return !f_eq(a, b); }
fn f_max(a: f32, b: f32) -> f32 { return select(max(a, b), f_nan(), either_nan(a, b)); }
fn f_min(a: f32, b: f32) -> f32 { return select(min(a, b), f_nan(), either_nan(a, b)); }`,
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
fn f_log(x: f32) -> f32 {
  if (is_nan(x)) { return x; }
  if (x == 0.0) { return -f_inf(); }
  if (x < 0.0) { return f_nan(); }
  if (is_inf(x)) { return x; }
  return log(x);
}`,
  },
  sqrt: {
    deps: ['bits'],
    code: `
fn f_sqrt(x: f32) -> f32 {
  if (is_nan(x) || x == 0.0 || (is_inf(x) && x > 0.0)) { return x; }
  if (x < 0.0) { return f_nan(); }
  return sqrt(x);
}`,
  },
  log1p: {
    deps: ['log'],
    code: `
// Kahan: log(u) · x / (u - 1) with u = 1 + x cancels the rounding of u.
fn f_log1p(x: f32) -> f32 {
  if (is_nan(x) || (is_inf(x) && x > 0.0)) { return x; }
  if (x == -1.0) { return -f_inf(); }
  if (x < -1.0) { return f_nan(); }
  let u = 1.0 + x;
  if (u == 1.0) { return x; }
  return f_log(u) * (x / (u - 1.0));
}`,
  },
  expm1: {
    deps: ['exp'],
    code: `
fn f_expm1(x: f32) -> f32 {
  if (is_nan(x) || x == 0.0) { return x; }
  if (x > 88.72284) { return f_inf(); }
  if (x < -17.0) { return -1.0; }
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
  return copy_sign(floor(x), x);
}
fn f_ceil(x: f32) -> f32 {
  if (is_nan(x) || !(f_abs(x) < 8388608.0)) { return x; }
  return copy_sign(ceil(x), x);
}`,
  },
  sign: {
    deps: ['bits'],
    code: `
fn f_sign(x: f32) -> f32 {
  if (is_nan(x)) { return x; }
  return select(select(0.0, -1.0, x < 0.0), 1.0, x > 0.0);
}`,
  },
  trig: {
    deps: ['bits'],
    code: `
// The builtins may be as coarse as 2^-11 absolute (SwiftShader's sin(1) is off by 2e-5), so: Cody-Waite
// reduction by π/2 in three parts, then cephes' sinf/cosf polynomials on [-π/4, π/4] (about 1 ulp).
// Accurate while |x| < 1e5 or so; past that float32 has no digits of x mod 2π left anyway.
fn sin_poly(r: f32) -> f32 {
  let z = r * r;
  return ((-1.9515295891e-4 * z + 8.3321608736e-3) * z - 1.6666654611e-1) * z * r + r;
}
fn cos_poly(r: f32) -> f32 {
  let z = r * r;
  return ((2.443315711809948e-5 * z - 1.388731625493765e-3) * z + 4.166664568298827e-2) * z * z - 0.5 * z + 1.0;
}
// sin(x + quarter·π/2) for quarter in 0..3.
fn sin_quadrant(x: f32, quarter: u32) -> f32 {
  if (is_nan(x) || is_inf(x)) { return f_nan(); }
  let q = round(x * 0.63661977236758134);
  let r = ((x - q * 1.5703125) - q * 4.837512969970703125e-4) - q * 7.54978995489188216e-8;
  let k = (u32(i32(q) & 3) + quarter) & 3u;
  var v: f32;
  if ((k & 1u) == 0u) { v = sin_poly(r); } else { v = cos_poly(r); }
  if (k >= 2u) { v = -v; }
  return v;
}
fn f_sin(x: f32) -> f32 { if (x == 0.0) { return x; } return sin_quadrant(x, 0u); }
fn f_cos(x: f32) -> f32 { return sin_quadrant(x, 1u); }`,
  },
  pow: {
    deps: ['bits'],
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
// x ** y with JavaScript's (the cpu backend's) special cases.
fn f_pow(x: f32, y: f32) -> f32 {
  if (y == 0.0) { return 1.0; }
  if (is_nan(x) || is_nan(y)) { return f_nan(); }
  let ax = f_abs(x);
  if (is_inf(y)) {
    if (ax == 1.0) { return f_nan(); }
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
    let e = y * log2(ax);
    if (e > 128.0) { r = f_inf(); } else if (e < -150.0) { r = 0.0; } else { r = exp2(e); }
  }
  return select(r, -r, x < 0.0 && odd);
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
