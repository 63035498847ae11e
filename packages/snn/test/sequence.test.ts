/**
 * Leaky.sequence (LifScan forward, reverse LinearScan backward) against the stepwise path it
 * replaces: the same spikes and membranes and the same gradients to the currents, β and the
 * threshold, on cpu and wasm; gradcheck in float64 on cpu; and the kernels against direct loops,
 * registered or composed.
 */

import {
  FusedKernels,
  getKernel,
  gradcheck,
  memory,
  randn,
  registerKernel,
  setBackend,
  stack,
  type Tensor,
  tensor,
  tidy,
  unregisterKernel,
} from '@surrograd/core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ALIF,
  Alpha,
  Lapicque,
  type LapicqueOptions,
  Leaky,
  type LeakyOptions,
  RLeaky,
  RSynaptic,
  Synaptic,
  type SynapticOptions,
} from '../src/index.js';
import { BACKENDS, useBackend } from './support/backends.js';

/** Spikes, membranes and every gradient of one way of running the neuron, read back. */
async function runWay(options: LeakyOptions, shape: number[], seed: number, fused: boolean): Promise<Float32Array[]> {
  const lif = new Leaky({ ...options });
  const cur = tidy(() => randn(shape, { seed }).mul(0.8).add(0.35)).requiresGrad_(true);
  const outs = tidy(() => {
    let s: Tensor;
    let m: Tensor;
    if (fused) [s, m] = lif.sequence(cur);
    else {
      const spks: Tensor[] = [];
      const mems: Tensor[] = [];
      let state: Tensor | null = null;
      for (let t = 0; t < (shape[0] as number); t++) {
        const [a, b] = lif.forward(cur.select(0, t), state);
        spks.push(a);
        mems.push(b);
        state = b;
      }
      s = stack(spks);
      m = stack(mems);
    }
    s.mul(randn(s.shape, { seed: seed + 1 }))
      .sum()
      .add(m.mul(randn(m.shape, { seed: seed + 2 })).sum())
      .backward();
    return [s, m, cur.grad as Tensor, ...lif.parameters().map((p) => p.grad as Tensor)];
  });
  const values = await Promise.all(outs.map(async (t) => Float32Array.from(await t.data())));
  for (const t of [...outs, cur]) t.dispose();
  lif.dispose();
  return values;
}

function expectClose(label: string, got: Float32Array, want: Float32Array, tol: number): void {
  expect(got.length, label).toBe(want.length);
  for (let i = 0; i < want.length; i++) {
    const [a, e] = [got[i] as number, want[i] as number];
    if (!(Math.abs(a - e) <= tol * (1 + Math.abs(e)))) throw new Error(`${label}: [${i}] is ${a} fused, ${e} stepwise`);
  }
}

const CASES: [string, () => LeakyOptions, number[]][] = [
  ['subtract', () => ({ beta: 0.9 }), [12, 4, 6]],
  ['zero', () => ({ beta: 0.8, resetMechanism: 'zero' }), [10, 3, 5]],
  ['none', () => ({ beta: 0.7, resetMechanism: 'none' }), [8, 2, 4]],
  ['learnt β and threshold', () => ({ beta: 0.85, learnBeta: true, threshold: 0.7, learnThreshold: true }), [10, 3, 5]],
  ['per-neuron β, learnt', () => ({ beta: tensor([0.5, 0.9, 1.2, 0.7, 0.95]), learnBeta: true }), [9, 3, 5]],
  ['zero reset, learnt β and threshold', () => ({ beta: 0.9, learnBeta: true, learnThreshold: true, resetMechanism: 'zero' }), [9, 2, 6]],
  [
    'graded spikes, fastSigmoid',
    () => ({ beta: 0.9, gradedSpikesFactor: 0.5, surrogate: { surrogate: 'fastSigmoid', slope: 10 } }),
    [8, 3, 4],
  ],
  ['a SpikingJelly surrogate (spikes at U = thr)', () => ({ beta: 0.9, surrogate: 'piecewiseQuadratic' }), [8, 3, 4]],
  ['one step', () => ({ beta: 0.9, learnBeta: true }), [1, 3, 4]],
];

for (const backend of BACKENDS) {
  describe(`Leaky.sequence on ${backend}`, () => {
    beforeAll(() => useBackend(backend));

    for (const [name, options, shape] of CASES) {
      it(`equals the stepwise path: ${name}`, async () => {
        const before = memory().numTensors;
        const stepwise = await runWay(options(), shape, 7, false);
        const fused = await runWay(options(), shape, 7, true);
        const labels = ['spikes', 'membranes', 'd/dcurrents', 'd/dβ or threshold', 'd/dthreshold'];
        expect(fused.length).toBe(stepwise.length);
        // Spikes and membranes: the same float32 operations in the same order.
        expectClose('spikes', fused[0] as Float32Array, stepwise[0] as Float32Array, 0);
        expectClose('membranes', fused[1] as Float32Array, stepwise[1] as Float32Array, 0);
        // Gradients sum in another order: float32 rounding.
        for (let k = 2; k < fused.length; k++)
          expectClose(labels[k] as string, fused[k] as Float32Array, stepwise[k] as Float32Array, 2e-5);
        expect(memory().numTensors).toBe(before);
      });
    }

    it('steps instead where the scan does not apply (inhibition, no reset delay), to the same result', async () => {
      for (const options of [
        { beta: 0.9, inhibition: true },
        { beta: 0.9, resetDelay: false },
      ] as LeakyOptions[]) {
        const stepwise = await runWay(options, [6, 3, 4], 3, false);
        const fused = await runWay(options, [6, 3, 4], 3, true);
        for (let k = 0; k < fused.length; k++) expectClose(`output ${k}`, fused[k] as Float32Array, stepwise[k] as Float32Array, 0);
      }
    });

    it('composes the same scans from core ops on a backend without the kernels', async () => {
      const saved = [FusedKernels.LifScan, FusedKernels.LinearScan].map((name) => [name, getKernel(name, backend)] as const);
      const want = await runWay({ beta: 0.8, learnBeta: true, learnThreshold: true, resetMechanism: 'zero' }, [7, 3, 4], 11, true);
      for (const [name] of saved) unregisterKernel(name, backend);
      try {
        const got = await runWay({ beta: 0.8, learnBeta: true, learnThreshold: true, resetMechanism: 'zero' }, [7, 3, 4], 11, true);
        for (let k = 0; k < got.length; k++) expectClose(`output ${k}`, got[k] as Float32Array, want[k] as Float32Array, 2e-6);
      } finally {
        for (const [name, fn] of saved) if (fn) registerKernel({ name, backend, fn });
      }
    });
  });
}

/** Synaptic stepped or in sequence: spikes, currents, membranes and every gradient, read back. */
async function runSynaptic(options: SynapticOptions, shape: number[], seed: number, fused: boolean): Promise<Float32Array[]> {
  const neuron = new Synaptic({ ...options });
  const x = tidy(() => randn(shape, { seed }).mul(0.5).add(0.2)).requiresGrad_(true);
  const outs = tidy(() => {
    let outputs: Tensor[];
    if (fused) outputs = neuron.sequence(x);
    else {
      const rec: Tensor[][] = [[], [], []];
      let syn: Tensor | null = null;
      let mem: Tensor | null = null;
      for (let t = 0; t < (shape[0] as number); t++) {
        const step = neuron.forward(x.select(0, t), syn, mem);
        step.forEach((v, k) => void (rec[k] as Tensor[]).push(v));
        [, syn, mem] = step;
      }
      outputs = rec.map((r) => stack(r));
    }
    let loss = outputs[0]!.mul(randn(outputs[0]!.shape, { seed: seed + 1 })).sum();
    loss = loss.add(outputs[1]!.mul(randn(outputs[1]!.shape, { seed: seed + 2 })).sum());
    loss = loss.add(outputs[2]!.mul(randn(outputs[2]!.shape, { seed: seed + 3 })).sum());
    loss.backward();
    return [...outputs, x.grad as Tensor, ...neuron.parameters().map((p) => p.grad as Tensor)];
  });
  const values = await Promise.all(outs.map(async (t) => Float32Array.from(await t.data())));
  for (const t of [...outs, x]) t.dispose();
  neuron.dispose();
  return values;
}

for (const backend of BACKENDS) {
  describe(`Synaptic.sequence on ${backend}`, () => {
    beforeAll(() => useBackend(backend));
    const cases: [string, () => SynapticOptions][] = [
      ['subtract', () => ({ alpha: 0.6, beta: 0.9 })],
      ['none, learnt α and β', () => ({ alpha: 0.7, beta: 0.8, learnAlpha: true, learnBeta: true, resetMechanism: 'none' })],
      [
        'per-neuron α, learnt threshold',
        () => ({ alpha: tensor([0.2, 0.5, 0.9, 0.6]), beta: 0.85, learnAlpha: true, learnThreshold: true }),
      ],
      ['zero (steps)', () => ({ alpha: 0.6, beta: 0.9, resetMechanism: 'zero' })],
    ];
    for (const [name, options] of cases) {
      it(`equals the stepwise path: ${name}`, async () => {
        const before = memory().numTensors;
        const stepwise = await runSynaptic(options(), [10, 3, 4], 13, false);
        const fused = await runSynaptic(options(), [10, 3, 4], 13, true);
        expect(fused.length).toBe(stepwise.length);
        for (let k = 0; k < 3; k++) expectClose(`output ${k}`, fused[k] as Float32Array, stepwise[k] as Float32Array, 0);
        for (let k = 3; k < fused.length; k++)
          expectClose(`gradient ${k - 3}`, fused[k] as Float32Array, stepwise[k] as Float32Array, 2e-5);
        expect(memory().numTensors).toBe(before);
      });
    }
  });
}

/** Lapicque stepped or in sequence: spikes, membranes and the currents' gradient, read back. */
async function runLapicque(options: LapicqueOptions, shape: number[], seed: number, fused: boolean): Promise<Float32Array[]> {
  const neuron = new Lapicque({ ...options });
  const x = tidy(() => randn(shape, { seed }).mul(0.5).add(0.3)).requiresGrad_(true);
  const outs = tidy(() => {
    let spk: Tensor;
    let mem: Tensor;
    if (fused) [spk, mem] = neuron.sequence(x);
    else {
      const spks: Tensor[] = [];
      const mems: Tensor[] = [];
      let state: Tensor | null = null;
      for (let t = 0; t < (shape[0] as number); t++) {
        const [a, b] = neuron.forward(x.select(0, t), state);
        spks.push(a);
        mems.push(b);
        state = b;
      }
      [spk, mem] = [stack(spks), stack(mems)];
    }
    spk
      .mul(randn(spk.shape, { seed: seed + 1 }))
      .sum()
      .add(mem.mul(randn(mem.shape, { seed: seed + 2 })).sum())
      .backward();
    return [spk, mem, x.grad as Tensor];
  });
  const values = await Promise.all(outs.map(async (t) => Float32Array.from(await t.data())));
  for (const t of [...outs, x]) t.dispose();
  neuron.dispose();
  return values;
}

for (const backend of BACKENDS) {
  describe(`Lapicque.sequence on ${backend}`, () => {
    beforeAll(() => useBackend(backend));
    const cases: [string, LapicqueOptions][] = [
      ['β 0.9, subtract', { beta: 0.9 }],
      ['R 5, C 0.4, none', { R: 5, C: 0.4, resetMechanism: 'none' }],
      ['zero (steps)', { beta: 0.8, resetMechanism: 'zero' }],
    ];
    for (const [name, options] of cases) {
      it(`equals the stepwise path: ${name}`, async () => {
        const before = memory().numTensors;
        const stepwise = await runLapicque(options, [9, 3, 4], 21, false);
        const fused = await runLapicque(options, [9, 3, 4], 21, true);
        expectClose('spikes', fused[0] as Float32Array, stepwise[0] as Float32Array, 0);
        expectClose('membranes', fused[1] as Float32Array, stepwise[1] as Float32Array, 0);
        expectClose('d/dcurrents', fused[2] as Float32Array, stepwise[2] as Float32Array, 2e-5);
        expect(memory().numTensors).toBe(before);
      });
    }
  });
}

describe('Leaky.sequence on cpu in float64', () => {
  beforeAll(() => setBackend('cpu'));

  it('passes gradcheck for the membranes in the currents, β and the threshold, each reset mechanism', () => {
    for (const reset of ['subtract', 'zero', 'none'] as const) {
      const cur = tidy(() => randn([6, 2, 3], { seed: 5, dtype: 'float64' }).mul(0.7).add(0.4)).requiresGrad_(true);
      const beta = tensor([0.6, 0.8, 0.9], { dtype: 'float64', requiresGrad: true });
      const thr = tensor(0.9, { dtype: 'float64', requiresGrad: true });
      const lif = new Leaky({ beta: 0.5, resetMechanism: reset, surrogate: { surrogate: 'sigmoid', slope: 5 } });
      const graded = lif.graded_spikes_factor;
      lif.graded_spikes_factor = tensor(1, { dtype: 'float64' });
      graded.dispose();
      const f = (c: Tensor, b: Tensor, th: Tensor) => {
        // The parameters as the gradcheck's inputs (the module's own are replaced for the call).
        const [keptBeta, keptThr] = [lif.beta, lif.threshold];
        lif.beta = b;
        lif.threshold = th;
        try {
          // The membranes only: spikes have a surrogate in backward, by design not their derivative.
          const [, mem] = lif.sequence(c);
          return mem.square().sum().add(mem.sum());
        } finally {
          lif.beta = keptBeta;
          lif.threshold = keptThr;
        }
      };
      expect(gradcheck(f, [cur, beta, thr], { eps: 1e-6, atol: 1e-5, rtol: 1e-4 })).toBe(true);
      for (const t of [cur, beta, thr]) t.dispose();
      lif.dispose();
    }
  });
});

/** A neuron that only steps: its sequence and forward, with the state its forward takes after the input. */
interface SteppedNeuron {
  forward(input: Tensor, ...state: (Tensor | null)[]): Tensor[];
  sequence(inputs: Tensor): Tensor[];
  parameters(): Tensor[];
  dispose(): void;
}

/** Every output over time and every gradient, from sequence or from stepping by hand (state passed explicitly). */
async function runStepped(neuron: SteppedNeuron, shape: number[], spikesAreState: boolean, fused: boolean): Promise<Float32Array[]> {
  const x = tidy(() => randn(shape, { seed: 31 }).mul(0.6).add(0.4)).requiresGrad_(true);
  const outs = tidy(() => {
    let outputs: Tensor[];
    if (fused) outputs = neuron.sequence(x);
    else {
      const recorded: Tensor[][] = [];
      let state: (Tensor | null)[] = [];
      for (let t = 0; t < (shape[0] as number); t++) {
        const step = neuron.forward(x.select(0, t), ...state);
        step.forEach((v, k) => {
          recorded[k] ??= [];
          recorded[k]?.push(v);
        });
        state = spikesAreState ? step : step.slice(1);
      }
      outputs = recorded.map((r) => stack(r));
    }
    outputs.reduce((acc, o, k) => acc.add(o.mul(randn(o.shape, { seed: 40 + k })).sum()), tensor(0)).backward();
    return [...outputs, x.grad as Tensor, ...neuron.parameters().map((p) => p.grad as Tensor)];
  });
  const values = await Promise.all(outs.map(async (t) => Float32Array.from(await t.data())));
  for (const t of [...outs, x]) t.dispose();
  for (const p of neuron.parameters()) {
    const g = p.grad;
    p.grad = null;
    if (g && !g.isDisposed) g.dispose();
  }
  return values;
}

for (const backend of BACKENDS) {
  describe(`sequence of the neurons that step, on ${backend}`, () => {
    beforeAll(() => useBackend(backend));
    const cases: [string, () => SteppedNeuron, boolean][] = [
      ['RLeaky, all-to-all, learnt β', () => new RLeaky({ beta: 0.8, linearFeatures: 4, learnBeta: true }), true],
      ['RLeaky, one-to-one', () => new RLeaky({ beta: 0.9, allToAll: false, V: 0.5 }), true],
      ['RSynaptic', () => new RSynaptic({ alpha: 0.6, beta: 0.85, linearFeatures: 4 }), true],
      ['Alpha', () => new Alpha({ alpha: 0.9, beta: 0.8, learnBeta: true }), false],
      ['ALIF', () => new ALIF({ dt: 0.01 }), false],
      ['Leaky with a learnt surrogate', () => new Leaky({ beta: 0.9, learnSurrogate: true }), false],
    ];
    for (const [name, make, spikesAreState] of cases) {
      it(`equals stepping by hand: ${name}`, async () => {
        const neuron = make();
        const before = memory().numTensors;
        const stepwise = await runStepped(neuron, [7, 2, 4], spikesAreState, false);
        const fused = await runStepped(neuron, [7, 2, 4], spikesAreState, true);
        expect(fused.length).toBe(stepwise.length);
        for (let k = 0; k < fused.length; k++)
          expectClose(`output or gradient ${k}`, fused[k] as Float32Array, stepwise[k] as Float32Array, 0);
        expect(memory().numTensors).toBe(before);
        neuron.dispose();
      });
    }
    it('sequence refuses an input without a time axis, naming the layer', () => {
      const neuron = new RLeaky({ beta: 0.9, allToAll: false, V: 0.5 });
      const scalar = tensor(1);
      expect(() => neuron.sequence(scalar)).toThrow(/RLeaky: sequence takes inputs \[T, \.\.\.\], got \[\]/);
      scalar.dispose();
      neuron.dispose();
    });
  });
}
