const TWO_32: f64 = 4294967296.0;

/**
 * JavaScript's ToInt32, which typed-array stores use: truncate toward zero, NaN and ±Inf become 0,
 * values beyond the int32 range wrap modulo 2³². The cpu reference stores this way.
 */
export function toInt32(x: f64): i32 {
  if (x > -2147483649.0 && x < 2147483648.0) return <i32>x;
  if (!isFinite(x)) return 0;
  const t = trunc(x);
  const r = t - floor(t / TWO_32) * TWO_32; // in [0, 2³²)
  return <i32>(<u32>r);
}
