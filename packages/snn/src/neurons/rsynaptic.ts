/**
 * The recurrent second-order LIF neuron, as snnTorch's `RSynaptic`
 * (snntorch/_neurons/rsynaptic.py): Synaptic with the last step's spikes fed back into the
 * synaptic current through `recurrent`.
 *
 *   I_syn = α·I_syn[t−1] + I[t] + W·S[t−1];   U[t] = β·U[t−1] + I_syn − R[t]·U_thr
 */
import { type nn, type Tensor, tidy } from '@surrograd/core';
import { scalarOrTensor } from './checks.js';
import { delayFreeReset } from './leaky.js';
import { type RecurrentOptions, recurrentModule } from './recurrent.js';
import { SpikingNeuron, type SpikingNeuronOptions } from './spiking-neuron.js';
import { checkSequenceInput, stepThrough } from './stepped.js';
import { synapticIntegrate } from './synaptic.js';

/** Options of {@link RSynaptic}. */
export interface RSynapticOptions extends SpikingNeuronOptions, RecurrentOptions {
  /** Synaptic current decay per step, clamped to [0, 1]. */
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

/** Recurrent synaptic LIF: `const [spk, syn, mem] = neuron.forward(input, spk, syn, mem)`. */
export class RSynaptic extends SpikingNeuron<
  [input: Tensor, spk?: Tensor | null, syn?: Tensor | null, mem?: Tensor | null],
  [spk: Tensor, syn: Tensor, mem: Tensor]
> {
  /** Synaptic current decay: a buffer, or a parameter with `learnAlpha`. */
  declare alpha: Tensor;
  /** Membrane decay: a buffer, or a parameter with `learnBeta`. */
  declare beta: Tensor;
  /** The feedback of the last spikes into the synaptic current. */
  readonly recurrent: nn.Module;
  /** Whether the reset waits for the step after a spike. */
  readonly resetDelay: boolean;
  /** The spikes of the last step (not owned). */
  spk: Tensor | null = null;
  /** The synaptic current after the last step (not owned). */
  syn: Tensor | null = null;
  /** The membrane after the last step (not owned). */
  mem: Tensor | null = null;

  constructor(options: RSynapticOptions) {
    super('RSynaptic', options);
    this.registerState('alpha', scalarOrTensor('RSynaptic', 'alpha', options.alpha), options.learnAlpha ?? false);
    this.registerState('beta', scalarOrTensor('RSynaptic', 'beta', options.beta), options.learnBeta ?? false);
    this.recurrent = recurrentModule('RSynaptic', options);
    this.resetDelay = options.resetDelay ?? true;
  }

  /** One step: spikes, synaptic current and membrane (each state defaulting to the last step's, or zeros). */
  override forward(input: Tensor, spk?: Tensor | null, syn?: Tensor | null, mem?: Tensor | null): [spk: Tensor, syn: Tensor, mem: Tensor] {
    const prevSpk = this.stateFor('spk', input, spk, this.spk);
    const prevSyn = this.stateFor('syn', input, syn, this.syn);
    const prevMem = this.stateFor('mem', input, mem, this.mem);
    const [s, i, u] = tidy(() => {
      const reset = this.memReset(prevMem);
      const [current, next] = synapticIntegrate(this, input, prevSyn, prevMem, reset, this.recurrent.forward(prevSpk));
      const out = this.fire(next);
      return [out, current, this.resetDelay ? next : delayFreeReset(this, next, out, reset)];
    }) as [Tensor, Tensor, Tensor];
    this.spk = s;
    this.syn = i;
    this.mem = u;
    return [s, i, u];
  }

  /**
   * All T steps from zero state: spikes, currents and membranes [T, ...] for inputs [T, ...],
   * stepping forward T times (the feedback is a product per step). The kept state is left as it is.
   */
  sequence(inputs: Tensor): [spk: Tensor, syn: Tensor, mem: Tensor] {
    return stepThrough(this, checkSequenceInput(this.layer, inputs), ['spk', 'syn', 'mem'], true) as [Tensor, Tensor, Tensor];
  }

  /** Forgets the kept states and returns null for each: passed as the state (or the state left out), the next step starts from zeros (snnTorch's `reset_mem`). */
  resetMem(): [spk: null, syn: null, mem: null] {
    this.spk = null;
    this.syn = null;
    this.mem = null;
    return [null, null, null];
  }
}
