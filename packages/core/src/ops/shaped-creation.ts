/** Creation functions with a structure: linspace, eye. */
import { allocArray, type DType, isFloat } from '../dtype.js';
import { show } from '../shape.js';
import type { Tensor } from '../tensor.js';
import { fromValues } from './creation.js';

function assertCount(op: string, what: string, v: unknown): asserts v is number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0)
    throw new RangeError(`${op}: ${what} must be a non-negative integer, got ${show(v)}`);
}

/**
 * `steps` values evenly spaced from `start` to `end`, both included, as PyTorch's `linspace`
 * (float32; computed from both ends, so the last value is exactly `end`).
 */
export function linspace(start: number, end: number, steps: number, options: { dtype?: DType } = {}): Tensor {
  if (typeof start !== 'number' || typeof end !== 'number' || !Number.isFinite(start) || !Number.isFinite(end)) {
    throw new TypeError(`linspace: start and end must be finite numbers, got ${show(start)} and ${show(end)}`);
  }
  assertCount('linspace', 'steps', steps);
  const dtype = options.dtype ?? 'float32';
  const values = allocArray(dtype, steps);
  const step = steps > 1 ? (end - start) / (steps - 1) : 0;
  const half = Math.floor(steps / 2);
  for (let i = 0; i < steps; i++) values[i] = i < half ? start + i * step : end - (steps - 1 - i) * step;
  if (!isFloat(dtype)) for (let i = 0; i < steps; i++) values[i] = Math.trunc(start + i * step);
  return fromValues(values, [steps], dtype, 'linspace');
}

/** The identity matrix [n, m] (m defaults to n), as PyTorch's `eye`. */
export function eye(n: number, m: number = n, options: { dtype?: DType } = {}): Tensor {
  assertCount('eye', 'n', n);
  assertCount('eye', 'm', m);
  const dtype = options.dtype ?? 'float32';
  const values = allocArray(dtype, n * m);
  for (let i = 0; i < Math.min(n, m); i++) values[i * m + i] = 1;
  return fromValues(values, [n, m], dtype, 'eye');
}
