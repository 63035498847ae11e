/** i32 helpers matching the cpu backend, which computes in float64 and stores through ToInt32. */

/** float32 → int32 as a typed array stores it: truncation, NaN/±Inf → 0, wrapping modulo 2³². */
/**
 * Cast's float → int32: truncation toward zero, saturating beyond int32's range, NaN → 0 (tested
 * on the bits, whatever the compiler assumes about NaN).
 */
export const F32_TO_I32_SATURATING = `
fn f32_to_i32_sat(x: f32) -> i32 {
  let bits = bitcast<u32>(x);
  if ((bits & 0x7fffffffu) > 0x7f800000u) { return 0; }
  if (x >= 2147483648.0) { return 2147483647; }
  if (x <= -2147483648.0) { return -2147483647 - 1; }
  return i32(trunc(x));
}`;

export const F32_TO_I32 = `
fn f32_to_i32(x: f32) -> i32 {
  let bits = bitcast<u32>(x);
  let e = (bits >> 23u) & 0xffu;
  if (e == 0xffu) { return 0; }
  if (e < 158u) { return i32(trunc(x)); }
  // |x| >= 2^31 is the integer m · 2^(e - 150) with a 24-bit m: keep its low 32 bits.
  let shift = e - 150u;
  var w = 0u;
  if (shift < 32u) { w = ((bits & 0x7fffffu) | 0x800000u) << shift; }
  if ((bits & 0x80000000u) != 0u) { w = ~w + 1u; }
  return bitcast<i32>(w);
}`;

/** Division truncating toward zero; x / 0 is 0 (ToInt32 of ±Infinity or NaN). */
export const I32_DIV = `
fn i32_div(a: i32, b: i32) -> i32 {
  if (b == 0) { return 0; }
  return a / b;
}`;

/** a ** b on integers: exact (wrapping) for b >= 0; a fraction truncated to 0 for b < 0 unless |a| = 1. */
export const I32_POW = `
fn i32_pow(a: i32, b: i32) -> i32 {
  if (b < 0) {
    if (a == 1) { return 1; }
    if (a == -1) { return select(1, -1, (b & 1) != 0); }
    return 0;
  }
  var result = 1;
  var base = a;
  var e = u32(b);
  loop {
    if ((e & 1u) != 0u) { result = result * base; }
    e = e >> 1u;
    if (e == 0u) { break; }
    base = base * base;
  }
  return result;
}`;
