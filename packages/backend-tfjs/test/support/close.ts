import { expect } from 'vitest';

/** |a - e| <= atol + rtol·|e| elementwise, NaN equal to NaN; the message names the first few differences. */
export function expectClose(label: string, actual: ArrayLike<number>, expected: ArrayLike<number>, rtol = 1e-4, atol = 1e-5): void {
  expect(actual.length, `${label}: length`).toBe(expected.length);
  const bad: string[] = [];
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i] as number;
    const e = expected[i] as number;
    const ok = Number.isNaN(e) ? Number.isNaN(a) : a === e || Math.abs(a - e) <= atol + rtol * Math.abs(e);
    if (!ok) bad.push(`[${i}] got ${a}, expected ${e}`);
  }
  expect(bad.slice(0, 6), `${label}: ${bad.length} of ${expected.length} differ`).toEqual([]);
}
