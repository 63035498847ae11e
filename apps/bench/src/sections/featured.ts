/**
 * The three activations the bench features: the thread's ReLU-forward/leaky-backward, SUGAR's
 * B-SiLU surrogate and a spike with a surrogate gradient. What each saves comes from core's table.
 */
import { activationEntries, bSiLU, derivativeKind, heaviside, reluWithLeakyGrad, type SavedFrom, type Tensor } from '@surrograd/core';

export interface FeaturedActivation {
  /** Row label. */
  label: string;
  /** Entry name in core's activation library. */
  entry: string;
  fn: (x: Tensor) => Tensor;
}

export const SLOPE = 0.01;

export const FEATURED: readonly FeaturedActivation[] = [
  { label: 'reluWithLeakyGrad', entry: 'reluWithLeakyGrad', fn: (x) => reluWithLeakyGrad(x, { slope: SLOPE }) },
  { label: 'bSiLU', entry: 'bSiLU', fn: (x) => bSiLU(x) },
  { label: 'heaviside (fastSigmoid)', entry: 'heaviside/fastSigmoid', fn: (x) => heaviside(x, { surrogate: 'fastSigmoid' }) },
];

/** What the entry's backward reads besides dy: the input, the output, a bit mask or nothing. */
export function savedFrom(entry: string): SavedFrom {
  const e = activationEntries().find((a) => a.name === entry);
  if (!e) throw new Error(`bench: no activation named '${entry}' in core's library`);
  return derivativeKind(e.derivative).from;
}

/** Bytes of the saved tensor for n elements: a mask packs 32 elements per int32 word. */
export function savedBytes(from: SavedFrom, n: number): number {
  if (from === 'mask') return Math.ceil(n / 32) * 4;
  return from === 'none' ? 0 : 4 * n;
}

/** Least bytes each pass moves: forward reads x and writes y (and the mask); backward reads dy and the saved tensor, writes dx. */
export function passBytes(from: SavedFrom, n: number): { forward: number; backward: number } {
  const mask = from === 'mask' ? savedBytes('mask', n) : 0;
  return { forward: 8 * n + mask, backward: 8 * n + savedBytes(from, n) };
}
