/**
 * Spike encoders, as snnTorch's `spikegen` (snntorch/spikegen.py): `rate` (Bernoulli spikes, the
 * value as the probability), `latency` (one spike per value, earlier for larger values) and
 * `delta` (a spike where the value changes by at least a threshold). Outputs are float32
 * [T, ...data.shape], no gradient. Their inverses, for plots, are `decodeRate`, `decodeLatency` and
 * `decodeDelta` (spike-decode.ts).
 */
import {
  concat,
  type Generator,
  globalGenerator,
  isTensor,
  noGrad,
  onBackend,
  type Tensor,
  tensor,
  tidy,
  zeros,
  zerosLike,
} from '@surrograd/core';

export { type DecodeDeltaOptions, type DecodeRateOptions, decodeDelta, decodeLatency, decodeRate } from './spike-decode.js';

function spikegenError(fn: string, message: string): RangeError {
  return new RangeError(`spikegen.${fn}: ${message}`);
}

function checkData(fn: string, data: unknown): Tensor {
  if (!isTensor(data)) throw new TypeError(`spikegen.${fn}: data must be a Tensor, got ${data === null ? 'null' : typeof data}`);
  if (data.dtype !== 'float32' && data.dtype !== 'float64')
    throw new TypeError(`spikegen.${fn}: data must be a float tensor, got ${data.dtype}`);
  return data;
}

function nonNegativeInt(fn: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0)
    throw spikegenError(fn, `${name} must be a non-negative integer, got ${String(v)}`);
  return v;
}

/** Options of {@link rate}. */
export interface RateOptions {
  /** Time steps for static data (not with `timeVarInput`). */
  numSteps?: number;
  /** Scales the data before it becomes a probability (default 1). */
  gain?: number;
  /** Added after the gain (default 0). */
  offset?: number;
  /** Steps before this one stay silent (default 0). */
  firstSpikeTime?: number;
  /** The data is already [T, ...]: each step its own probabilities (default false). */
  timeVarInput?: boolean;
  /** The random stream (default core's global generator, which `manualSeed` seeds). */
  generator?: Generator;
}

/** Bernoulli spikes of probability clamp(p, 0, 1), drawn from `gen` (one uniform per element, in order). */
function bernoulli(p: Tensor, gen: Generator): Tensor {
  const u = new Float32Array(p.size);
  for (let i = 0; i < u.length; i++) u[i] = gen.uniform();
  return onBackend(p.backend, () => tensor(u, { shape: p.shape }).lt(p.clamp(0, 1)).cast('float32'));
}

/**
 * Rate coding: spike with probability data·gain + offset (clamped to [0, 1]) at each of `numSteps`
 * steps — or, with `timeVarInput`, at each step of data [T, ...] — as snnTorch's `spikegen.rate`.
 */
export function rate(data: Tensor, options: RateOptions = {}): Tensor {
  const x = checkData('rate', data);
  const first = nonNegativeInt('rate', 'firstSpikeTime', options.firstSpikeTime ?? 0);
  const gen = options.generator ?? globalGenerator();
  const gain = options.gain ?? 1;
  const offset = options.offset ?? 0;
  if (options.timeVarInput && options.numSteps !== undefined) {
    throw spikegenError('rate', 'numSteps must not be given when timeVarInput is true: the data is already [T, ...]');
  }
  const steps = options.timeVarInput ? 0 : nonNegativeInt('rate', 'numSteps', options.numSteps);
  if (!options.timeVarInput && steps > 0 && first > steps - 1) {
    throw spikegenError('rate', `firstSpikeTime (${first}) must be at most numSteps - 1 (${steps - 1})`);
  }
  return tidy(() =>
    noGrad(() => {
      if (options.timeVarInput) {
        const spikes = bernoulli(x, gen);
        return first === 0 ? spikes : concat([zeros([first, ...x.shape.slice(1)]), spikes]);
      }
      const probs = x
        .mul(gain)
        .add(offset)
        .unsqueeze(0)
        .expand([steps, ...x.shape]);
      const spikes = bernoulli(probs, gen);
      return first === 0 ? spikes : concat([zeros([first, ...x.shape]), spikes.narrow(0, first, steps - first)]);
    }),
  );
}

/** Options of {@link latency}. */
export interface LatencyOptions {
  /** Time steps (required). */
  numSteps: number;
  /** Values below it spike last (or never, with `clip`) (default 0.01). */
  threshold?: number;
  /** RC time constant: larger, later spikes (default 1). */
  tau?: number;
  /** The earliest spike time (default 0). */
  firstSpikeTime?: number;
  /** Value of a spike (default 1). */
  onTarget?: number;
  /** Value of no spike (default 0). */
  offTarget?: number;
  /** Values below the threshold never spike (default false). */
  clip?: boolean;
  /** Stretch the spike times to span all the steps (default false). */
  normalize?: boolean;
  /** Linear instead of logarithmic (RC) code (default false). */
  linear?: boolean;
  /** Keeps log's argument finite (default 1e-7). */
  epsilon?: number;
}

const f = Math.fround;

/** Each value's spike time, in float32 as snnTorch's latency_code_log / latency_code_linear compute it. */
function spikeTimes(values: ArrayLike<number>, o: Required<Omit<LatencyOptions, 'onTarget' | 'offTarget' | 'clip'>>): Float32Array {
  const { numSteps, threshold, tau, firstSpikeTime, normalize, linear, epsilon } = o;
  const n = values.length;
  const t = new Float32Array(n);
  if (linear) {
    const slope = normalize ? numSteps - 1 - firstSpikeTime : tau;
    const cap = f(-slope * f(threshold - 1));
    for (let i = 0; i < n; i++) t[i] = f(Math.min(f(-slope * f((values[i] as number) - 1)), cap) + firstSpikeTime);
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    for (const v of t) [min, max] = [Math.min(min, v), Math.max(max, v)];
    if (min < 0 && normalize) for (let i = 0; i < n; i++) t[i] = f(f(f((t[i] as number) - min) * f(1 / f(max - min))) * (numSteps - 1));
    return t;
  }
  for (let i = 0; i < n; i++) {
    const v = f(Math.max(values[i] as number, f(threshold + epsilon)));
    t[i] = f(f(tau) * f(Math.log(f(v / f(v - threshold)))));
    if (firstSpikeTime > 0) t[i] = f((t[i] as number) + firstSpikeTime);
  }
  if (normalize) {
    let max = Number.NEGATIVE_INFINITY;
    for (const v of t) max = Math.max(max, f(v - firstSpikeTime));
    for (let i = 0; i < n; i++)
      t[i] = f(f(f(f((t[i] as number) - firstSpikeTime) * (numSteps - firstSpikeTime - 1)) / max) + firstSpikeTime);
  }
  return t;
}

/**
 * Latency coding: each value in [0, 1] fires once, at t = τ·ln(x / (x − threshold)) (or linearly
 * with `linear`), rounded to a step, as snnTorch's `spikegen.latency` (not its `interpolate` or
 * `bypass` modes). Reads the data on the host: on a backend that cannot read synchronously
 * (webgpu), encode on cpu or wasm.
 */
export function latency(data: Tensor, options: LatencyOptions): Tensor {
  const x = checkData('latency', data);
  if (typeof options !== 'object' || options === null) throw new TypeError('spikegen.latency: options with numSteps are required');
  const numSteps = nonNegativeInt('latency', 'numSteps', options.numSteps);
  if (numSteps === 0) throw spikegenError('latency', 'numSteps must be positive');
  const o = {
    numSteps,
    threshold: options.threshold ?? 0.01,
    tau: options.tau ?? 1,
    firstSpikeTime: nonNegativeInt('latency', 'firstSpikeTime', options.firstSpikeTime ?? 0),
    normalize: options.normalize ?? false,
    linear: options.linear ?? false,
    epsilon: options.epsilon ?? 1e-7,
  };
  if (!(o.threshold > 0 && o.threshold < 1)) throw spikegenError('latency', `threshold must be in (0, 1), got ${o.threshold}`);
  if (!(o.tau > 0)) throw spikegenError('latency', `tau must be positive, got ${o.tau}`);
  if (o.firstSpikeTime > numSteps - 1)
    throw spikegenError('latency', `firstSpikeTime (${o.firstSpikeTime}) must be at most numSteps - 1 (${numSteps - 1})`);
  if (!x.backend.readSync) {
    throw new TypeError(
      `spikegen.latency: it reads the data on the host (to check it and place each spike), and backend '${x.backend.name}' cannot read synchronously; encode on the cpu or wasm backend`,
    );
  }
  const values = x.dataSync();
  for (const v of values) {
    if (!(v >= 0 && v <= 1)) throw spikegenError('latency', `every value must be in [0, 1], found ${v}`);
  }
  const times = spikeTimes(values, o);
  const on = options.onTarget ?? 1;
  const off = options.offTarget ?? 0;
  const n = values.length;
  const out = new Float32Array(numSteps * n);
  for (let i = 0; i < n; i++) {
    const t = times[i] as number;
    // snnTorch: round(clamp_max(t, T − 1)) gets the spike, dropped where round(t) > T − 1, or below the threshold with clip.
    const dropped = Math.round(t) > numSteps - 1 || (options.clip === true && (values[i] as number) < o.threshold);
    if (!dropped) out[roundHalfEven(Math.min(t, numSteps - 1)) * n + i] = 1;
  }
  // torch.clamp(spikes · on, off): a spike is max(on, off), silence max(0, off).
  for (let k = 0; k < out.length; k++) out[k] = Math.max((out[k] as number) * on, off);
  return onBackend(x.backend, () => tensor(out, { shape: [numSteps, ...x.shape] }));
}

/** torch.round: halves to even. */
function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Options of {@link delta}. */
export interface DeltaOptions {
  /** The change that makes a spike (default 0.1). */
  threshold?: number;
  /** Compare the first step with itself (no spike) rather than with zeros (default false). */
  padding?: boolean;
  /** Falls by at least the threshold give −1 spikes (default false). */
  offSpike?: boolean;
}

/** Delta modulation of data [T, ...]: 1 where x[t] − x[t−1] ≥ threshold (and −1 where ≤ −threshold with offSpike), as snnTorch's `spikegen.delta`. */
export function delta(data: Tensor, options: DeltaOptions = {}): Tensor {
  const x = checkData('delta', data);
  if (x.rank < 1 || x.shape[0] === 0) throw spikegenError('delta', `data must be [T, ...] with T ≥ 1, got ${JSON.stringify(x.shape)}`);
  const threshold = options.threshold ?? 0.1;
  return tidy(() =>
    noGrad(() => {
      const steps = x.shape[0] as number;
      const first = x.narrow(0, 0, 1);
      const head = options.padding ? first : zerosLike(first);
      const earlier = steps > 1 ? concat([head, x.narrow(0, 0, steps - 1)]) : head;
      const change = x.sub(earlier);
      const on = change.ge(threshold).cast('float32');
      return options.offSpike ? on.sub(change.le(-threshold).cast('float32')) : on;
    }),
  );
}
