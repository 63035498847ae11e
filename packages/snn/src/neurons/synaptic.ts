/**
 * The second-order (current-based) LIF neuron, as snnTorch's `Synaptic`
 * (snntorch/_neurons/synaptic.py): a synaptic current decays by α and feeds the membrane.
 *
 *   R[t]   = H(U[t−1] − U_thr), detached
 *   I_syn  = α·I_syn[t−1] + I[t]
 *   U[t]   = β·U[t−1] + I_syn − R[t]·U_thr      ('subtract')
 *   U[t]   = (β·U[t−1] + I_syn)·(1 − R[t])      ('zero': the new membrane is zeroed, the current kept)
 *   S[t]   = H(U[t] − U_thr)·graded
 *
 * with α and β clamped to [0, 1].
 */
import { isTensor, type Tensor, tidy } from '@surrograd/core';
import { neuronError, scalarOrTensor } from './checks.js';
import { delayFreeReset, perStep, spikesAtZero } from './leaky.js';
import { DecayScanFn, LeakySequenceFn } from './lif-scan.js';
import { SpikingNeuron, type SpikingNeuronOptions } from './spiking-neuron.js';
import { stepThrough } from './stepped.js';

/** Options of {@link Synaptic}. */
export interface SynapticOptions extends SpikingNeuronOptions {
  /** Synaptic current decay per step, clamped to [0, 1]: a number or a tensor (per neuron). */
  alpha: number | Tensor;
  /** Membrane decay per step, clamped to [0, 1]. */
  beta: number | Tensor;
  /** Learn α (default false). */
  learnAlpha?: boolean;
  /** Learn β (default false). */
  learnBeta?: boolean;
  /** Reset on the step after the spike (true, the default) or on the same step. */
  resetDelay?: boolean;
}

/** The synaptic current and membrane after one step, before the spike's own reset. */
export function synapticIntegrate(
  neuron: SpikingNeuron<unknown[], unknown> & { alpha: Tensor; beta: Tensor },
  input: Tensor,
  syn: Tensor,
  mem: Tensor,
  reset: Tensor,
  recurrent?: Tensor,
): [Tensor, Tensor] {
  let current = neuron.alpha.clamp(0, 1).mul(syn).add(input);
  if (recurrent) current = current.add(recurrent);
  const u = neuron.beta.clamp(0, 1).mul(mem).add(current);
  if (neuron.resetMechanism === 'subtract') return [current, u.sub(reset.mul(neuron.threshold))];
  if (neuron.resetMechanism === 'zero') return [current, u.sub(u.mul(reset))];
  return [current, u];
}

/** Synaptic LIF: `const [spk, syn, mem] = neuron.forward(input, syn, mem)`. */
export class Synaptic extends SpikingNeuron<
  [input: Tensor, syn?: Tensor | null, mem?: Tensor | null],
  [spk: Tensor, syn: Tensor, mem: Tensor]
> {
  /** Synaptic current decay: a buffer, or a parameter with `learnAlpha`. */
  declare alpha: Tensor;
  /** Membrane decay: a buffer, or a parameter with `learnBeta`. */
  declare beta: Tensor;
  /** Whether the reset waits for the step after a spike. */
  readonly resetDelay: boolean;
  /** The synaptic current after the last step (not owned). */
  syn: Tensor | null = null;
  /** The membrane after the last step (not owned). */
  mem: Tensor | null = null;

  constructor(options: SynapticOptions) {
    super('Synaptic', options);
    this.registerState('alpha', scalarOrTensor('Synaptic', 'alpha', options.alpha), options.learnAlpha ?? false);
    this.registerState('beta', scalarOrTensor('Synaptic', 'beta', options.beta), options.learnBeta ?? false);
    this.resetDelay = options.resetDelay ?? true;
  }

  /** One step: spikes, synaptic current and membrane (each state defaults to the last step's, or zeros). */
  override forward(input: Tensor, syn?: Tensor | null, mem?: Tensor | null): [spk: Tensor, syn: Tensor, mem: Tensor] {
    const prevSyn = this.stateFor('syn', input, syn, this.syn);
    const prevMem = this.stateFor('mem', input, mem, this.mem);
    const [spk, nextSyn, nextMem] = tidy(() => {
      const reset = this.memReset(prevMem);
      const [i, u] = synapticIntegrate(this, input, prevSyn, prevMem, reset);
      const s = this.fire(u);
      return [s, i, this.resetDelay ? u : delayFreeReset(this, u, s, reset)];
    }) as [Tensor, Tensor, Tensor];
    this.syn = nextSyn;
    this.mem = nextMem;
    return [spk, nextSyn, nextMem];
  }

  /**
   * All T steps at once, from zero state: spikes, synaptic currents and membranes [T, ...] for
   * inputs [T, ...], equal to stepping forward T times (to float32 rounding). The current is a
   * linear recurrence (one LinearScan), the membrane a Leaky's over it (one LifScan); backward runs
   * both in reverse. The 'zero' reset (which zeroes the new membrane, not the old one), inhibition
   * and `resetDelay: false` step instead.
   */
  sequence(inputs: Tensor): [spk: Tensor, syn: Tensor, mem: Tensor] {
    if (!isTensor(inputs) || inputs.rank < 1) {
      throw neuronError(
        this.layer,
        `sequence takes inputs [T, ...], got ${isTensor(inputs) ? JSON.stringify(inputs.shape) : typeof inputs}`,
      );
    }
    if (this.inhibition || this.learntSurrogateParams.length > 0 || !this.resetDelay || this.resetMechanism === 'zero')
      return stepThrough(this, inputs, ['syn', 'mem']) as [Tensor, Tensor, Tensor];
    return tidy(() => {
      const step = inputs.shape.slice(1);
      const syn = DecayScanFn(inputs, perStep(this.alpha.clamp(0, 1), step));
      const attrs = { reset: this.resetMechanism, spikeAtZero: spikesAtZero(this.surrogate), surrogate: this.surrogate };
      const [spk, mem] = LeakySequenceFn(
        syn,
        perStep(this.beta.clamp(0, 1), step),
        perStep(this.threshold, step),
        perStep(this.graded_spikes_factor, step),
        attrs,
      ) as [Tensor, Tensor];
      return [this.surrogateDisable ? spk.detach() : spk, syn, mem];
    }) as [Tensor, Tensor, Tensor];
  }

  /** Forgets the kept states and returns null for each: passed as the state (or the state left out), the next step starts from zeros (snnTorch's `reset_mem`). */
  resetMem(): [syn: null, mem: null] {
    this.syn = null;
    this.mem = null;
    return [null, null];
  }
}
