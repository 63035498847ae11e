/**
 * What every property run shares: leaves built from plain arrays, outputs read back, comparisons
 * that name the op and the first bad element, and memory() unchanged once the run is disposed.
 */
import { type DType, isFloat, type Tensor, tensor, tidy } from '@surrograd/core';
import type { Tolerance } from './options.js';
import { expectSameMemory, snapshot } from './snapshot.js';

/** Throws naming the first entry outside atol + rtol·scale, where scale is |expected| or a magnitude bound. NaN matches NaN, ±Infinity itself. */
export function expectClose(
  label: string,
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tol: Tolerance,
  scale: ArrayLike<number> = expected,
): void {
  if (actual.length !== expected.length) throw new Error(`${label}: ${actual.length} values, expected ${expected.length}`);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i] as number;
    const e = expected[i] as number;
    if (Number.isNaN(e) && Number.isNaN(a)) continue;
    if (a === e) continue;
    if (!(Math.abs(a - e) <= tol.atol + tol.rtol * Math.abs(scale[i] as number))) {
      throw new Error(`${label}: element ${i} is ${a}, expected ${e} (atol ${tol.atol}, rtol ${tol.rtol})`);
    }
  }
}

/** As {@link expectClose}, each element passing if it is close to the same element of either expectation (e.g. float64 and float32 evaluations). */
export function expectCloseToEither(
  label: string,
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  alternative: ArrayLike<number>,
  tol: Tolerance,
): void {
  if (actual.length !== expected.length) throw new Error(`${label}: ${actual.length} values, expected ${expected.length}`);
  const near = (a: number, e: number) =>
    (Number.isNaN(a) && Number.isNaN(e)) || a === e || Math.abs(a - e) <= tol.atol + tol.rtol * Math.abs(e);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i] as number;
    const e = expected[i] as number;
    const alt = alternative[i] as number;
    if (near(a, e) || near(a, alt)) continue;
    const also = Object.is(e, alt) ? '' : ` (or ${alt} in float32 arithmetic)`;
    throw new Error(`${label}: element ${i} is ${a}, expected ${e}${also} (atol ${tol.atol}, rtol ${tol.rtol})`);
  }
}

/** Exact equality (NaN matches NaN; the sign of a zero is not checked): for data movement, int32 and bool results. */
export function expectExact(label: string, actual: ArrayLike<number>, expected: ArrayLike<number>): void {
  if (actual.length !== expected.length) throw new Error(`${label}: ${actual.length} values, expected ${expected.length}`);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i] as number;
    const e = expected[i] as number;
    if (a === e || (Number.isNaN(a) && Number.isNaN(e))) continue;
    throw new Error(`${label}: element ${i} is ${a}, expected ${e}`);
  }
}

export function expectShape(label: string, actual: readonly number[], expected: readonly number[]): void {
  if (actual.length !== expected.length || actual.some((d, i) => d !== expected[i])) {
    throw new Error(`${label}: shape [${actual.join(', ')}], expected [${expected.join(', ')}]`);
  }
}

export function expectDType(label: string, actual: DType, expected: DType): void {
  if (actual !== expected) throw new Error(`${label}: dtype ${actual}, expected ${expected}`);
}

/** A leaf of a property run: float32 leaves require grad unless `grad` is false. */
export interface Leaf {
  shape: readonly number[];
  data: readonly number[];
  dtype?: DType;
  grad?: boolean;
}

/** The typed array `tensor` stores for `dtype` (bool as 0/1 bytes). */
export function typedData(data: readonly number[], dtype: DType): Float32Array | Float64Array | Int32Array | Uint8Array {
  switch (dtype) {
    case 'float32':
      return Float32Array.from(data);
    case 'float64':
      return Float64Array.from(data);
    case 'int32':
      return Int32Array.from(data);
    case 'bool':
      return Uint8Array.from(data, (v) => (v !== 0 ? 1 : 0));
  }
}

/**
 * Builds the leaves, runs `compute` in tidy keeping its outputs, reads outputs and gradients (zeros
 * where none arrived), hands them to `check`, disposes everything and checks nothing leaked.
 */
export async function withLeaves(
  leaves: readonly Leaf[],
  compute: (...xs: Tensor[]) => Tensor[],
  check: (outputs: Tensor[], reads: ArrayLike<number>[], grads: ArrayLike<number>[]) => void,
): Promise<void> {
  const before = snapshot();
  const xs = leaves.map((l) => {
    const dtype = l.dtype ?? 'float32';
    return tensor(typedData(l.data, dtype), { shape: [...l.shape], requiresGrad: isFloat(dtype) && l.grad !== false });
  });
  let outputs: Tensor[] = [];
  try {
    outputs = tidy(() => compute(...xs));
    const reads: ArrayLike<number>[] = [];
    const grads: ArrayLike<number>[] = [];
    for (const o of outputs) reads.push(await o.data());
    for (const x of xs) grads.push(x.grad ? await x.grad.data() : new Float32Array(x.size));
    check(outputs, reads, grads);
  } finally {
    for (const t of [...outputs, ...xs.map((x) => x.grad), ...xs]) t?.dispose();
  }
  expectSameMemory('after one property run', before, snapshot());
}
