/**
 * x ** y with IEEE 754's special cases, as the cpu reference: 1 ** y = 1 for every y (NaN too)
 * and (-1) ** ±Infinity = 1, whatever the library pow does there.
 */
@inline export function ieeePow(x: f64, y: f64): f64 {
  if (x == 1.0 || (x == -1.0 && isInfinite(y))) return 1.0;
  return Math.pow(x, y);
}

@inline function isInfinite(y: f64): bool {
  return y == Infinity || y == -Infinity;
}
