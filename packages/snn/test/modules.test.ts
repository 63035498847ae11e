/** The neurons as nn modules: parameters and buffers under snnTorch's keys, state handling, hooks, errors, training. */
import '@surrograd/backend-cpu';
import { heaviside, memory, nn, optim, randn, setBackend, type Tensor, tensor, tidy, zeros } from '@surrograd/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Alpha, IF, Lapicque, Leaky, RLeaky, RSynaptic, Synaptic } from '../src/index.js';

beforeAll(() => setBackend('cpu'));

describe('neurons as modules', () => {
  it("keep snnTorch's state-dict keys; learnt values are parameters, the rest buffers", () => {
    const lif = new Leaky({ beta: 0.9, learnBeta: true });
    expect(lif.namedParameters().map(([k]) => k)).toEqual(['beta']);
    expect(Object.keys(lif.stateDict()).sort()).toEqual(['beta', 'graded_spikes_factor', 'threshold']);
    const rsyn = new RSynaptic({ alpha: 0.5, beta: 0.9, linearFeatures: 4, learnThreshold: true });
    expect(rsyn.namedParameters().map(([k]) => k)).toEqual(['threshold', 'recurrent.weight', 'recurrent.bias']);
    const frozen = new RLeaky({ beta: 0.9, linearFeatures: 3, learnRecurrent: false });
    expect(frozen.parameters()).toEqual([]);
    expect(Object.keys(frozen.stateDict())).toContain('recurrent.weight');
    const oneToOne = new RLeaky({ beta: 0.9, allToAll: false, V: 0.5 });
    expect(oneToOne.namedParameters().map(([k]) => k)).toEqual(['recurrent.V']);
    for (const m of [lif, rsyn, frozen, oneToOne]) m.dispose();
  });

  it('carry their state between steps when none is passed; resetMem starts again from zeros', () => {
    const before = memory().numTensors;
    const lif = new Leaky({ beta: 0.5 });
    const x = tensor([[0.6, 0.2]]);
    tidy(() => {
      const [, m1] = lif.forward(x);
      expect(Array.from(m1.dataSync())).toEqual([0.6000000238418579, 0.20000000298023224]);
      const [, m2] = lif.forward(x);
      expect(Array.from(m2.dataSync()).map((v) => Math.round(v * 1e6) / 1e6)).toEqual([0.9, 0.3]);
      lif.resetMem();
      const [, m3] = lif.forward(x);
      expect(Array.from(m3.dataSync()).map((v) => Math.round(v * 1e6) / 1e6)).toEqual([0.6, 0.2]);
    });
    expect(() => lif.forward(x)).toThrow(
      /Leaky: the mem kept from the previous step was disposed .*pass mem explicitly, or call resetMem\(\)/,
    );
    lif.resetMem();
    x.dispose();
    lif.dispose();
    expect(memory().numTensors).toBe(before);
  });

  it('refuse bad options and states with errors that name the layer', () => {
    expect(() => new Leaky({ beta: Number.NaN })).toThrow(/Leaky: beta must be a finite number or a Tensor, got NaN/);
    expect(() => new Leaky({ beta: 0.9, resetMechanism: 'sub' as never })).toThrow(
      /Leaky: resetMechanism must be 'subtract', 'zero' or 'none', got "sub"/,
    );
    expect(() => new Leaky({ beta: 0.9, surrogate: 'nope' as never })).toThrow(/heaviside: unknown surrogate 'nope'/);
    expect(() => new RLeaky({ beta: 0.9 })).toThrow(/RLeaky: allToAll feedback needs linearFeatures/);
    expect(() => new Lapicque({})).toThrow(/Lapicque: give beta, or two of beta, R and C/);
    expect(() => new Lapicque({ beta: 1.2 })).toThrow(/Lapicque: beta must be below 1/);
    expect(() => new Alpha({ alpha: 0.5, beta: 0.8 })).toThrow(/Alpha: alpha must be greater than beta, got alpha 0.5 and beta 0.8/);
    expect(() => new Alpha({ alpha: 1.5, beta: 1 })).toThrow(/Alpha: alpha must be greater than beta, got alpha 1 and beta 1/);
    const lif = new Leaky({ beta: 0.9 });
    const x = zeros([2, 3]);
    const wrong = zeros([3, 2]);
    expect(() => lif.forward(x, wrong)).toThrow(/Leaky: mem \[3,2\] does not match the input \[2,3\]/);
    expect(() => lif.forward(x, 5 as never)).toThrow(/Leaky: mem must be a Tensor \(or null, or omitted\), got number/);
    const syn = new Synaptic({ alpha: 0.5, beta: 0.5, inhibition: true });
    const flat = zeros([3, 2, 2]);
    expect(() => syn.forward(flat)).toThrow(/Synaptic: inhibition needs \[batch, neurons\] inputs, got \[3,2,2\]/);
    for (const t of [x, wrong, flat]) t.dispose();
    lif.dispose();
    syn.dispose();
  });

  it('run forward hooks with all their inputs; full backward hooks say they need one tensor in and out', () => {
    const lif = new Leaky({ beta: 0.9 });
    const seen: number[] = [];
    const handle = lif.registerForwardHook((_m, inputs, [spk]) => {
      seen.push(inputs.length, spk.size);
    });
    const x = randn([2, 3]);
    const mem = zeros([2, 3]);
    tidy(() => void lif.forward(x, mem));
    expect(seen).toEqual([2, 6]);
    handle.remove();
    lif.registerFullBackwardHook(() => undefined);
    const xg = randn([2, 3], { requiresGrad: true });
    expect(() => lif.forward(xg, mem)).toThrow(/registerFullBackwardHook: Leaky's forward does not take one tensor and return one/);
    for (const t of [x, mem, xg]) t.dispose();
    lif.dispose();
  });

  it('learn: a two-layer spiking net fits a toy task with Adam, β learnt, memory steady', () => {
    const fc = new nn.Linear(4, 2, { seed: 1 });
    const lif = new Leaky({ beta: 0.8, learnBeta: true });
    const opt = new optim.Adam([...fc.parameters(), ...lif.parameters()], { lr: 0.05 });
    const x = tensor([
      [1, 0, 1, 0],
      [0, 1, 0, 1],
    ]);
    const labels = [0, 1];
    const lossAt = (): number =>
      tidy(() => {
        let mem: Tensor | null = lif.resetMem();
        let counts = zeros([2, 2]);
        for (let t = 0; t < 10; t++) {
          const [spk, next] = lif.forward(fc.forward(x), mem);
          mem = next;
          counts = counts.add(spk);
        }
        const loss = nn.crossEntropy(counts, labels);
        opt.zeroGrad();
        loss.backward();
        opt.step();
        return loss.dataSync()[0] as number;
      });
    const first = lossAt();
    let last = first;
    const base = memory().numTensors;
    for (let i = 0; i < 60; i++) last = lossAt();
    expect(memory().numTensors).toBe(base);
    expect(last).toBeLessThan(first * 0.5);
    expect(lif.beta.dataSync()[0]).not.toBe(Math.fround(0.8));
    const integrate = new IF();
    expect(integrate.beta.dataSync()[0]).toBe(1);
    for (const m of [fc, lif, integrate]) m.dispose();
    x.dispose();
  });

  it('learn their surrogate: surrogate_<name> parameters get the gradient of the surrogate primitive, stepping as heaviside does', () => {
    const before = memory().numTensors;
    const lif = new Leaky({ beta: 0.8, surrogate: { surrogate: 'atan', alpha: 3 }, learnSurrogate: true });
    expect(lif.namedParameters().map(([k]) => k)).toEqual(['surrogate_alpha']);
    expect(Object.keys(lif.stateDict())).toContain('surrogate_alpha');
    const currents = tensor([[[0.7, 0.3, 1.2]], [[0.2, 0.9, -0.4]], [[0.8, 0.1, 0.6]]]);
    const weights = tensor([[[1, -2, 0.5]], [[0.3, 1, 2]], [[-1, 0.5, 1]]]);
    const [spk, mem] = lif.sequence(currents);
    tidy(() => spk.mul(weights).sum().add(mem.sum()).backward());
    // The same three steps by hand, with heaviside taking the tensor α.
    const alpha = tensor(3, { requiresGrad: true });
    tidy(() => {
      let u = zeros([1, 3]);
      let loss = zeros([]);
      for (let t = 0; t < 3; t++) {
        const reset = u.detach().sub(1).gt(0).cast('float32');
        u = u.mul(0.8).add(currents.select(0, t)).sub(reset);
        const s = heaviside(u.sub(1), { surrogate: 'atan', alpha });
        loss = loss.add(s.mul(weights.select(0, t)).sum()).add(u.sum());
      }
      loss.backward();
    });
    const got = lif.surrogateParameter('alpha').grad!.dataSync()[0] as number;
    expect(got).not.toBe(0);
    expect(got).toBeCloseTo(alpha.grad!.dataSync()[0] as number, 5);
    expect(() => new Leaky({ beta: 0.9, surrogate: 'straightThrough', learnSurrogate: true })).toThrow(
      /Leaky: surrogate 'straightThrough' has no parameters it can learn; surrogates that can: fastSigmoid, atan/,
    );
    // A tensor in the surrogate's options is learnt as given.
    const given = tensor([1, 2, 3], { requiresGrad: true });
    const perNeuron = new Leaky({ beta: 0.8, surrogate: { surrogate: 'atan', alpha: given } });
    expect(perNeuron.surrogateParameter('alpha')).toBe(given);
    expect(() => perNeuron.surrogateParameter('slope')).toThrow("Leaky: the surrogate learns alpha; no 'slope'");
    for (const t of [spk, mem, currents, weights, alpha, given]) t.dispose();
    for (const m of [lif, perNeuron]) m.dispose();
    expect(memory().numTensors).toBe(before);
  });
});
