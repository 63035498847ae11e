const TWO_OVER_SQRT_PI = 1.1283791670955126;
const ONE_OVER_SQRT_PI = 0.5641895835477563;

/** Past this |x|, erf rounds to ±1 in float64 (erfc(6) ≈ 2e-17). */
const SATURATED = 6;
/** Below this |x| the series converges in few terms; above it the continued fraction does. */
const SERIES_LIMIT = 2.5;
/** Continued-fraction depth: enough for full float64 precision from SERIES_LIMIT up. */
const FRACTION_DEPTH = 60;

/**
 * erf to within a few ulp of float64, for gradcheck. JavaScript has no Math.erf.
 * |x| < 2.5: erf x = 2/√π · e^{-x²} · Σ 2ⁿ x^{2n+1} / (1·3·…·(2n+1)), whose terms all share
 * x's sign, so nothing cancels. Larger |x|: erfc x = e^{-x²}/√π · 1/(x + ½/(x + 1/(x + 3⁄2/(x + …)))).
 */
export function erf(x: number): number {
  const ax = Math.abs(x);
  if (!(ax < SATURATED)) return Number.isNaN(x) ? x : Math.sign(x);
  const x2 = x * x;
  if (ax < SERIES_LIMIT) {
    let term = x;
    let sum = x;
    for (let k = 3; Math.abs(term) > Math.abs(sum) * 1e-17; k += 2) {
      term *= (2 * x2) / k;
      sum += term;
    }
    return TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
  }
  let fraction = ax;
  for (let n = FRACTION_DEPTH; n >= 1; n--) fraction = ax + n / 2 / fraction;
  const erfc = (ONE_OVER_SQRT_PI * Math.exp(-x2)) / fraction;
  return x > 0 ? 1 - erfc : erfc - 1;
}

/** Round half to even, as PyTorch and numpy round. */
export function roundHalfEven(v: number): number {
  const r = Math.round(v); // half up
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** The logistic function 1 / (1 + e⁻ˣ), in float64. */
export function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/**
 * x ** y with IEEE 754's (and C's, PyTorch's) special cases where JavaScript's `**` differs:
 * 1 ** y = 1 for every y, NaN included, and (-1) ** ±Infinity = 1 (JavaScript gives NaN).
 */
export function pow(x: number, y: number): number {
  if (x === 1 || (x === -1 && (y === Number.POSITIVE_INFINITY || y === Number.NEGATIVE_INFINITY))) return 1;
  return x ** y;
}
