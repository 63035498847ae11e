import { describe, expect, it } from 'vitest';
import { estimate, holm, pairedTTest, signFlipTest } from '../src/compare/stats.js';

// Student's sleep data (Cushny & Peebles 1905), extra hours of sleep under two drugs, the same ten
// patients. The expected numbers are R's `t.test(..., paired = TRUE)` on it.
const drug1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0];
const drug2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4];

describe('stats', () => {
  it('estimate: mean, sd and the t-based 95% interval', () => {
    const e = estimate([1, 2, 3, 4, 5]);
    expect(e.mean).toBe(3);
    expect(e.sd).toBeCloseTo(Math.sqrt(2.5), 12);
    // t(0.975, 4) = 2.776445; half-width 2.776445 · sqrt(2.5)/sqrt(5).
    expect(e.ci95[0]).toBeCloseTo(3 - 2.776445105 * Math.sqrt(0.5), 6);
    expect(e.ci95[1]).toBeCloseTo(3 + 2.776445105 * Math.sqrt(0.5), 6);
    expect(estimate([7]).ci95.every(Number.isNaN)).toBe(true);
    expect(Number.isNaN(estimate([]).mean)).toBe(true);
  });

  it('pairedTTest matches R on the sleep data', () => {
    const r = pairedTTest(drug1, drug2);
    expect(r.difference).toBeCloseTo(-1.58, 10);
    expect(r.t).toBeCloseTo(-4.062128, 5);
    expect(r.df).toBe(9);
    expect(r.p).toBeCloseTo(0.00283289, 6);
    expect(r.ci95[0]).toBeCloseTo(-2.4598858, 6);
    expect(r.ci95[1]).toBeCloseTo(-0.7001142, 6);
    expect(r.effect).toBeCloseTo(-1.58 / 1.2299955, 5);
  });

  it('the paired test without spread: p 1 for no difference, 0 for a constant one', () => {
    expect(pairedTTest([1, 2, 3], [1, 2, 3]).p).toBe(1);
    expect(pairedTTest([2, 3, 4], [1, 2, 3]).p).toBe(0);
    expect(Number.isNaN(pairedTTest([1], [2]).p)).toBe(true);
    expect(() => pairedTTest([1, 2], [1])).toThrow(/2 values against 1/);
  });

  it('signFlipTest enumerates every sign pattern', () => {
    // Nine negative differences and a zero: only "all the same sign" reaches |sum| (2 × 2 of 1024).
    const d = drug1.map((v, i) => v - (drug2[i] as number));
    expect(signFlipTest(d)).toBeCloseTo(4 / 1024, 12);
    // Five pairs can't go below 2/32.
    expect(signFlipTest([1, 2, 3, 4, 5])).toBeCloseTo(2 / 32, 12);
    // Balanced signs: every pattern reaches |0|.
    expect(signFlipTest([1, -1])).toBe(1);
    expect(() => signFlipTest(Array(21).fill(1))).toThrow(/at most 20/);
  });

  it('holm matches R p.adjust(..., "holm") and leaves NaN out of the family', () => {
    const adjusted = holm([0.01, 0.04, 0.03, 0.005]);
    for (const [i, v] of [0.03, 0.06, 0.06, 0.02].entries()) expect(adjusted[i]).toBeCloseTo(v, 12);
    const withNaN = holm([0.02, Number.NaN, 0.6]);
    expect(withNaN[0]).toBeCloseTo(0.04, 12);
    expect(Number.isNaN(withNaN[1] as number)).toBe(true);
    expect(withNaN[2]).toBeCloseTo(0.6, 12);
    expect(holm([0.9, 0.3])).toEqual([0.9, 0.6]);
  });
});
