/**
 * One of our activations as a tfjs op: tf.customGrad whose forward is the forward kind and whose
 * gradient is dy · the derivative kind — not the forward's derivative where the activation is a
 * surrogate. Usable inside tf.grad, tf.variableGrads, optimizers' minimize and model.fit.
 */
import { derivativeKind, forwardKind } from '@surrograd/core';
import * as tf from '@tensorflow/tfjs-core';
import { runDerivative, runForward, runMask } from '../expr/activation-kinds.js';

export type ActivationOptions = Readonly<Record<string, number>>;

/** A tfjs activation op: float input (int and bool are cast to float32), output of the same shape. */
export type TfActivation = (x: tf.Tensor, options?: ActivationOptions) => tf.Tensor;

export interface TfActivationSpec {
  /** Shown in errors. */
  name: string;
  forward: string;
  derivative: string;
  /** Option defaults; also the option names accepted. */
  defaults: ActivationOptions;
}

/** Options merged over the defaults; unknown names and non-numbers are errors naming the op. */
export function resolveOptions(spec: TfActivationSpec, options: ActivationOptions): ActivationOptions {
  const known = Object.keys(spec.defaults);
  for (const [k, v] of Object.entries(options)) {
    if (!known.includes(k)) {
      throw new TypeError(
        `tfOps.${spec.name}: unknown option '${k}'${known.length ? `; options are ${known.join(', ')}` : ' (it takes none)'}`,
      );
    }
    if (typeof v !== 'number' || Number.isNaN(v))
      throw new TypeError(`tfOps.${spec.name}: option '${k}' must be a number, got ${String(v)}`);
  }
  return { ...spec.defaults, ...options };
}

export function tfActivation(spec: TfActivationSpec): TfActivation {
  // Looked up now, so a misspelt kind fails when the op is made, not mid-training.
  forwardKind(spec.forward);
  derivativeKind(spec.derivative);
  return (x, options = {}) => {
    if (!(x instanceof tf.Tensor)) throw new TypeError(`tfOps.${spec.name}: expected a tf.Tensor, got ${typeof x}`);
    const params = resolveOptions(spec, options);
    // Kinds are read at call time: a kind re-registered in core takes effect here too.
    const fwd = forwardKind(spec.forward);
    const der = derivativeKind(spec.derivative);
    const forward = (xf: tf.Tensor, save: tf.GradSaveFunc) => {
      const y = runForward(fwd, xf, params);
      // What backward reads, as core saves it: x, y, the predicate's mask, or nothing.
      if (der.from === 'x') save([xf]);
      else if (der.from === 'y') save([y]);
      else if (der.from === 'mask') save([runMask(der, xf, params)]);
      return {
        value: y,
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(dy, runDerivative(der, saved[0] ?? null, params)),
      };
    };
    const op = tf.customGrad(forward as unknown as Parameters<typeof tf.customGrad>[0]);
    return tf.tidy(() => op(x.dtype === 'float32' ? x : tf.cast(x, 'float32')));
  };
}
