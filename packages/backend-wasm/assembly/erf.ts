const TWO_OVER_SQRT_PI: f64 = 1.1283791670955126;
const ONE_OVER_SQRT_PI: f64 = 0.5641895835477563;
/** Past this |x|, erf rounds to ±1 in f64. */
const SATURATED: f64 = 6;
/** Below this |x| the series converges in few terms; above it the continued fraction does. */
const SERIES_LIMIT: f64 = 2.5;
const FRACTION_DEPTH = 60;

/**
 * erf within a few f64 ulp (the reference backend's algorithm): the Maclaurin-type series
 * 2/√π·e^{-x²}·Σ 2ⁿx^{2n+1}/(1·3·…·(2n+1)) below |x| = 2.5, whose terms share x's sign, and the
 * continued fraction of erfc above.
 */
export function erf(x: f64): f64 {
  const ax = abs(x);
  if (!(ax < SATURATED)) return isNaN(x) ? x : x > 0 ? 1 : -1;
  const x2 = x * x;
  if (ax < SERIES_LIMIT) {
    let term = x;
    let sum = x;
    for (let k: f64 = 3; abs(term) > abs(sum) * 1e-17; k += 2) {
      term *= (2 * x2) / k;
      sum += term;
    }
    return TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
  }
  let fraction = ax;
  for (let n = FRACTION_DEPTH; n >= 1; n--) fraction = ax + <f64>n / 2 / fraction;
  const erfc = (ONE_OVER_SQRT_PI * Math.exp(-x2)) / fraction;
  return x > 0 ? 1 - erfc : erfc - 1;
}
