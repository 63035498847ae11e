/**
 * A global switch for models whose code cannot be edited: while it is on, tfjs's own `Relu`
 * kernel (tf.relu, tf.layers' 'relu' activation, Dense/Conv layers with activation 'relu' — tfjs
 * unfuses those while recording gradients) backpropagates the leaky derivative x > 0 ? 1 : slope
 * instead of x > 0 ? 1 : 0. Forward values are unchanged: ReLU's sparsity, LeakyReLU's gradient.
 */
import { derivativeKind } from '@surrograd/core';
import * as tf from '@tensorflow/tfjs-core';
import { runDerivative, runMask } from '../expr/activation-kinds.js';

const RELU = 'Relu';
/** The derivative kind of core's leakyRelu and reluWithLeakyGrad (x > 0 ? 1 : slope). */
const LEAKY = 'leakyReluMask';

interface Override {
  slope: number;
  /** tfjs's registration before ours (undefined: there was none). */
  original: tf.GradConfig | undefined;
}

let active: Override | null = null;

export interface LeakyReluGradientOptions {
  /** The gradient factor where x ≤ 0 (default 0.01, as leakyRelu's). */
  slope?: number;
}

/**
 * Makes tfjs's Relu gradient leaky. Calling it again changes the slope; `restoreReluGradient()`
 * (also returned) puts tfjs's own gradient back.
 */
export function useLeakyReluGradient(options: LeakyReluGradientOptions = {}): () => void {
  const slope = options.slope ?? 0.01;
  if (typeof slope !== 'number' || !Number.isFinite(slope)) {
    throw new TypeError(`useLeakyReluGradient: slope must be a finite number, got ${String(slope)}`);
  }
  const original = active ? active.original : (tf.getGradient(RELU) ?? undefined);
  const kind = derivativeKind(LEAKY);
  tf.registerGradient({
    kernelName: RELU,
    inputsToSave: ['x'],
    gradFunc: (dy, saved) => {
      const [x] = saved as [tf.Tensor];
      const params = { slope };
      return { x: () => tf.mul(dy as tf.Tensor, runDerivative(kind, runMask(kind, tf.cast(x, 'float32'), params), params)) };
    },
  });
  active = { slope, original };
  return restoreReluGradient;
}

/** Puts back the Relu gradient tfjs had before `useLeakyReluGradient` (none, if it had none). */
export function restoreReluGradient(): void {
  if (!active) return;
  if (active.original) tf.registerGradient(active.original);
  else tf.unregisterGradient(RELU);
  active = null;
}

/** The slope of the active override, or null when tfjs's own Relu gradient is in place. */
export function leakyReluGradientSlope(): number | null {
  return active ? active.slope : null;
}
