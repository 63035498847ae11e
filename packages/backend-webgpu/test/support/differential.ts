/**
 * Differential testing against the reference: run one kernel on cpu and on webgpu with the same
 * host inputs and compare every output value.
 */
import '@surrograd/backend-cpu';
import '../../src/index.js';
import { type Attrs, type DType, runKernel, setBackend, type Tensor, type TypedArray, tensor } from '@surrograd/core';
import { expect } from 'vitest';

export interface HostTensor {
  values: ArrayLike<number>;
  shape: number[];
  dtype?: DType;
}

export const host = (values: ArrayLike<number>, shape: number[] = [values.length], dtype: DType = 'float32'): HostTensor => ({
  values,
  shape,
  dtype,
});

export interface Result {
  shape: number[];
  dtype: DType;
  values: TypedArray;
}

export async function runOn(backend: string, kernel: string, inputs: readonly HostTensor[], attrs: Attrs): Promise<Result[]> {
  await setBackend(backend);
  const ts = inputs.map((h) =>
    tensor(h.dtype === 'float32' || h.dtype === undefined ? Float32Array.from(h.values) : Array.from(h.values), {
      shape: h.shape,
      dtype: h.dtype ?? 'float32',
    }),
  );
  try {
    const out = runKernel<Tensor | Tensor[]>(kernel, ts, attrs);
    const outs = Array.isArray(out) ? out : [out];
    const results = await Promise.all(outs.map(async (t) => ({ shape: [...t.shape], dtype: t.dtype, values: await t.data() })));
    for (const t of outs) t.dispose();
    return results;
  } finally {
    for (const t of ts) t.dispose();
  }
}

export interface Tolerance {
  rtol?: number;
  atol?: number;
  /** Compare the sign of zeros too. */
  signedZeros?: boolean;
}

function close(a: number, e: number, tol: Required<Tolerance>): boolean {
  if (Number.isNaN(e)) return Number.isNaN(a);
  if (!Number.isFinite(e)) return a === e;
  if (tol.signedZeros && e === 0 && a === 0) return Object.is(a, e);
  return Math.abs(a - e) <= tol.atol + tol.rtol * Math.abs(e);
}

/** Runs `kernel` on both backends and expects webgpu's outputs to match cpu's. */
export async function expectSameAsCpu(
  kernel: string,
  inputs: readonly HostTensor[],
  attrs: Attrs,
  tolerance: Tolerance = {},
): Promise<void> {
  const want = await runOn('cpu', kernel, inputs, attrs);
  const got = await runOn('webgpu', kernel, inputs, attrs);
  const tol = { rtol: 0, atol: 0, signedZeros: false, ...tolerance };
  expect(got.length).toBe(want.length);
  want.forEach((w, k) => {
    const g = got[k] as Result;
    expect(g.shape, `${kernel} output ${k} shape`).toEqual(w.shape);
    expect(g.dtype, `${kernel} output ${k} dtype`).toBe(w.dtype);
    const exact = w.dtype !== 'float32';
    const bad: string[] = [];
    for (let i = 0; i < w.values.length; i++) {
      const a = g.values[i] as number;
      const e = w.values[i] as number;
      const ok = exact ? a === e : close(a, e, tol);
      if (!ok && bad.length < 8) {
        const input = inputs.map((h) => h.values[i % Math.max(1, h.values.length)]).join(', ');
        bad.push(`[${i}] (inputs ${input}) webgpu ${Object.is(a, -0) ? '-0' : a}, cpu ${Object.is(e, -0) ? '-0' : e}`);
      }
    }
    expect(bad, `${kernel} ${JSON.stringify(attrs)} output ${k}`).toEqual([]);
  });
}

/** Deterministic pseudo-random floats in [-scale, scale). */
export function randomValues(n: number, seed: number, scale = 2): Float32Array {
  let s = seed >>> 0 || 1;
  return Float32Array.from({ length: n }, () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return ((s / 2 ** 32) * 2 - 1) * scale;
  });
}
