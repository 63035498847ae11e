/**
 * Elementwise closeness with float32-appropriate tolerance. NaN equals NaN, infinities must match
 * in sign, and a zero's sign is checked only where the case says it is IEEE arithmetic.
 */
import type { Tensor } from '@surrograd/core';
import type { Values } from './decode.js';
import type { Tolerance } from './options.js';

export interface Expected {
  shape: readonly number[];
  dtype: string;
  values: ArrayLike<number>;
}

export interface CompareOptions {
  signedZeros?: boolean;
  /** Elements not held to the expected value (e.g. a derivative at a NaN input). */
  ignore?: (index: number) => boolean;
}

function fmtShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

function fmtValue(v: number): string {
  return Object.is(v, -0) ? '-0' : String(v);
}

/** Why `actual` is not close to `expected`, or null when it is. */
export function mismatch(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tol: Tolerance,
  options: CompareOptions = {},
): string | null {
  if (actual.length !== expected.length) return `has ${actual.length} values, expected ${expected.length}`;
  const bad: string[] = [];
  let count = 0;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i] as number;
    const e = expected[i] as number;
    if (options.ignore?.(i) || close(a, e, tol, options.signedZeros ?? false)) continue;
    count++;
    if (bad.length < 6) bad.push(`[${i}] got ${fmtValue(a)}, expected ${fmtValue(e)}`);
  }
  if (count === 0) return null;
  return `${count} of ${expected.length} values differ (rtol ${tol.rtol}, atol ${tol.atol}): ${bad.join('; ')}${count > bad.length ? '; …' : ''}`;
}

export function close(a: number, e: number, tol: Tolerance, signedZeros: boolean): boolean {
  if (Number.isNaN(e)) return Number.isNaN(a);
  if (!Number.isFinite(e)) return a === e;
  if (!Number.isFinite(a)) return false;
  if (signedZeros && e === 0 && a === 0) return Object.is(a, e);
  return Math.abs(a - e) <= tol.atol + tol.rtol * Math.abs(e);
}

/** Throws a message naming `label`, shapes and the first differing values. */
export async function expectTensorClose(
  label: string,
  actual: Tensor,
  expected: Expected,
  tol: Tolerance,
  options: CompareOptions = {},
): Promise<void> {
  const shapeOk = actual.shape.length === expected.shape.length && actual.shape.every((d, i) => d === expected.shape[i]);
  if (!shapeOk) {
    throw new Error(`${label}: shape ${fmtShape(actual.shape)}, expected ${fmtShape(expected.shape)}`);
  }
  if (actual.dtype !== expected.dtype) throw new Error(`${label}: dtype ${actual.dtype}, expected ${expected.dtype}`);
  const values = (await actual.data()) as Values;
  const exact = expected.dtype === 'int32' || expected.dtype === 'bool';
  const why = mismatch(values, expected.values, exact ? { rtol: 0, atol: 0 } : tol, options);
  if (why) throw new Error(`${label} ${fmtShape(expected.shape)}: ${why}`);
}

export function isAllZero(values: ArrayLike<number>): boolean {
  for (let i = 0; i < values.length; i++) if (values[i] !== 0) return false;
  return true;
}

/** Throws unless |actual[i] - expected[i]| <= bound[i] everywhere (non-finite values must match). */
export function expectWithin(label: string, actual: ArrayLike<number>, expected: ArrayLike<number>, bound: (i: number) => number): void {
  if (actual.length !== expected.length) throw new Error(`${label}: ${actual.length} values, expected ${expected.length}`);
  const bad: string[] = [];
  let count = 0;
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i] as number;
    const e = expected[i] as number;
    const ok = Number.isFinite(e) ? Number.isFinite(a) && Math.abs(a - e) <= bound(i) : close(a, e, { rtol: 0, atol: 0 }, false);
    if (ok) continue;
    count++;
    if (bad.length < 6) bad.push(`[${i}] got ${a}, expected ${e} ± ${bound(i)}`);
  }
  if (count > 0) throw new Error(`${label}: ${count} of ${expected.length} values differ: ${bad.join('; ')}`);
}
