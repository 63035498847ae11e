/**
 * The alpha neuron, as snnTorch's `Alpha` (snntorch/_neurons/alpha.py): an excitatory and an
 * inhibitory synaptic current, decaying by α and β, whose sum scaled by τ_α is the membrane — an
 * alpha-shaped response to each input spike.
 *
 *   I_exc = α·I_exc + x,   I_inh = β·I_inh − x,   τ_α = ln α / (ln β − ln α) + 1
 *   U     = τ_α·(I_exc + I_inh)
 * then, where the last membrane crossed the threshold (R, detached): 'zero' (the default) sets all
 * three to zero; 'subtract' takes U_thr from I_exc, zeroes I_inh and adds the old I_inh to U.
 * α and β are clamped to [0, 1]; α must exceed β, and β must not be 1.
 */
import { type Tensor, tidy } from '@surrograd/core';
import { neuronError, scalarOrTensor } from './checks.js';
import { SpikingNeuron, type SpikingNeuronOptions } from './spiking-neuron.js';
import { checkSequenceInput, stepThrough } from './stepped.js';

/** Options of {@link Alpha}. */
export interface AlphaOptions extends SpikingNeuronOptions {
  /** Excitatory current decay per step, clamped to [0, 1]; above β. */
  alpha: number | Tensor;
  /** Inhibitory current decay per step, clamped to [0, 1]; below α, not 1. */
  beta: number | Tensor;
  /** Learn α (default false). */
  learnAlpha?: boolean;
  /** Learn β (default false). */
  learnBeta?: boolean;
}

/** Alpha neuron: `const [spk, synExc, synInh, mem] = neuron.forward(input, synExc, synInh, mem)`. */
export class Alpha extends SpikingNeuron<
  [input: Tensor, synExc?: Tensor | null, synInh?: Tensor | null, mem?: Tensor | null],
  [spk: Tensor, synExc: Tensor, synInh: Tensor, mem: Tensor]
> {
  /** Excitatory decay: a buffer, or a parameter with `learnAlpha`. */
  declare alpha: Tensor;
  /** Inhibitory decay: a buffer, or a parameter with `learnBeta`. */
  declare beta: Tensor;
  /** The excitatory current after the last step (not owned). */
  synExc: Tensor | null = null;
  /** The inhibitory current after the last step (not owned). */
  synInh: Tensor | null = null;
  /** The membrane after the last step (not owned). */
  mem: Tensor | null = null;

  constructor(options: AlphaOptions) {
    super('Alpha', { resetMechanism: 'zero', ...options });
    const alpha = scalarOrTensor('Alpha', 'alpha', options.alpha);
    const beta = scalarOrTensor('Alpha', 'beta', options.beta);
    // snnTorch's _alpha_cases, on the clamped values (where the backend reads synchronously; a GPU
    // tensor is not read back here).
    if (alpha.backend.readSync && beta.backend.readSync) {
      const clamp = (v: number) => Math.min(1, Math.max(0, v));
      const [a, b] = [Array.from(alpha.dataSync(), clamp), Array.from(beta.dataSync(), clamp)];
      const at = (v: number[], i: number) => (v.length === 1 ? (v[0] as number) : (v[i] as number));
      for (let i = 0; i < Math.max(a.length, b.length); i++) {
        if (!(at(a, i) > at(b, i)))
          throw neuronError('Alpha', `alpha must be greater than beta, got alpha ${at(a, i)} and beta ${at(b, i)}`);
        if (at(b, i) === 1) throw neuronError('Alpha', 'beta cannot be 1: τ_α = ln α / (ln β − ln α) + 1 would divide by zero');
      }
    }
    this.registerState('alpha', alpha, options.learnAlpha ?? false);
    this.registerState('beta', beta, options.learnBeta ?? false);
  }

  /** One step: spikes, both synaptic currents and the membrane (each state defaulting to the last step's, or zeros). */
  override forward(
    input: Tensor,
    synExc?: Tensor | null,
    synInh?: Tensor | null,
    mem?: Tensor | null,
  ): [spk: Tensor, synExc: Tensor, synInh: Tensor, mem: Tensor] {
    const prevExc = this.stateFor('synExc', input, synExc, this.synExc);
    const prevInh = this.stateFor('synInh', input, synInh, this.synInh);
    const prevMem = this.stateFor('mem', input, mem, this.mem);
    const out = tidy(() => {
      const reset = this.memReset(prevMem);
      const a = this.alpha.clamp(0, 1);
      const b = this.beta.clamp(0, 1);
      let exc = a.mul(prevExc).add(input);
      let inh = b.mul(prevInh).sub(input);
      const tau = a.log().div(b.log().sub(a.log())).add(1);
      let u = tau.mul(exc.add(inh));
      if (this.resetMechanism === 'subtract') {
        exc = exc.sub(this.threshold.mul(reset));
        inh = inh.sub(b.mul(prevInh).sub(input).mul(reset));
        u = u.sub(prevInh.neg().mul(reset));
      } else if (this.resetMechanism === 'zero') {
        exc = exc.sub(exc.mul(reset));
        inh = inh.sub(inh.mul(reset));
        u = u.sub(u.mul(reset));
      }
      return [this.fire(u), exc, inh, u];
    }) as [Tensor, Tensor, Tensor, Tensor];
    [, this.synExc, this.synInh, this.mem] = out;
    return out;
  }

  /**
   * All T steps from zero state: spikes, both currents and membranes [T, ...] for inputs [T, ...],
   * stepping forward T times (Alpha has no fused kernel). The kept state is left as it is.
   */
  sequence(inputs: Tensor): [spk: Tensor, synExc: Tensor, synInh: Tensor, mem: Tensor] {
    return stepThrough(this, checkSequenceInput(this.layer, inputs), ['synExc', 'synInh', 'mem']) as [Tensor, Tensor, Tensor, Tensor];
  }

  /** Forgets the kept states and returns null for each: the next step starts from zeros (snnTorch's `reset_mem`). */
  resetMem(): [synExc: null, synInh: null, mem: null] {
    this.synExc = null;
    this.synInh = null;
    this.mem = null;
    return [null, null, null];
  }
}
