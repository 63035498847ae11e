/**
 * The adaptive LIF neuron of LSNNs (Bellec et al. 2018), as Norse's feed-forward LSNN step
 * (norse/torch/functional/lsnn.py, lsnn_feed_forward_step): a current-based LIF whose threshold b
 * rises by β with each spike and relaxes back to v_th, integrated by Euler steps of dt.
 *
 *   v' = v + dt·τ_mem⁻¹·((v_leak − v) + i),   i' = i − dt·τ_syn⁻¹·i,   b' = b + dt·τ_adapt⁻¹·(v_th − b)
 *   z  = H(v' − b')                              (the surrogate in backward)
 *   v ← (1 − z)·v' + z·v_reset,   b ← b' + z·β,   i ← i' + input
 *
 * Initial state as Norse's: v = v_leak, i = 0, b = v_th. The default surrogate is Norse's
 * SuperSpike with α 100 (`fastSigmoid`, slope 100).
 */
import { type Tensor, tidy } from '@surrograd/core';
import { neuronError } from './checks.js';
import { SpikingNeuron, type SpikingNeuronOptions } from './spiking-neuron.js';
import { checkSequenceInput, stepThrough } from './stepped.js';

/** Options of {@link ALIF}: Norse's LSNNParameters camelCased (its defaults), and dt. */
export interface ALIFOptions extends Omit<SpikingNeuronOptions, 'threshold' | 'learnThreshold' | 'resetMechanism'> {
  /** Inverse synaptic time constant (default 1/5e-3). */
  tauSynInv?: number;
  /** Inverse membrane time constant (default 1/1e-2). */
  tauMemInv?: number;
  /** Inverse adaptation time constant (default 1/800). */
  tauAdaptInv?: number;
  /** Leak potential (default 0). */
  vLeak?: number;
  /** Resting threshold (default 1). */
  vTh?: number;
  /** Potential after a spike (default 0). */
  vReset?: number;
  /** Threshold increase per spike (default 1.8). */
  beta?: number;
  /** Euler step (default 0.001). */
  dt?: number;
}

/** ALIF's constants, every one set: Norse's LSNNParameters and dt. */
export type ALIFParameters = Required<
  Pick<ALIFOptions, 'tauSynInv' | 'tauMemInv' | 'tauAdaptInv' | 'vLeak' | 'vTh' | 'vReset' | 'beta' | 'dt'>
>;

const NORSE_DEFAULTS: ALIFParameters = {
  tauSynInv: 1 / 5e-3,
  tauMemInv: 1 / 1e-2,
  tauAdaptInv: 1 / 800,
  vLeak: 0,
  vTh: 1,
  vReset: 0,
  beta: 1.8,
  dt: 0.001,
};

/** Adaptive LIF: `const [spk, v, i, b] = neuron.forward(input, v, i, b)`. */
export class ALIF extends SpikingNeuron<
  [input: Tensor, v?: Tensor | null, i?: Tensor | null, b?: Tensor | null],
  [spk: Tensor, v: Tensor, i: Tensor, b: Tensor]
> {
  /** The neuron's constants, Norse's defaults where not given. */
  readonly params: Readonly<ALIFParameters>;
  /** The membrane after the last step (not owned). */
  v: Tensor | null = null;
  /** The synaptic current after the last step (not owned). */
  i: Tensor | null = null;
  /** The adaptive threshold after the last step (not owned). */
  b: Tensor | null = null;

  constructor(options: ALIFOptions = {}) {
    const { tauSynInv, tauMemInv, tauAdaptInv, vLeak, vTh, vReset, beta, dt, ...neuron } = options;
    super('ALIF', { surrogate: { surrogate: 'fastSigmoid', slope: 100 }, ...neuron, threshold: vTh ?? NORSE_DEFAULTS.vTh });
    const p: ALIFParameters = { ...NORSE_DEFAULTS };
    for (const [k, v] of Object.entries({ tauSynInv, tauMemInv, tauAdaptInv, vLeak, vTh, vReset, beta, dt })) {
      if (v === undefined) continue;
      if (typeof v !== 'number' || !Number.isFinite(v)) throw neuronError('ALIF', `${k} must be a finite number, got ${String(v)}`);
      p[k as keyof typeof p] = v;
    }
    if (!(p.dt > 0)) throw neuronError('ALIF', `dt must be positive, got ${p.dt}`);
    this.params = p;
  }

  /** One Euler step: spikes, membrane, current and threshold (each state defaulting to the last step's, or Norse's initial state). */
  override forward(input: Tensor, v?: Tensor | null, i?: Tensor | null, b?: Tensor | null): [spk: Tensor, v: Tensor, i: Tensor, b: Tensor] {
    const p = this.params;
    const prevV = this.stateFor('v', input, v, this.v, p.vLeak);
    const prevI = this.stateFor('i', input, i, this.i);
    const prevB = this.stateFor('b', input, b, this.b, p.vTh);
    const out = tidy(() => {
      const vDecayed = prevV.add(
        prevV
          .neg()
          .add(p.vLeak)
          .add(prevI)
          .mul(p.dt * p.tauMemInv),
      );
      const iDecayed = prevI.add(prevI.mul(-p.dt * p.tauSynInv));
      const bDecayed = prevB.add(
        prevB
          .neg()
          .add(p.vTh)
          .mul(p.dt * p.tauAdaptInv),
      );
      const z = this.spike(vDecayed.sub(bDecayed));
      const vNew = z.neg().add(1).mul(vDecayed).add(z.mul(p.vReset));
      const bNew = bDecayed.add(z.mul(p.beta));
      return [z.mul(this.graded_spikes_factor), vNew, iDecayed.add(input), bNew];
    }) as [Tensor, Tensor, Tensor, Tensor];
    [, this.v, this.i, this.b] = out;
    return out;
  }

  /**
   * All T steps from Norse's initial state: spikes, membranes, currents and thresholds [T, ...] for
   * inputs [T, ...], stepping forward T times (the adaptive threshold has no fused kernel). The kept
   * state is left as it is.
   */
  sequence(inputs: Tensor): [spk: Tensor, v: Tensor, i: Tensor, b: Tensor] {
    return stepThrough(this, checkSequenceInput(this.layer, inputs), ['v', 'i', 'b']) as [Tensor, Tensor, Tensor, Tensor];
  }

  /** Forgets the kept states; returns null for each: the next step starts from Norse's initial state. */
  resetMem(): [v: null, i: null, b: null] {
    this.v = null;
    this.i = null;
    this.b = null;
    return [null, null, null];
  }
}
