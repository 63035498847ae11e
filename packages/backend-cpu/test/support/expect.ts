import { expect } from 'vitest';

/** Element-for-element identity, NaN equal to NaN and -0 distinct from +0 (Object.is). */
export function expectSame(actual: ArrayLike<number>, expected: ArrayLike<number>, what = ''): void {
  expect(actual.length, `${what} length`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (!Object.is(actual[i], expected[i])) {
      throw new Error(`${what} differs at ${i}: got ${fmtNum(actual[i])}, expected ${fmtNum(expected[i])}`);
    }
  }
}

/** |actual - expected| <= atol + rtol·|expected| everywhere; NaN and ±Inf must match exactly. */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, rtol = 1e-5, atol = 1e-6, what = ''): void {
  expect(actual.length, `${what} length`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    const ok = Number.isFinite(e) ? Math.abs(a - e) <= atol + rtol * Math.abs(e) : Object.is(a, e);
    if (!ok) throw new Error(`${what} differs at ${i}: got ${fmtNum(a)}, expected ${fmtNum(e)}`);
  }
}

const fmtNum = (v: number) => (Object.is(v, -0) ? '-0' : String(v));
