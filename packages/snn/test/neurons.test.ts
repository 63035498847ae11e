/**
 * Every neuron against snnTorch's equations (snn.json, from scripts/goldens/make_snn.py): stepped
 * T times from zero state as snnTorch's tutorials step it, then the gradients of
 * sum(outputs · cotangents) to the currents and to each learnable parameter — on cpu, wasm, webgpu and tfjs.
 */

import { memory, noGrad, stack, type Tensor, tidy } from '@surrograd/core';
import { beforeAll, describe, it } from 'vitest';
import { ALIF, Alpha, IF, Lapicque, Leaky, RLeaky, RSynaptic, Synaptic } from '../src/index.js';
import { BACKENDS, useBackend } from './support/backends.js';
import { expectClose, goldenTensor, loadRuns, type NeuronRun } from './support/goldens.js';

/** Any neuron, its forward taking its own state. */
type AnyNeuron = {
  forward(input: Tensor, ...state: (Tensor | null)[]): Tensor[];
  dispose(): void;
  stateDict(): Record<string, Tensor>;
};

const NEURONS: Record<string, (o: never) => AnyNeuron> = {
  Leaky: (o) => new Leaky(o) as unknown as AnyNeuron,
  IF: (o) => new IF(o) as unknown as AnyNeuron,
  Synaptic: (o) => new Synaptic(o) as unknown as AnyNeuron,
  RLeaky: (o) => new RLeaky(o) as unknown as AnyNeuron,
  RSynaptic: (o) => new RSynaptic(o) as unknown as AnyNeuron,
  Lapicque: (o) => new Lapicque(o) as unknown as AnyNeuron,
  Alpha: (o) => new Alpha(o) as unknown as AnyNeuron,
  ALIF: (o) => new ALIF(o) as unknown as AnyNeuron,
};

/** The module of a run, with the run's parameter values (recurrent weights drawn by the golden script) copied in. */
function neuronOf(run: NeuronRun): AnyNeuron {
  const make = NEURONS[run.neuron];
  if (!make) throw new Error(`no neuron ${run.neuron}`);
  const neuron = make(run.options as never);
  const sd = neuron.stateDict();
  noGrad(() => {
    for (const [k, g] of Object.entries(run.params)) {
      const target = sd[k];
      if (!target) throw new Error(`${run.name}: the module has no ${k} (it has ${Object.keys(sd).join(', ')})`);
      tidy(() => void target.copy_(goldenTensor(g).reshape(target.shape)));
    }
  });
  return neuron;
}

/** Steps the neuron over the run's currents from zero state; returns the spikes and the recorded states stacked over time. */
function stepAll(neuron: AnyNeuron, run: NeuronRun, input: Tensor): { spk: Tensor; states: Record<string, Tensor> } {
  const steps = input.shape[0] as number;
  let state: (Tensor | null)[] = run.stateNames.map(() => null);
  const recorded = run.outputNames.filter((n) => n !== 'spk');
  const spks: Tensor[] = [];
  const recs: Tensor[][] = recorded.map(() => []);
  for (let t = 0; t < steps; t++) {
    const outs = neuron.forward(input.select(0, t), ...state);
    spks.push(outs[0] as Tensor);
    recorded.forEach((name, i) => void (recs[i] as Tensor[]).push(outs[run.outputNames.indexOf(name)] as Tensor));
    state = run.stateNames.map((name) => outs[run.outputNames.indexOf(name)] as Tensor);
  }
  return { spk: stack(spks), states: Object.fromEntries(recorded.map((name, i) => [name, stack(recs[i] as Tensor[])])) };
}

for (const backend of BACKENDS) {
  describe(`neurons on ${backend}, against snnTorch's equations`, () => {
    beforeAll(() => useBackend(backend));

    for (const run of loadRuns()) {
      it(`${run.name} (${run.source})`, async () => {
        const before = memory().numTensors;
        const neuron = neuronOf(run);
        const input = goldenTensor(run.input, true);
        const { spk, states, grads } = tidy(() => {
          const out = stepAll(neuron, run, input);
          let loss = out.spk.mul(goldenTensor(run.cotangents.spk as never)).sum();
          for (const [k, s] of Object.entries(out.states)) loss = loss.add(s.mul(goldenTensor(run.cotangents[k] as never)).sum());
          const sd = neuron.stateDict();
          const params = Object.keys(run.grads)
            .filter((k) => k !== 'input')
            .map((k) => sd[k] as Tensor);
          loss.backward();
          return { ...out, grads: [input.grad as Tensor, ...params.map((p) => p.grad as Tensor)] };
        });
        await expectClose('spikes', spk, run.spk, 0, 0);
        for (const [k, s] of Object.entries(states)) await expectClose(k, s, run.states[k] as never);
        const names = Object.keys(run.grads);
        for (let i = 0; i < names.length; i++)
          await expectClose(`d/d${names[i]}`, grads[i] as Tensor, run.grads[names[i] as string] as never, 1e-5, 1e-4);
        for (const t of [spk, ...Object.values(states), ...grads, input]) t.dispose();
        neuron.dispose();
        expectNoLeak(before);
      });
    }
  });
}

function expectNoLeak(before: number): void {
  const after = memory().numTensors;
  if (after !== before) throw new Error(`${after - before} tensors leaked`);
}
