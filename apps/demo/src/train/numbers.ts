/**
 * Numbers typed by a person (CLI flags, the page's inputs), read as decimal text only:
 * Number('') is 0 and Number('0x1') is 1, neither of which anyone meant.
 */
const DECIMAL_INT = /^\s*\d+\s*$/;
const DECIMAL = /^\s*\+?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?\s*$/i;

/** `label` names the input in the error (`--epochs`, `steps`). */
export function parsePositiveInt(label: string, value: string): number {
  const n = Number(value);
  if (!DECIMAL_INT.test(value) || !Number.isSafeInteger(n) || n <= 0)
    throw new Error(`${label} must be a positive integer, got '${value}'`);
  return n;
}

export function parseNonNegativeInt(label: string, value: string): number {
  const n = Number(value);
  if (!DECIMAL_INT.test(value) || !Number.isSafeInteger(n)) throw new Error(`${label} must be a non-negative integer, got '${value}'`);
  return n;
}

export function parsePositiveNumber(label: string, value: string): number {
  const n = Number(value);
  if (!DECIMAL.test(value) || !(n > 0) || !Number.isFinite(n)) throw new Error(`${label} must be a positive number, got '${value}'`);
  return n;
}
