/**
 * Lapicque's RC neuron, as snnTorch's `Lapicque` (snntorch/_neurons/lapicque.py): the membrane is
 * an RC circuit stepped by Euler's method.
 *
 *   U[t] = I[t]·R·Δt/(R·C) + (1 − Δt/(R·C))·U[t−1] − R[t]·U_thr       ('subtract')
 *
 * Give β alone (R = 1, C = Δt / ln(1/β)), β with R or C (the other from β), or R and C
 * (β = e^(−Δt/(R·C))), as snnTorch.
 */
import { isTensor, onBackend, type Tensor, tensor, tidy } from '@surrograd/core';
import { neuronError } from './checks.js';
import { perStep, spikesAtZero } from './leaky.js';
import { LeakySequenceFn } from './lif-scan.js';
import { SpikingNeuron, type SpikingNeuronOptions } from './spiking-neuron.js';
import { stepThrough } from './stepped.js';

/** Options of {@link Lapicque}. */
export interface LapicqueOptions extends SpikingNeuronOptions {
  /** Membrane decay per step, in (0, 1). */
  beta?: number;
  /** Resistance. */
  R?: number;
  /** Capacitance. */
  C?: number;
  /** Time step Δt (default 1). */
  timeStep?: number;
}

const positive = (v: number | undefined): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0;

/** R, C and β from the options, as snnTorch's `_lapicque_cases`. */
function circuit(o: LapicqueOptions): { R: number; C: number; beta: number; timeStep: number } {
  const dt = o.timeStep ?? 1;
  if (!positive(dt)) throw neuronError('Lapicque', `timeStep must be a positive number, got ${String(o.timeStep)}`);
  for (const k of ['beta', 'R', 'C'] as const) {
    if (o[k] !== undefined && !positive(o[k])) throw neuronError('Lapicque', `${k} must be a positive number, got ${String(o[k])}`);
  }
  if (o.beta !== undefined && !(o.beta < 1)) throw neuronError('Lapicque', `beta must be below 1 (ln(1/β) sets C), got ${o.beta}`);
  const { beta, R, C } = o;
  if (beta === undefined) {
    if (R === undefined || C === undefined) throw neuronError('Lapicque', 'give beta, or two of beta, R and C');
    return { R, C, beta: Math.exp(-dt / (R * C)), timeStep: dt };
  }
  if (R === undefined && C === undefined) return { R: 1, C: dt / Math.log(1 / beta), beta, timeStep: dt };
  if (C === undefined) return { R: R as number, C: dt / ((R as number) * Math.log(1 / beta)), beta, timeStep: dt };
  if (R === undefined) return { R: dt / (C * Math.log(1 / beta)), C, beta, timeStep: dt };
  throw neuronError('Lapicque', 'give beta, or two of beta, R and C, not all three');
}

/** Lapicque's neuron: `const [spk, mem] = neuron.forward(input, mem)`. */
export class Lapicque extends SpikingNeuron<[input: Tensor, mem?: Tensor | null], [spk: Tensor, mem: Tensor]> {
  /** Resistance. */
  readonly R: number;
  /** Capacitance. */
  readonly C: number;
  /** The decay the circuit gives per step, e^(−Δt/(R·C)) or as given. */
  readonly beta: number;
  /** Euler step Δt. */
  readonly timeStep: number;
  /** The membrane after the last step (not owned). */
  mem: Tensor | null = null;

  constructor(options: LapicqueOptions) {
    super('Lapicque', options);
    const c = circuit(options);
    this.R = c.R;
    this.C = c.C;
    this.beta = c.beta;
    this.timeStep = c.timeStep;
  }

  /** One step of the circuit: spikes and the new membrane. */
  override forward(input: Tensor, mem?: Tensor | null): [spk: Tensor, mem: Tensor] {
    const prev = this.stateFor('mem', input, mem, this.mem);
    const [s, u] = tidy(() => {
      const reset = this.memReset(prev);
      const tau = this.R * this.C;
      const base = input
        .mul(this.R)
        .mul(1 / tau)
        .mul(this.timeStep)
        .add(prev.mul(1 - this.timeStep / tau));
      const next = this.resetIntegrated(base, reset);
      return [this.fire(next), next];
    }) as [Tensor, Tensor];
    this.mem = u;
    return [s, u];
  }

  /**
   * All T steps at once, from zero state: spikes and membranes [T, ...], equal to stepping forward
   * T times. The circuit is a Leaky with β = 1 − Δt/(R·C) fed I·R·Δt/(R·C), so it runs on the
   * same scan kernels; the 'zero' reset (which zeroes the new membrane) and inhibition step.
   */
  sequence(currents: Tensor): [spk: Tensor, mem: Tensor] {
    if (!isTensor(currents) || currents.rank < 1) {
      throw neuronError(
        this.layer,
        `sequence takes currents [T, ...], got ${isTensor(currents) ? JSON.stringify(currents.shape) : typeof currents}`,
      );
    }
    if (this.inhibition || this.learntSurrogateParams.length > 0 || this.resetMechanism === 'zero')
      return stepThrough(this, currents, ['mem']) as [Tensor, Tensor];
    return tidy(() => {
      const step = currents.shape.slice(1);
      const tau = this.R * this.C;
      const drive = currents
        .mul(this.R)
        .mul(1 / tau)
        .mul(this.timeStep);
      const decay = onBackend(currents.backend, () => tensor([1 - this.timeStep / tau], { dtype: currents.dtype }));
      const attrs = { reset: this.resetMechanism, spikeAtZero: spikesAtZero(this.surrogate), surrogate: this.surrogate };
      const [spk, mem] = LeakySequenceFn(drive, decay, perStep(this.threshold, step), perStep(this.graded_spikes_factor, step), attrs) as [
        Tensor,
        Tensor,
      ];
      return [this.surrogateDisable ? spk.detach() : spk, mem];
    }) as [Tensor, Tensor];
  }

  /** Forgets the kept membrane and returns null: passed as `mem` (or `mem` left out), the next step starts from zeros (snnTorch's `reset_mem`). */
  resetMem(): null {
    this.mem = null;
    return null;
  }
}
