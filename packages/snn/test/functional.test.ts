/**
 * snnTorch's spike losses and accuracy (snntorch/functional/loss.py, acc.py) and its encoders
 * (snntorch/spikegen.py), against their formulas written in torch (snn.json), on cpu, wasm, webgpu and tfjs.
 */

import { readFileSync } from 'node:fs';
import { Generator, grad, memory, type Tensor, tensor } from '@surrograd/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { functional, spikegen } from '../src/index.js';
import { BACKENDS, useBackend } from './support/backends.js';
import { expectClose, type GoldenTensor, goldenTensor } from './support/goldens.js';

interface LossCase {
  loss: keyof typeof LOSSES;
  options: Record<string, unknown>;
  source: string;
  input: 'spk' | 'mem' | 'spkPop';
  labels: number[] | number[][];
  value: GoldenTensor;
  grad: GoldenTensor;
}
interface SpikegenCase {
  fn: 'latency' | 'delta';
  options: Record<string, unknown>;
  source: string;
  data: GoldenTensor;
  out: GoldenTensor;
}
const golden = JSON.parse(readFileSync(new URL('../goldens/snn.json', import.meta.url), 'utf8')) as {
  losses: {
    spk: GoldenTensor;
    mem: GoldenTensor;
    spkPop: GoldenTensor;
    cases: LossCase[];
    accuracyRate: { labels: number[]; value: number };
    accuracyRatePopulation: { labels: number[]; numClasses: number; value: number };
  };
  spikegen: SpikegenCase[];
};

const LOSSES = {
  ceRateLoss: functional.ceRateLoss,
  ceCountLoss: functional.ceCountLoss,
  ceMaxMembraneLoss: functional.ceMaxMembraneLoss,
  mseCountLoss: functional.mseCountLoss,
  mseMembraneLoss: functional.mseMembraneLoss,
} as const;

for (const backend of BACKENDS) {
  describe(`functional and spikegen on ${backend}`, () => {
    beforeAll(() => useBackend(backend));

    for (const c of golden.losses.cases) {
      it(`${c.loss} ${JSON.stringify(c.options)}: value and gradient (${c.source})`, async () => {
        const before = memory().numTensors;
        const x = goldenTensor(golden.losses[c.input]);
        const labels = tensor(c.labels, { dtype: 'int32' });
        const fn = (LOSSES[c.loss] as (o: unknown) => functional.SpikeLoss)(c.options);
        const value = fn(x, labels);
        const g = grad((t: Tensor) => fn(t, labels))(x);
        await expectClose('loss', value, c.value, 1e-6, 1e-5);
        await expectClose('gradient', g, c.grad, 1e-6, 1e-5);
        for (const t of [x, labels, value, g]) t.dispose();
        expect(memory().numTensors).toBe(before);
      });
    }

    it('loss labels may be a plain array; bad shapes are clear errors', () => {
      const before = memory().numTensors;
      const spk = goldenTensor(golden.losses.spk);
      const loss = functional.ceCountLoss()(spk, [0, 3, 1, 4]);
      expect(loss.shape).toEqual([]);
      const counts = spk.sum(0);
      expect(() => functional.ceRateLoss()(counts, [0, 1, 2, 3])).toThrow(/ceRateLoss: spikes must be \[T, batch, classes\], got \[4,5\]/);
      expect(() => functional.mseMembraneLoss({ timeVarTargets: true })(spk, [0, 1, 2, 3])).toThrow(/labels must be \[6,4\]/);
      expect(() => functional.mseCountLoss({ correctRate: 2 })).toThrow(/correctRate must be in \[0, 1\], got 2/);
      for (const t of [spk, loss, counts]) t.dispose();
      expect(memory().numTensors).toBe(before);
    });

    it(`accuracyRate counts the most-spiking neuron over time (${golden.losses.cases[0]?.source.split(':')[0]}: snntorch/functional/acc.py)`, async () => {
      const spk = goldenTensor(golden.losses.spk);
      const acc = functional.accuracyRate(spk, golden.losses.accuracyRate.labels);
      expect((await acc.data())[0]).toBeCloseTo(golden.losses.accuracyRate.value, 6);
      for (const t of [spk, acc]) t.dispose();
    });

    it('accuracyRate with a population code counts each class over its group of neurons', async () => {
      const { labels, numClasses, value } = golden.losses.accuracyRatePopulation;
      const spk = goldenTensor(golden.losses.spkPop);
      const acc = functional.accuracyRate(spk, labels, { populationCode: true, numClasses });
      expect((await acc.data())[0]).toBeCloseTo(value, 6);
      expect(() => functional.accuracyRate(spk, labels, { populationCode: true, numClasses: 3 })).toThrow(
        /accuracyRate: numClasses 3 must divide the 10 output neurons/,
      );
      expect(() => functional.ceCountLoss({ populationCode: true })(spk, labels)).toThrow(
        /ceCountLoss: populationCode needs numClasses, a positive integer; got undefined/,
      );
      for (const t of [spk, acc]) t.dispose();
    });

    for (const c of golden.spikegen) {
      it(`spikegen.${c.fn} ${JSON.stringify(c.options)} (${c.source})`, async () => {
        const data = goldenTensor(c.data);
        if (c.fn === 'latency' && backend === 'webgpu') {
          // latency reads its data on the host, which webgpu cannot do synchronously: a clear error.
          expect(() => spikegen.latency(data, c.options as unknown as spikegen.LatencyOptions)).toThrow(
            /spikegen.latency: it reads the data on the host .* backend 'webgpu' cannot read synchronously; encode on the cpu or wasm backend/,
          );
          data.dispose();
          return;
        }
        const out =
          c.fn === 'latency' ? spikegen.latency(data, c.options as unknown as spikegen.LatencyOptions) : spikegen.delta(data, c.options);
        await expectClose(c.fn, out, c.out, 1e-7, 0);
        for (const t of [data, out]) t.dispose();
      });
    }

    it('spikegen.rate fires with the given probability, seeded, silent before firstSpikeTime', async () => {
      const before = memory().numTensors;
      const p = tensor([0, 0.25, 0.5, 1, 1.7, -0.2]);
      const spikes = spikegen.rate(p, { numSteps: 4000, generator: new Generator(3) });
      expect(spikes.shape).toEqual([4000, 6]);
      const mean = spikes.mean(0);
      const rates = await mean.data();
      // 4000 draws: the standard error of a rate of 0.5 is 0.008; 0.04 is five of them.
      for (const [i, want] of [0, 0.25, 0.5, 1, 1, 0].entries()) expect(Math.abs((rates[i] as number) - want)).toBeLessThan(0.04);
      const again = spikegen.rate(p, { numSteps: 4000, generator: new Generator(3) });
      expect(Array.from(await again.data())).toEqual(Array.from(await spikes.data()));
      const ones = tensor([1, 1]);
      const late = spikegen.rate(ones, { numSteps: 5, firstSpikeTime: 2, gain: 2, offset: -0.5 });
      expect(await late.array()).toEqual([
        [0, 0],
        [0, 0],
        [1, 1],
        [1, 1],
        [1, 1],
      ]);
      const eye = tensor([
        [1, 0],
        [0, 1],
      ]);
      const timeVar = spikegen.rate(eye, { timeVarInput: true, firstSpikeTime: 1 });
      expect(await timeVar.array()).toEqual([
        [0, 0],
        [1, 0],
        [0, 1],
      ]);
      expect(() => spikegen.rate(p, { numSteps: 3, firstSpikeTime: 3 })).toThrow(/firstSpikeTime \(3\) must be at most numSteps - 1 \(2\)/);
      expect(() => spikegen.rate(p, { numSteps: 3, timeVarInput: true })).toThrow(/numSteps must not be given when timeVarInput/);
      for (const t of [p, spikes, mean, again, ones, late, eye, timeVar]) t.dispose();
      expect(memory().numTensors).toBe(before);
    });

    it('spikegen.latency rejects data outside [0, 1] and bad options', () => {
      const bad = tensor([0.5, 1.2]);
      // webgpu cannot read the data to check it: it says so instead.
      const range = backend === 'webgpu' ? /cannot read synchronously/ : /spikegen.latency: every value must be in \[0, 1\], found 1.2/;
      expect(() => spikegen.latency(bad, { numSteps: 5 })).toThrow(range);
      const ok = tensor([0.5]);
      expect(() => spikegen.latency(ok, { numSteps: 5, threshold: 1 })).toThrow(/threshold must be in \(0, 1\), got 1/);
      for (const t of [bad, ok]) t.dispose();
    });

    it('spikegen.decodeRate, decodeLatency and decodeDelta invert the codes', async () => {
      const before = memory().numTensors;
      const close = (got: ArrayLike<number>, want: number[], tol: number) =>
        want.forEach((w, i) => {
          expect(Math.abs((got[i] as number) - w)).toBeLessThanOrEqual(tol);
        });
      // Rate: the firing rate, undone by the gain and offset (five standard errors of 4000 draws).
      const p = tensor([0.1, 0.4, 0.8]);
      const spikes = spikegen.rate(p, { numSteps: 4000, gain: 0.5, offset: 0.25, generator: new Generator(5) });
      const rates = spikegen.decodeRate(spikes, { gain: 0.5, offset: 0.25 });
      close(await rates.data(), [0.1, 0.4, 0.8], 0.08);
      // Latency: a hand-made train, then (where the encoder can run) a round trip.
      const train = tensor([
        [0, 1, 0],
        [0, 0, 0],
        [1, 0, 0],
      ]);
      const linear = spikegen.decodeLatency(train, { tau: 4, linear: true });
      close(await linear.data(), [1 - 2 / 4, 1, 0], 1e-6);
      const rc = spikegen.decodeLatency(train, { tau: 2, threshold: 0.2 });
      close(await rc.data(), [0.2 / (1 - Math.exp(-1)), 1, 0], 1e-6);
      const owned = [p, spikes, rates, train, linear, rc];
      if (backend !== 'webgpu') {
        const values = tensor([0.05, 0.3, 0.55, 0.9, 1]);
        const options = { numSteps: 60, tau: 5, threshold: 0.04 };
        const coded = spikegen.latency(values, options);
        const decoded = spikegen.decodeLatency(coded, options);
        const again = spikegen.latency(decoded, options);
        expect(Array.from(await again.data())).toEqual(Array.from(await coded.data()));
        owned.push(values, coded, decoded, again);
      }
      expect(() => spikegen.decodeLatency(train, { normalize: true })).toThrow(/decodeLatency: normalize stretches spike times/);
      expect(() => spikegen.decodeLatency(train, { numSteps: 5 })).toThrow(/decodeLatency: numSteps is 5 but the spikes have 3 steps/);
      // Delta: exact where each step changes by ±threshold or not at all.
      const signal = tensor([[0], [0.5], [0.5], [0], [0.5], [1]]);
      const deltas = spikegen.delta(signal, { threshold: 0.5, offSpike: true });
      const rebuilt = spikegen.decodeDelta(deltas, { threshold: 0.5 });
      close(await rebuilt.data(), [0, 0.5, 0.5, 0, 0.5, 1], 1e-6);
      const empty = tensor([]);
      expect(() => spikegen.decodeRate(empty)).toThrow(/decodeRate: spikes must be \[T, \.\.\.\] with T ≥ 1, got \[0\]/);
      for (const t of [...owned, signal, deltas, rebuilt, empty]) t.dispose();
      expect(memory().numTensors).toBe(before);
    });
  });
}
