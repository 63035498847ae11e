/**
 * The encoders' inverses, for plots: from spike trains [T, ...] back to values [...] as each code
 * reads them. `decodeRate` is the firing rate (the Bernoulli probability's estimate), `decodeLatency`
 * the value whose latency code fires first at the observed step, `decodeDelta` the signal rebuilt
 * from its changes. They run as tensor ops on any backend, without a gradient.
 */
import { arange, isTensor, noGrad, type Tensor, tidy, where } from '@surrograd/core';
import type { LatencyOptions } from './spikegen.js';

function spikesOf(fn: string, spikes: unknown): Tensor {
  if (!isTensor(spikes)) throw new TypeError(`spikegen.${fn}: spikes must be a Tensor, got ${spikes === null ? 'null' : typeof spikes}`);
  if (spikes.rank < 1 || spikes.shape[0] === 0)
    throw new RangeError(`spikegen.${fn}: spikes must be [T, ...] with T ≥ 1, got ${JSON.stringify(spikes.shape)}`);
  return spikes;
}

/** Spikes as floats (bool or int spikes count as 1/0); call inside a tidy. */
const float = (s: Tensor): Tensor => (s.dtype === 'float32' || s.dtype === 'float64' ? s : s.cast('float32'));

/** Options of {@link decodeRate}: the gain and offset `rate` encoded with. */
export interface DecodeRateOptions {
  /** The encoder's gain (default 1). */
  gain?: number;
  /** The encoder's offset (default 0). */
  offset?: number;
}

/** The firing rate over time, undone by `rate`'s gain and offset: (mean_t S_t − offset) / gain. */
export function decodeRate(spikes: Tensor, options: DecodeRateOptions = {}): Tensor {
  const s = spikesOf('decodeRate', spikes);
  const gain = options.gain ?? 1;
  const offset = options.offset ?? 0;
  if (!(gain !== 0 && Number.isFinite(gain))) throw new RangeError(`spikegen.decodeRate: gain must be finite and nonzero, got ${gain}`);
  return tidy(() => noGrad(() => float(s).mean(0).sub(offset).div(gain)));
}

/**
 * The value each element's first spike stands for under `latency`'s code with the same options:
 * linear, 1 − t/τ; logarithmic (RC), threshold / (1 − e^(−t/τ)), capped at 1; with t the step less
 * `firstSpikeTime`. Elements that never fire decode to 0. Spike times were rounded to steps, so a
 * value comes back to within a step's worth. `normalize` stretches the times by the data's own
 * extremes, which the spikes don't keep: it is refused.
 */
export function decodeLatency(spikes: Tensor, options: Omit<LatencyOptions, 'numSteps'> & { numSteps?: number }): Tensor {
  const s = spikesOf('decodeLatency', spikes);
  const o = options ?? {};
  if (o.normalize)
    throw new RangeError('spikegen.decodeLatency: normalize stretches spike times by the data it encoded, which spikes do not keep');
  const steps = s.shape[0] as number;
  if (o.numSteps !== undefined && o.numSteps !== steps)
    throw new RangeError(`spikegen.decodeLatency: numSteps is ${o.numSteps} but the spikes have ${steps} steps`);
  const threshold = o.threshold ?? 0.01;
  const tau = o.tau ?? 1;
  const first = o.firstSpikeTime ?? 0;
  if (!(threshold > 0 && threshold < 1)) throw new RangeError(`spikegen.decodeLatency: threshold must be in (0, 1), got ${threshold}`);
  if (!(tau > 0)) throw new RangeError(`spikegen.decodeLatency: tau must be positive, got ${tau}`);
  return tidy(() =>
    noGrad(() => {
      const fired = float(s).gt(o.offTarget ?? 0);
      const time = arange(0, steps, 1, { dtype: 'float32' }).reshape([steps, ...s.shape.slice(1).map(() => 1)]);
      // The first step that fired, or T where none did.
      const t = where(fired, time, steps).min(0);
      const since = t.sub(first).clamp(0, Number.POSITIVE_INFINITY);
      const value = o.linear
        ? since.div(-tau).add(1).clamp(0, 1)
        : since.div(-tau).exp().neg().add(1).reciprocal().mul(threshold).clamp(0, 1);
      return where(t.lt(steps), value, 0);
    }),
  );
}

/** Options of {@link decodeDelta}. */
export interface DecodeDeltaOptions {
  /** The encoder's threshold: each spike is a change of this size (default 0.1). */
  threshold?: number;
}

/**
 * The signal rebuilt from delta spikes, threshold · Σ_{s ≤ t} S_s, from 0: each spike stands for a
 * change of one threshold (−1 spikes, with `offSpike`, for falls). Exact where each step changed
 * the signal by ±threshold or not at all; larger changes come back as one threshold, and changes
 * below it not at all, as the code itself loses them.
 */
export function decodeDelta(spikes: Tensor, options: DecodeDeltaOptions = {}): Tensor {
  const s = spikesOf('decodeDelta', spikes);
  const threshold = options.threshold ?? 0.1;
  if (!(threshold > 0)) throw new RangeError(`spikegen.decodeDelta: threshold must be positive, got ${threshold}`);
  return tidy(() => noGrad(() => float(s).cumsum(0).mul(threshold)));
}
