/**
 * The recurrent LIF neuron, as snnTorch's `RLeaky` (snntorch/_neurons/rleaky.py): Leaky with the
 * last step's spikes fed back through `recurrent` (see recurrent.ts).
 *
 *   U[t] = β·U[t−1] + I[t] + W·S[t−1] − R[t]·U_thr          ('subtract')
 *   U[t] = (β·U[t−1] + I[t] + W·S[t−1])·(1 − R[t])          ('zero')
 */
import { type nn, type Tensor, tidy } from '@surrograd/core';
import { scalarOrTensor } from './checks.js';
import { delayFreeReset } from './leaky.js';
import { type RecurrentOptions, recurrentModule } from './recurrent.js';
import { SpikingNeuron, type SpikingNeuronOptions } from './spiking-neuron.js';
import { checkSequenceInput, stepThrough } from './stepped.js';

/** Options of {@link RLeaky}. */
export interface RLeakyOptions extends SpikingNeuronOptions, RecurrentOptions {
  /** Membrane decay per step, clamped to [0, 1]. */
  beta: number | Tensor;
  /** Learn β (default false). */
  learnBeta?: boolean;
  /** Reset on the step after the spike (true, the default) or on the same step. */
  resetDelay?: boolean;
}

/** Recurrent LIF: `const [spk, mem] = neuron.forward(input, spk, mem)`. */
export class RLeaky extends SpikingNeuron<[input: Tensor, spk?: Tensor | null, mem?: Tensor | null], [spk: Tensor, mem: Tensor]> {
  /** Membrane decay: a buffer, or a parameter with `learnBeta`. */
  declare beta: Tensor;
  /** The feedback of the last spikes: nn.Linear, nn.Conv2d or one-to-one by V (state dict keys `recurrent.weight`, `recurrent.V`, …). */
  readonly recurrent: nn.Module;
  /** Whether the reset waits for the step after a spike. */
  readonly resetDelay: boolean;
  /** The spikes of the last step (not owned). */
  spk: Tensor | null = null;
  /** The membrane after the last step (not owned). */
  mem: Tensor | null = null;

  constructor(options: RLeakyOptions) {
    super('RLeaky', options);
    this.registerState('beta', scalarOrTensor('RLeaky', 'beta', options.beta), options.learnBeta ?? false);
    this.recurrent = recurrentModule('RLeaky', options);
    this.resetDelay = options.resetDelay ?? true;
  }

  /** One step: spikes and membrane from the input, the last spikes and the membrane (each defaulting to the last step's, or zeros). */
  override forward(input: Tensor, spk?: Tensor | null, mem?: Tensor | null): [spk: Tensor, mem: Tensor] {
    const prevSpk = this.stateFor('spk', input, spk, this.spk);
    const prevMem = this.stateFor('mem', input, mem, this.mem);
    const [s, u] = tidy(() => {
      const reset = this.memReset(prevMem);
      const base = this.beta.clamp(0, 1).mul(prevMem).add(input).add(this.recurrent.forward(prevSpk));
      const next = this.resetIntegrated(base, reset);
      const out = this.fire(next);
      return [out, this.resetDelay ? next : delayFreeReset(this, next, out, reset)];
    }) as [Tensor, Tensor];
    this.spk = s;
    this.mem = u;
    return [s, u];
  }

  /**
   * All T steps from zero state: spikes and membranes [T, ...] for currents [T, ...], stepping
   * forward T times (the feedback is a product per step, which no elementwise scan expresses). The
   * kept state is left as it is.
   */
  sequence(currents: Tensor): [spk: Tensor, mem: Tensor] {
    return stepThrough(this, checkSequenceInput(this.layer, currents), ['spk', 'mem'], true) as [Tensor, Tensor];
  }

  /** Forgets the kept states and returns null for each: passed as the state (or the state left out), the next step starts from zeros (snnTorch's `reset_mem`). */
  resetMem(): [spk: null, mem: null] {
    this.spk = null;
    this.mem = null;
    return [null, null];
  }
}
