/**
 * What every neuron shares, as snnTorch's `SpikingNeuron` (snntorch/_neurons/neurons.py): a
 * threshold, the surrogate that shapes dS/dU, the reset mechanism, graded spikes and inhibition.
 *
 *   fire(U)     = H(U − U_thr) · graded, the surrogate's derivative in backward
 *   memReset(U) = H(U − U_thr), detached: which neurons reset on the next step
 *
 * Parameters snnTorch can learn (threshold, graded spikes factor) are buffers unless asked to
 * learn, so state dicts carry snnTorch's keys: `threshold`, `graded_spikes_factor`.
 */
import {
  activationEntries,
  type HeavisideOptions,
  type HeavisideSurrogate,
  heaviside,
  nn,
  oneHot,
  surrogatePrimitive,
  type Tensor,
  tensor,
  tidy,
  zerosLike,
} from '@surrograd/core';
import { isTensor, neuronError, scalarOrTensor } from './checks.js';

/** How the membrane resets after a spike: subtract the threshold, set it to zero, or not at all. */
export type ResetMechanism = 'subtract' | 'zero' | 'none';

const RESET_MECHANISMS: readonly ResetMechanism[] = ['subtract', 'zero', 'none'];

/** Options every neuron takes (snnTorch's keyword arguments, camelCased). */
export interface SpikingNeuronOptions {
  /** Membrane potential at which a spike fires (default 1): a number, or a tensor (per neuron). */
  threshold?: number | Tensor;
  /** Learn the threshold: it becomes a parameter (default false). */
  learnThreshold?: boolean;
  /**
   * The surrogate used for dS/dU, as `heaviside` takes it: a name, or `heaviside`'s options
   * object (`{ surrogate: 'fastSigmoid', slope: 25 }`). Default atan with α = 2, snnTorch's.
   */
  surrogate?: HeavisideSurrogate | HeavisideOptions;
  /** No surrogate: spikes pass no gradient at all (snnTorch's `surrogate_disable`). Default false. */
  surrogateDisable?: boolean;
  /**
   * Learn the surrogate's parameters (its α, slope, width, …): each becomes a scalar parameter
   * `surrogate_<name>` (default false). A parameter given as a tensor in `surrogate` is learnt
   * too, as given. How they get a gradient: see core's `SurrogateParam`. The neuron then steps
   * through `sequence` instead of running its fused kernels.
   */
  learnSurrogate?: boolean;
  /** 'subtract' (default), 'zero' or 'none'. */
  resetMechanism?: ResetMechanism;
  /** Only the neuron with the highest membrane in each sample (dim 1) may spike. Default false. */
  inhibition?: boolean;
  /** Spikes are this value instead of 1 (default 1). */
  gradedSpikesFactor?: number | Tensor;
  /** Learn the graded spikes factor (default false). */
  learnGradedSpikesFactor?: boolean;
}

/** The surrogate options as `heaviside` takes them. */
function surrogateOptions(layer: string, s: SpikingNeuronOptions['surrogate']): HeavisideOptions {
  if (s === undefined) return { surrogate: 'atan', alpha: 2 };
  if (typeof s === 'string') return { surrogate: s };
  if (typeof s === 'object' && s !== null && !Array.isArray(s)) return { surrogate: 'atan', ...s };
  throw neuronError(layer, `surrogate must be a surrogate's name or heaviside's options, got ${JSON.stringify(s)}`);
}

/** A spiking neuron module; `In`/`Out` are its forward's inputs (input and state) and outputs (spikes and state). */
export abstract class SpikingNeuron<In extends unknown[], Out> extends nn.Module<In, Out> {
  /** Firing threshold: a buffer, or a parameter with `learnThreshold`. */
  declare threshold: Tensor;
  /** Spike amplitude: a buffer, or a parameter with `learnGradedSpikesFactor`. */
  declare graded_spikes_factor: Tensor;
  /** The surrogate's options, as `heaviside` takes them. */
  readonly surrogate: HeavisideOptions;
  /** Whether spikes pass no gradient. */
  readonly surrogateDisable: boolean;
  /** The surrogate's parameters that are learnt, each the module's field `surrogate_<name>`. */
  readonly learntSurrogateParams: readonly string[];
  /** How the membrane resets after a spike. */
  readonly resetMechanism: ResetMechanism;
  /** Whether only the strongest neuron per sample spikes. */
  readonly inhibition: boolean;

  constructor(
    /** The layer's name in errors (Leaky, Synaptic, …). */
    protected readonly layer: string,
    options: SpikingNeuronOptions,
  ) {
    super();
    if (typeof options !== 'object' || options === null) throw neuronError(layer, `expected an options object, got ${String(options)}`);
    const reset = options.resetMechanism ?? 'subtract';
    if (!RESET_MECHANISMS.includes(reset)) {
      throw neuronError(layer, `resetMechanism must be 'subtract', 'zero' or 'none', got ${JSON.stringify(reset)}`);
    }
    this.resetMechanism = reset;
    this.surrogate = surrogateOptions(layer, options.surrogate);
    this.learntSurrogateParams = this.registerSurrogateParams(options.learnSurrogate ?? false);
    // Checked now, not at the first step: an unknown surrogate fails here with the known ones listed.
    const fixed = Object.fromEntries(Object.entries(this.surrogate).filter(([, v]) => !isTensor(v))) as HeavisideOptions;
    tidy(() => void heaviside(tensor([0]), fixed));
    this.surrogateDisable = options.surrogateDisable ?? false;
    this.inhibition = options.inhibition ?? false;
    this.registerState('threshold', scalarOrTensor(layer, 'threshold', options.threshold ?? 1), options.learnThreshold ?? false);
    this.registerState(
      'graded_spikes_factor',
      scalarOrTensor(layer, 'gradedSpikesFactor', options.gradedSpikesFactor ?? 1),
      options.learnGradedSpikesFactor ?? false,
    );
  }

  /** Makes `t` the field `name`: a parameter if `learn`, else a buffer (snnTorch's `nn.Parameter` or `register_buffer`). */
  protected registerState(name: string, t: Tensor, learn: boolean): void {
    if (learn) {
      // A leaf (a number's tensor, or the user's) learns in place, as nn.Parameter shares its data.
      (this as unknown as Record<string, Tensor>)[name] =
        t.requiresGrad || t.isLeaf ? t.requiresGrad_(true) : t.detach().requiresGrad_(true);
    } else {
      this.registerBuffer(name, t);
    }
  }

  /** Registers the surrogate parameters to learn as `surrogate_<name>` and returns their names. */
  private registerSurrogateParams(learnAll: boolean): string[] {
    const { surrogate: kind, ...given } = this.surrogate;
    const entry = activationEntries().find((e) => e.name === `heaviside/${kind}`);
    if (!entry) return []; // an unknown surrogate: heaviside names the known ones
    const anyGiven = Object.values(given).some(isTensor);
    if ((learnAll || anyGiven) && (Object.keys(entry.defaults).length === 0 || !surrogatePrimitive(entry.derivative))) {
      const can = activationEntries()
        .filter((e) => e.name.startsWith('heaviside/') && surrogatePrimitive(e.derivative))
        .map((e) => e.name.slice('heaviside/'.length));
      throw neuronError(this.layer, `surrogate '${kind}' has no parameters it can learn; surrogates that can: ${can.join(', ')}`);
    }
    const learnt: string[] = [];
    for (const name of Object.keys(entry.defaults)) {
      const v = (given as Record<string, number | Tensor | undefined>)[name] ?? (entry.defaults[name] as number);
      if (!learnAll && !isTensor(v)) continue;
      this.registerState(`surrogate_${name}`, isTensor(v) ? v : tensor(v), true);
      learnt.push(name);
    }
    return learnt;
  }

  /** The learnt surrogate parameter `name` (the field `surrogate_<name>`), e.g. `lif.surrogateParameter('alpha')`. */
  surrogateParameter(name: string): Tensor {
    if (!this.learntSurrogateParams.includes(name)) {
      const learnt = this.learntSurrogateParams;
      throw neuronError(this.layer, `the surrogate learns ${learnt.length ? learnt.join(', ') : 'no parameters'}; no '${name}'`);
    }
    return (this as unknown as Record<string, Tensor>)[`surrogate_${name}`] as Tensor;
  }

  /** The surrogate's options as `heaviside` takes them now: the learnt parameters as their tensors. */
  protected surrogateOptions(): HeavisideOptions {
    if (this.learntSurrogateParams.length === 0) return this.surrogate;
    const fields = this as unknown as Record<string, Tensor>;
    return { ...this.surrogate, ...Object.fromEntries(this.learntSurrogateParams.map((n) => [n, fields[`surrogate_${n}`]])) };
  }

  /** S = H(U − U_thr) · graded, with the surrogate's derivative (none with surrogateDisable); inhibition keeps each sample's argmax only. */
  fire(mem: Tensor): Tensor {
    return this.spike(mem.sub(this.threshold)).mul(this.graded_spikes_factor);
  }

  /** H(shifted) with the surrogate (none with surrogateDisable), gated by inhibition: spikes of 1, before grading. */
  protected spike(shifted: Tensor): Tensor {
    const spikes = this.surrogateDisable ? heaviside(shifted.detach(), this.surrogate) : heaviside(shifted, this.surrogateOptions());
    return this.inhibition ? spikes.mul(this.strongest(shifted)) : spikes;
  }

  /** One-hot along dim 1 of each sample's highest membrane (snnTorch's fire_inhibition). */
  private strongest(shifted: Tensor): Tensor {
    if (shifted.rank !== 2) throw neuronError(this.layer, `inhibition needs [batch, neurons] inputs, got ${JSON.stringify(shifted.shape)}`);
    return oneHot(shifted.detach().argmax(1), shifted.shape[1] as number).cast(shifted.dtype);
  }

  /** The reset applied to a membrane already integrated (Lapicque's, RLeaky's): subtract R·U_thr, zero where R, or none. */
  protected resetIntegrated(base: Tensor, reset: Tensor): Tensor {
    if (this.resetMechanism === 'subtract') return base.sub(reset.mul(this.threshold));
    if (this.resetMechanism === 'zero') return base.sub(reset.mul(base));
    return base;
  }

  /** R = H(U − U_thr), detached: the neurons whose membrane resets this step. */
  memReset(mem: Tensor): Tensor {
    return heaviside(mem.detach().sub(this.threshold.detach()), this.surrogate);
  }

  /**
   * The state a step starts from: `given` if passed (null, or an empty tensor as snnTorch's
   * `torch.zeros(0)`, means the resting state: zeros, or `rest` everywhere); left out
   * (undefined), `kept` from the previous step, or the resting state.
   */
  protected stateFor(name: string, input: Tensor, given: Tensor | null | undefined, kept: Tensor | null, rest = 0): Tensor {
    if (!isTensor(input)) throw neuronError(this.layer, `the input must be a Tensor, got ${input === null ? 'null' : typeof input}`);
    if (given !== null && given !== undefined && !isTensor(given)) {
      throw neuronError(this.layer, `${name} must be a Tensor (or null, or omitted), got ${typeof given}`);
    }
    const state = given === undefined ? kept : given;
    const initial = () => (rest === 0 ? zerosLike(input) : zerosLike(input).add(rest));
    if (state === null) return initial();
    if (state.isDisposed) {
      throw neuronError(
        this.layer,
        `the ${name} ${given ? 'passed' : 'kept from the previous step'} was disposed (made inside a tidy that has ended): pass ${name} explicitly, or call resetMem()`,
      );
    }
    if (state.size === 0) return initial();
    if (state.shape.length !== input.shape.length || state.shape.some((d, i) => d !== input.shape[i])) {
      throw neuronError(this.layer, `${name} ${JSON.stringify(state.shape)} does not match the input ${JSON.stringify(input.shape)}`);
    }
    return state;
  }
}
