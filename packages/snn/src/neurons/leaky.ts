/**
 * The leaky integrate-and-fire neuron, as snnTorch's `Leaky` (snntorch/_neurons/leaky.py):
 *
 *   R[t] = H(U[t−1] − U_thr), detached
 *   U[t] = β·U[t−1] + I[t] − R[t]·U_thr        ('subtract', the default)
 *   U[t] = β·(1 − R[t])·U[t−1] + I[t]          ('zero')
 *   U[t] = β·U[t−1] + I[t]                     ('none')
 *   S[t] = H(U[t] − U_thr)·graded               (the surrogate in backward)
 *
 * with β clamped to [0, 1]. With `resetDelay: false` the reset lands in the same step as the spike.
 */
import { activationEntries, type HeavisideOptions, isTensor, type Tensor, tidy } from '@surrograd/core';
import { neuronError, scalarOrTensor } from './checks.js';
import { LeakySequenceFn } from './lif-scan.js';
import { SpikingNeuron, type SpikingNeuronOptions } from './spiking-neuron.js';
import { stepThrough } from './stepped.js';

/** Options of {@link Leaky}. */
export interface LeakyOptions extends SpikingNeuronOptions {
  /** Membrane decay per step, clamped to [0, 1]: a number, or a tensor (per neuron). */
  beta: number | Tensor;
  /** Learn β: it becomes a parameter, the module's `beta` (default false). */
  learnBeta?: boolean;
  /** Reset on the step after the spike (true, the default) or on the same step. */
  resetDelay?: boolean;
}

/** β·U + I after the reset of the step's start, for each reset mechanism. */
export function leakyIntegrate(
  neuron: SpikingNeuron<unknown[], unknown> & { beta: Tensor },
  input: Tensor,
  mem: Tensor,
  reset: Tensor,
): Tensor {
  const beta = neuron.beta.clamp(0, 1);
  switch (neuron.resetMechanism) {
    case 'subtract':
      return beta.mul(mem).add(input).sub(reset.mul(neuron.threshold));
    case 'zero':
      return beta.mul(reset.neg().add(1).mul(mem)).add(input);
    case 'none':
      return beta.mul(mem).add(input);
  }
}

/** Leaky integrate-and-fire: `const [spk, mem] = lif.forward(input, mem)`. */
export class Leaky extends SpikingNeuron<[input: Tensor, mem?: Tensor | null], [spk: Tensor, mem: Tensor]> {
  /** Membrane decay: a buffer, or a parameter with `learnBeta`. */
  declare beta: Tensor;
  /** Whether the reset waits for the step after a spike. */
  readonly resetDelay: boolean;
  /** The membrane after the last step, used when forward is called without one (not owned: it lives in the caller's scope). */
  mem: Tensor | null = null;

  constructor(options: LeakyOptions) {
    super('Leaky', options);
    this.registerState('beta', scalarOrTensor('Leaky', 'beta', options?.beta), options.learnBeta ?? false);
    this.resetDelay = options.resetDelay ?? true;
  }

  /** One step: spikes and the new membrane from the input current and the membrane (default: the last step's, or zeros). */
  override forward(input: Tensor, mem?: Tensor | null): [spk: Tensor, mem: Tensor] {
    const prev = this.stateFor('mem', input, mem, this.mem);
    const [spk, next] = tidy(() => {
      const reset = this.memReset(prev);
      let u = leakyIntegrate(this, input, prev, reset);
      const s = this.fire(u);
      if (!this.resetDelay) u = delayFreeReset(this, u, s, reset);
      return [s, u];
    }) as [Tensor, Tensor];
    this.mem = next;
    return [spk, next];
  }

  /**
   * All T steps at once, from zero state: spikes and membranes [T, ...] for currents [T, ...],
   * equal to stepping forward T times (to float32 rounding). One LifScan kernel forward (membranes
   * and spikes in one pass) and one reverse LinearScan backward (see lif-scan.ts), saving only the
   * membranes. Inhibition, `resetDelay: false` and a learnt surrogate step instead. The kept membrane is left as it is.
   */
  sequence(currents: Tensor): [spk: Tensor, mem: Tensor] {
    if (!isTensor(currents) || currents.rank < 1) {
      throw neuronError(
        this.layer,
        `sequence takes currents [T, ...], got ${isTensor(currents) ? JSON.stringify(currents.shape) : typeof currents}`,
      );
    }
    if (this.inhibition || this.learntSurrogateParams.length > 0 || !this.resetDelay)
      return stepThrough(this, currents, ['mem']) as [Tensor, Tensor];
    return tidy(() => {
      const step = currents.shape.slice(1);
      const beta = perStep(this.beta.clamp(0, 1), step);
      const thr = perStep(this.threshold, step);
      const graded = perStep(this.graded_spikes_factor, step);
      // Spikes pass no gradient with surrogateDisable: the currents and parameters get the membranes' only.
      const attrs = {
        reset: this.resetMechanism,
        spikeAtZero: spikesAtZero(this.surrogate),
        surrogate: this.surrogate,
      };
      const [spk, mem] = LeakySequenceFn(currents, beta, thr, graded, attrs) as [Tensor, Tensor];
      return [this.surrogateDisable ? spk.detach() : spk, mem];
    }) as [Tensor, Tensor];
  }

  /** Forgets the kept membrane and returns null: passed as `mem` (or `mem` left out), the next step starts from zeros (snnTorch's `reset_mem`). */
  resetMem(): null {
    this.mem = null;
    return null;
  }
}

/** The reset in the spike's own step (resetDelay: false): the part not already applied by R, through the spike's surrogate, as snnTorch. */
export function delayFreeReset(neuron: SpikingNeuron<unknown[], unknown>, mem: Tensor, spk: Tensor, reset: Tensor): Tensor {
  const doReset = spk.div(neuron.graded_spikes_factor).sub(reset);
  if (neuron.resetMechanism === 'subtract') return mem.sub(doReset.mul(neuron.threshold));
  if (neuron.resetMechanism === 'zero') return mem.sub(doReset.mul(mem));
  return mem;
}

/** A parameter as the scan kernels take it: one value, or broadcast to one step's shape. */
export function perStep(p: Tensor, step: readonly number[]): Tensor {
  if (p.size === 1) return p.reshape([1]);
  return p.shape.length === step.length && p.shape.every((d, i) => d === step[i]) ? p : p.broadcastTo([...step]);
}

/** Whether the surrogate's forward spikes at exactly 0 (SpikingJelly's kinds: x ≥ 0) rather than above it. */
export function spikesAtZero(surrogate: HeavisideOptions): boolean {
  const entry = activationEntries().find((e) => e.name === `heaviside/${surrogate.surrogate ?? 'fastSigmoid'}`);
  return entry?.forward === 'heavisideAtZero';
}
