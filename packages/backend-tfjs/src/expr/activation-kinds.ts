/**
 * Forward and derivative kinds from core's table as tf computations: the expression interpreter
 * for every kind, and native tf ops for the hottest forward kinds (one kernel instead of three or
 * four). A native op is used only while the kind's expression is the one it was checked against,
 * so a kind re-registered in core with another expression falls back to the interpreter.
 */
import type { DerivativeKind, ForwardKind } from '@surrograd/core';
import * as tf from '@tensorflow/tfjs-core';
import { blend } from '../kernels/broadcast.js';
import { evalTf, toBoolLike, toFloatLike } from './tf-expr.js';

type Params = Readonly<Record<string, number>>;

interface NativeForward {
  /** The expression text the op computes (up to the sign of a zero result). */
  text: string;
  run(x: tf.Tensor, params: Params): tf.Tensor;
}

// tf.relu keeps NaN and maps -0 to 0 (webgl keeps -0, a zero's sign the contract leaves open);
// tf.leakyRelu is x < 0 ? slope·x : x, which differs from the expression only in a zero's sign.
const nativeForwards: Record<string, NativeForward> = {
  relu: { text: 'select(x > 0, x, select(x != x, x, 0))', run: (x) => tf.relu(x) },
  leakyRelu: { text: 'select(x > 0, x, x * slope)', run: (x, p) => tf.leakyRelu(x, p.slope as number) },
};

/** y = forward(x) as a float32 tensor of x's shape. Call inside tf.tidy. */
export function runForward(kind: ForwardKind, x: tf.Tensor, params: Params): tf.Tensor {
  const native = nativeForwards[kind.name];
  if (native && native.text === kind.text) return native.run(x, params);
  return toFloatLike(evalTf(kind.expr, { ...params, x }), x);
}

/** The mask a mask-based derivative saves: its predicate on x, one bool per element. */
export function runMask(kind: DerivativeKind, x: tf.Tensor, params: Params): tf.Tensor {
  if (kind.from !== 'mask' || !kind.predicate) {
    throw new Error(`Activation: derivative kind '${kind.name}' reads '${kind.from}', not a mask`);
  }
  return toBoolLike(evalTf(kind.predicate, { ...params, x }), x);
}

/**
 * g(saved), the factor dy is multiplied by: from x or y, an expression over the saved tensor; from
 * a mask (0/1 as float32 or bool), g takes two values, g(0) and g(1): a blend of the two by m.
 */
export function runDerivative(kind: DerivativeKind, saved: tf.Tensor | null, params: Params): tf.Tensor | number {
  if (kind.from === 'none') return evalNumber(kind, { ...params });
  if (saved === null) throw new Error(`ActivationGrad '${kind.name}': the saved ${kind.from} is missing`);
  if (kind.from === 'mask') {
    const [g0, g1] = [evalNumber(kind, { ...params, m: 0 }), evalNumber(kind, { ...params, m: 1 })];
    if (Object.is(g0, g1)) return g0;
    return blend(saved.dtype === 'float32' ? saved : tf.cast(saved, 'float32'), g1, g0);
  }
  const g = evalTf(kind.expr, { ...params, [kind.from]: saved });
  return typeof g === 'number' ? g : toFloatLike(g, saved);
}

function evalNumber(kind: DerivativeKind, env: Params): number {
  const g = evalTf(kind.expr, env);
  if (typeof g !== 'number') throw new Error(`ActivationGrad '${kind.name}': expected a constant derivative`);
  return g;
}
