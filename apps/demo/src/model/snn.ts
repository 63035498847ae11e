/**
 * The spiking net of snnTorch's tutorial 5, in @surrograd/snn: 784-1000-10, two Leaky layers
 * (β = 0.95), 25 time steps, trained on the output membranes with a cross-entropy at every step.
 * Inputs are rate-coded (each pixel a Bernoulli spike per step, its intensity the probability) or,
 * with `encoding: 'direct'`, the same pixels as a current at every step (the tutorial's choice).
 *
 * The layers are unrolled layer by layer, not step by step: the first layer's currents for all
 * steps are one matmul of [T·batch, 784], its neurons run over all steps at once (Leaky.sequence),
 * and its spikes for all steps feed the second layer's one matmul. A feed-forward net computes the
 * same thing either way.
 */

import { Generator, type HeavisideOptions, type HeavisideSurrogate, nn, type Tensor } from '@surrograd/core';
import { functional, Leaky, spikegen } from '@surrograd/snn';
import { PIXEL_MEAN, PIXEL_STD } from '../data/batches.js';
import type { ActivationChoice } from './activations.js';

/** How pixels become input: Bernoulli spikes per step, or the pixels as a constant current. */
export type Encoding = 'rate' | 'direct';

export const SNN_STEPS = 25;
export const SNN_BETA = 0.95;
export const SNN_HIDDEN = 1000;
const EVAL_SEED = 2024;

/** The heaviside surrogate an activation choice names ('heaviside/atan' with its options), or a clear error. */
export function surrogateOf(choice: ActivationChoice): HeavisideOptions {
  const [family, kind] = choice.name.split('/');
  if (family !== 'heaviside' || !kind) {
    throw new Error(
      `--model snn spikes through heaviside: pick --activation heaviside/<surrogate> (e.g. heaviside/atan), got '${choice.name}'`,
    );
  }
  return { surrogate: kind as HeavisideSurrogate, ...(choice.options as Record<string, number>) };
}

/** The spiking classifier: forward gives each output neuron's spike count over the steps (the logits of accuracy). */
export class SpikingNet extends nn.Module {
  readonly kind = 'snn' as const;
  readonly fc1: nn.Linear;
  readonly lif1: Leaky;
  readonly fc2: nn.Linear;
  readonly lif2: Leaky;
  /** The hidden layer's width: its spike counts are the hidden activity. */
  readonly hiddenSizes = [SNN_HIDDEN];
  /** Draws the rate code's spikes: seeded, so a run repeats. */
  private readonly generator: Generator;

  constructor(
    readonly activation: ActivationChoice,
    seed: number,
    readonly encoding: Encoding = 'rate',
    readonly steps = SNN_STEPS,
  ) {
    super();
    const surrogate = surrogateOf(activation);
    this.fc1 = new nn.Linear(784, SNN_HIDDEN, { seed: seed * 1009 });
    this.lif1 = new Leaky({ beta: SNN_BETA, surrogate });
    this.fc2 = new nn.Linear(SNN_HIDDEN, 10, { seed: seed * 1009 + 1 });
    this.lif2 = new Leaky({ beta: SNN_BETA, surrogate });
    this.generator = new Generator(seed * 7919 + 17);
  }

  /** The first layer's weight, whose gradient norm the trainer reports. */
  get firstWeight(): Tensor {
    return this.fc1.weight;
  }

  /** Both layers' weights: the trainer reports each one's gradient norm. */
  get layerWeights(): Tensor[] {
    return [this.fc1.weight, this.fc2.weight];
  }

  /** A short description for logs and reports. */
  describe(): string {
    return `SNN 784-${SNN_HIDDEN}-10 Leaky (β ${SNN_BETA}, ${this.steps} steps, ${this.encoding === 'rate' ? 'rate-coded' : 'direct'} input)`;
  }

  /** Spikes [T, n, 1000] of the hidden layer and spikes and membranes [T, n, 10] of the output layer. */
  run(x: Tensor): { hidden: Tensor; spk: Tensor; mem: Tensor } {
    const n = x.shape[0] as number;
    // The trainer's inputs are normalized; the codes take intensities in [0, 1], as snnTorch's tutorials.
    const pixels = x.mul(PIXEL_STD).add(PIXEL_MEAN).clamp(0, 1);
    // Evaluation draws from a fixed seed each call, so a model scores the same however it was made.
    const generator = this.training ? this.generator : new Generator(EVAL_SEED);
    const input = this.encoding === 'rate' ? spikegen.rate(pixels, { numSteps: this.steps, generator }) : null;
    // Currents of all steps at once: one [T·n, 784] matmul (rate), or one [n, 784] for every step (direct).
    const cur1 = input
      ? this.fc1.forward(input.reshape([this.steps * n, 784])).reshape([this.steps, n, SNN_HIDDEN])
      : this.fc1.forward(pixels);
    // Each layer over all steps at once (Leaky.sequence: one scan kernel forward, one backward).
    const [spk1] = this.lif1.sequence(input ? cur1 : cur1.unsqueeze(0).broadcastTo([this.steps, n, SNN_HIDDEN]));
    const cur2 = this.fc2.forward(spk1.reshape([this.steps * n, SNN_HIDDEN])).reshape([this.steps, n, 10]);
    const [spk, mem] = this.lif2.sequence(cur2);
    return { hidden: spk1, spk, mem };
  }

  /** Each output neuron's spike count over the steps: the most-spiking one is the prediction. */
  forward(x: Tensor): Tensor {
    return this.run(x).spk.sum(0);
  }

  /** The training loss of snnTorch's tutorial 5: a cross-entropy of the output membranes at every step (averaged over the steps). */
  loss(x: Tensor, labels: Tensor): Tensor {
    return functional.ceRateLoss()(this.run(x).mem, labels);
  }

  /** The spike counts and the hidden layer's spike counts [n, 1000] (zero where a neuron never fired). */
  forwardWithHidden(x: Tensor): { logits: Tensor; hidden: Tensor[] } {
    const { hidden, spk } = this.run(x);
    return { logits: spk.sum(0), hidden: [hidden.sum(0)] };
  }
}
