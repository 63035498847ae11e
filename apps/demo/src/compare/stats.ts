/**
 * The statistics of a comparison over seeds: means with t-based 95% intervals, the paired t-test
 * (seeds pair runs: same initialization and data order), an exact sign-flip permutation test, and
 * Holm's step-down correction. Student's t distribution comes
 * from stdlib; what is written here is the textbook arithmetic around it.
 */
import tCdf from '@stdlib/stats-base-dists-t-cdf';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';

/** The mean of n values with its 95% confidence interval (t with n − 1 degrees of freedom). */
export interface Estimate {
  n: number;
  mean: number;
  /** Sample standard deviation (n − 1); 0 for one value. */
  sd: number;
  /** NaN bounds when n < 2: one run says nothing of the spread. */
  ci95: [number, number];
}

export function estimate(values: readonly number[]): Estimate {
  const n = values.length;
  if (n === 0) return { n, mean: Number.NaN, sd: Number.NaN, ci95: [Number.NaN, Number.NaN] };
  const mean = sum(values) / n;
  const sd = n > 1 ? Math.sqrt(sum(values.map((v) => (v - mean) ** 2)) / (n - 1)) : 0;
  const half = n > 1 ? tQuantile(0.975, n - 1) * (sd / Math.sqrt(n)) : Number.NaN;
  return { n, mean, sd, ci95: [mean - half, mean + half] };
}

/** A test of a difference a − b: its size, interval, statistic and two-sided p-value. */
export interface TestResult {
  n: number;
  /** Mean difference a − b. */
  difference: number;
  ci95: [number, number];
  t: number;
  df: number;
  p: number;
  /** Cohen's d_z: the mean difference over the differences' standard deviation. */
  effect: number;
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

/** Two-sided p of t with df degrees of freedom; an infinite t (no spread, a difference) gives 0. */
function twoSided(t: number, df: number): number {
  if (Number.isNaN(t)) return Number.NaN;
  return 2 * (1 - tCdf(Math.abs(t), df));
}

/**
 * The paired t-test of a[i] against b[i]. Differences with no spread give t = ±∞ and p = 0 when
 * they are not zero, and p = 1 when they all are (the two arms ran the same computation).
 */
export function pairedTTest(a: readonly number[], b: readonly number[]): TestResult {
  if (a.length !== b.length) throw new Error(`pairedTTest: ${a.length} values against ${b.length}; pairs need equal counts`);
  const d = a.map((v, i) => v - (b[i] as number));
  const { n, mean, sd } = estimate(d);
  const df = n - 1;
  if (n < 2) return { n, difference: mean, ci95: [Number.NaN, Number.NaN], t: Number.NaN, df, p: Number.NaN, effect: Number.NaN };
  const se = sd / Math.sqrt(n);
  if (se === 0) {
    const p = mean === 0 ? 1 : 0;
    return {
      n,
      difference: mean,
      ci95: [mean, mean],
      t: mean === 0 ? 0 : Math.sign(mean) * Infinity,
      df,
      p,
      effect: mean === 0 ? 0 : Math.sign(mean) * Infinity,
    };
  }
  const t = mean / se;
  const half = tQuantile(0.975, df) * se;
  return { n, difference: mean, ci95: [mean - half, mean + half], t, df, p: twoSided(t, df), effect: mean / sd };
}

/**
 * The exact two-sided sign-flip permutation test of paired differences: under "no difference" each
 * difference's sign is a coin flip, so p is the share of the 2ⁿ sign patterns whose |sum| reaches
 * the observed one. It assumes no normality; with n pairs p can be no smaller than 2/2ⁿ (1/16 for 5).
 */
export function signFlipTest(differences: readonly number[]): number {
  const n = differences.length;
  if (n === 0) return Number.NaN;
  if (n > 20) throw new Error(`signFlipTest: ${n} pairs would need 2^${n} sign patterns; at most 20 are enumerated`);
  const observed = Math.abs(sum(differences));
  // A tolerance for float sums that equal the observed one in exact arithmetic.
  const tolerance =
    1e-12 *
    Math.max(
      1,
      differences.reduce((a, d) => a + Math.abs(d), 0),
    );
  let atLeast = 0;
  for (let mask = 0; mask < 1 << n; mask++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += mask & (1 << i) ? -(differences[i] as number) : (differences[i] as number);
    if (Math.abs(s) >= observed - tolerance) atLeast++;
  }
  return atLeast / (1 << n);
}

/**
 * Holm's step-down adjustment of a family of p-values (in the given order): the k-th smallest is
 * multiplied by (m − k + 1), made non-decreasing, capped at 1. NaN p-values (untestable) stay NaN and
 * do not count in m.
 */
export function holm(pValues: readonly number[]): number[] {
  const tested = pValues.map((p, i) => ({ p, i })).filter(({ p }) => !Number.isNaN(p));
  tested.sort((x, y) => x.p - y.p);
  const m = tested.length;
  const adjusted = pValues.map(() => Number.NaN);
  let running = 0;
  tested.forEach(({ p, i }, k) => {
    running = Math.max(running, Math.min(1, (m - k) * p));
    adjusted[i] = running;
  });
  return adjusted;
}
