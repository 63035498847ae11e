/** The golden file scripts/goldens/make_snn.py writes, read as surrograd tensors. */
import { readFileSync } from 'node:fs';
import { type Tensor, tensor } from '@surrograd/core';
import { expect } from 'vitest';

type GoldenNumber = number | 'NaN' | 'Infinity' | '-Infinity' | '-0';
/** A tensor as the golden files store it. */
export interface GoldenTensor {
  shape: number[];
  dtype: 'float32';
  data: GoldenNumber[];
}

/** One neuron run: inputs, what each step gives, and the gradients. */
export interface NeuronRun {
  name: string;
  neuron: string;
  options: Record<string, unknown>;
  source: string;
  input: GoldenTensor;
  /** The state forward takes after the input, in order (Leaky: mem; RLeaky: spk, mem). */
  stateNames: string[];
  /** What forward returns, in order. */
  outputNames: string[];
  /** Values of the learnable parameters (and given weights) to load before stepping. */
  params: Record<string, GoldenTensor>;
  spk: GoldenTensor;
  states: Record<string, GoldenTensor>;
  cotangents: Record<string, GoldenTensor>;
  grads: Record<string, GoldenTensor>;
}

const number = (v: GoldenNumber): number =>
  typeof v === 'number' ? v : v === 'NaN' ? Number.NaN : v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : -0;

export const values = (g: GoldenTensor): Float32Array => Float32Array.from(g.data.map(number));
export const goldenTensor = (g: GoldenTensor, requiresGrad = false): Tensor => tensor(values(g), { shape: g.shape, requiresGrad });

export function loadRuns(): NeuronRun[] {
  const file = new URL('../../goldens/snn.json', import.meta.url);
  return (JSON.parse(readFileSync(file, 'utf8')) as { runs: NeuronRun[] }).runs;
}

/** Each value within atol + rtol·|expected| of the golden, or the first that is not, named. */
export async function expectClose(label: string, got: Tensor, want: GoldenTensor, atol = 1e-5, rtol = 1e-5): Promise<void> {
  expect(got.shape, `${label}: shape`).toEqual(want.shape);
  const g = await got.data();
  const w = values(want);
  for (let i = 0; i < w.length; i++) {
    const [a, e] = [g[i] as number, w[i] as number];
    if (!(Math.abs(a - e) <= atol + rtol * Math.abs(e))) throw new Error(`${label}: [${i}] is ${a}, snnTorch's equations give ${e}`);
  }
}
