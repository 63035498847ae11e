/**
 * Every activation of the library as a tfjs op, generated from core's table:
 *
 *   import { tfOps } from '@surrograd/backend-tfjs/ops';
 *   const y = tfOps.reluWithLeakyGrad(x, { slope: 0.1 });   // forward relu, gradient x > 0 ? 1 : 0.1
 *   tf.grad((v) => tfOps.heaviside(v, { surrogate: 'atan' }).sum())(x);
 *
 * Options are those of the core functions of the same name, with the same defaults.
 */
import {
  type ActivationEntry,
  activationEntries,
  derivativeKind,
  forwardKind,
  type HeavisideOptions,
  type SurrogateSpec,
} from '@surrograd/core';
import type * as tf from '@tensorflow/tfjs-core';
import { type ActivationOptions, type TfActivation, tfActivation } from './activation-op.js';

export type { ActivationOptions, TfActivation, TfActivationSpec } from './activation-op.js';
export { tfActivation } from './activation-op.js';
export { type LeakyReluGradientOptions, leakyReluGradientSlope, restoreReluGradient, useLeakyReluGradient } from './relu-gradient.js';

const made = new Map<string, { entry: ActivationEntry; op: TfActivation }>();

/** The op for a library entry by its name, including grouped ones ('heaviside/atan', 'roundSTE/clip'). */
export function tfActivationByName(name: string): TfActivation {
  const entry = activationEntries().find((e) => e.name === name);
  if (!entry) {
    const names = activationEntries().map((e) => e.name);
    throw new Error(`tfOps: no activation named '${name}'; the library has ${names.join(', ')}`);
  }
  const cached = made.get(name);
  // Entries are re-read each time: one redefined in core replaces its op.
  if (cached && cached.entry === entry) return cached.op;
  const op = tfActivation({ name: entry.name, forward: entry.forward, derivative: entry.derivative, defaults: entry.defaults });
  made.set(name, { entry, op });
  return op;
}

/** Names of the library's activations: the grouped ones ('heaviside/…') are reached through their group's op. */
export function tfActivationNames(): string[] {
  return activationEntries().map((e) => e.name);
}

/** A spike forward with the chosen surrogate derivative (default fastSigmoid), as core's heaviside. */
function heaviside(x: tf.Tensor, options: HeavisideOptions = {}): tf.Tensor {
  const { surrogate = 'fastSigmoid', ...rest } = options;
  return tfActivationByName(`heaviside/${surrogate}`)(x, rest as ActivationOptions);
}

/** Round half to even with an identity gradient, or one only inside `clip: [low, high]`, as core's roundSTE. */
function roundSTE(x: tf.Tensor, options: { clip?: readonly [number, number] } = {}): tf.Tensor {
  if (options.clip === undefined) return tfActivationByName('roundSTE')(x);
  const [low, high] = options.clip;
  if (!(low <= high)) throw new RangeError(`tfOps.roundSTE: clip must be [low, high] with low ≤ high, got [${low}, ${high}]`);
  return tfActivationByName('roundSTE/clip')(x, { low, high });
}

/** GELU, exact (erf) by default or the tanh approximation, as core's gelu. */
function gelu(x: tf.Tensor, options: { approximate?: 'none' | 'tanh' } = {}): tf.Tensor {
  const a = options.approximate ?? 'none';
  if (a !== 'none' && a !== 'tanh') throw new TypeError(`tfOps.gelu: approximate must be 'none' or 'tanh', got ${String(a)}`);
  return tfActivationByName(a === 'tanh' ? 'geluTanh' : 'gelu')(x);
}

/** Any forward kind with any derivative kind, as core's surrogate(). */
function surrogate(spec: SurrogateSpec): (x: tf.Tensor) => tf.Tensor {
  const fwd = forwardKind(spec.forward);
  const der = derivativeKind(spec.backward);
  const names = [...new Set([...fwd.params, ...der.params])];
  const params = spec.params ?? {};
  for (const n of names) {
    if (typeof params[n] !== 'number') throw new TypeError(`tfOps.surrogate: parameter '${n}' of ${fwd.name}/${der.name} needs a value`);
  }
  const defaults = Object.fromEntries(names.map((n) => [n, params[n] as number]));
  const op = tfActivation({ name: spec.name ?? `surrogate(${fwd.name}, ${der.name})`, forward: fwd.name, derivative: der.name, defaults });
  return (x) => op(x);
}

/** The ops whose options pick an entry (a surrogate, a clip window, an approximation). */
const grouped = { heaviside, roundSTE, gelu, surrogate, byName: tfActivationByName };

/** Names with a plain `(x, options)` op: every library entry that is not part of a group above. */
export type PlainActivationName =
  | 'relu'
  | 'leakyRelu'
  | 'elu'
  | 'geluTanh'
  | 'silu'
  | 'sigmoid'
  | 'tanh'
  | 'softplus'
  | 'hardtanh'
  | 'reluWithLeakyGrad'
  | 'bSiLU'
  | 'neLU'
  | 'signSTE'
  | 'approxSign';

export type TfOps = typeof grouped & Record<PlainActivationName, TfActivation> & Readonly<Record<string, unknown>>;

function buildTfOps(): TfOps {
  const ops: Record<string, unknown> = { ...grouped };
  for (const { name } of activationEntries()) {
    const group = name.split('/')[0] as string;
    if (name.includes('/') || group in grouped) continue;
    ops[name] = (x: tf.Tensor, options?: ActivationOptions) => tfActivationByName(name)(x, options);
  }
  return ops as TfOps;
}

/** Every activation of the library as a tfjs op (tf.customGrad): `tfOps.reluWithLeakyGrad(x, { slope })`. */
export const tfOps: TfOps = buildTfOps();
