/**
 * LifScan and LinearScan (core's FusedKernels) as tf ops: one row of tf ops per step, every step
 * inside one tf.tidy, so a sequence costs T small tf calls instead of a surrograd graph of T steps.
 */
import type { KernelFn, LifScanAttrs, LinearScanAttrs } from '@surrograd/core';
import * as tf from '@tensorflow/tfjs-core';
import type { TfjsBackend } from '../tfjs-backend.js';
import { tfKernel } from './run.js';

/** An operand of one value or one step's values, as a tensor that broadcasts against a step. */
function perPosition(v: tf.Tensor, step: number[]): tf.Tensor {
  return v.size === 1 ? tf.reshape(v, []) : tf.reshape(v, step);
}

/** [current [T, ...N], beta, threshold, graded] → [membranes, spikes] [T, ...N]. */
export const lifScan: KernelFn<TfjsBackend, LifScanAttrs> = tfKernel<LifScanAttrs>(([cur, beta, thr, graded], attrs) => {
  const c = cur as tf.Tensor;
  const steps = c.shape[0] as number;
  const step = c.shape.slice(1);
  if (steps === 0 || c.size === 0) return [tf.zeros(c.shape), tf.zeros(c.shape)];
  const b = perPosition(beta as tf.Tensor, step);
  const th = perPosition(thr as tf.Tensor, step);
  const g = perPosition(graded as tf.Tensor, step);
  const fires = (v: tf.Tensor) => (attrs.spikeAtZero ? tf.greaterEqual(tf.sub(v, th), 0) : tf.greater(tf.sub(v, th), 0));
  const rows = tf.unstack(c);
  const mems: tf.Tensor[] = [];
  let prev: tf.Tensor = tf.zeros(step);
  for (const input of rows) {
    const spiked = fires(prev);
    let next: tf.Tensor;
    if (attrs.reset === 'subtract')
      next = tf.sub(tf.add(tf.mul(b, prev), input), tf.where(spiked, tf.broadcastTo(th, step), tf.zeros(step)));
    else if (attrs.reset === 'zero') next = tf.add(tf.mul(b, tf.where(spiked, tf.zeros(step), prev)), input);
    else next = tf.add(tf.mul(b, prev), input);
    mems.push(next);
    prev = next;
  }
  const mem = tf.stack(mems);
  const spk = tf.mul(tf.cast(fires(mem), 'float32'), g);
  return [mem, spk];
});

/** [x [T, ...N], a, addend?] → y with y_t = a_t·y_{t∓1} + (x_t + addend_t). */
export const linearScan: KernelFn<TfjsBackend, LinearScanAttrs> = tfKernel<LinearScanAttrs>(([x, a, addend], attrs) => {
  const xs = addend ? tf.add(x as tf.Tensor, addend) : (x as tf.Tensor);
  const steps = xs.shape[0] as number;
  const step = xs.shape.slice(1);
  if (steps === 0 || xs.size === 0) return tf.zeros(xs.shape);
  const av = a as tf.Tensor;
  const perStep = av.size === xs.size && av.size !== 1 && steps > 1 ? tf.unstack(tf.reshape(av, xs.shape)) : null;
  const constant = perStep ? null : perPosition(av, step);
  const rows = tf.unstack(xs);
  const out: tf.Tensor[] = new Array(steps);
  let carry: tf.Tensor | null = null;
  for (let k = 0; k < steps; k++) {
    const t = attrs.reverse ? steps - 1 - k : k;
    const at = perStep ? (perStep[t] as tf.Tensor) : (constant as tf.Tensor);
    carry = carry === null ? (rows[t] as tf.Tensor) : tf.add(tf.mul(at, carry), rows[t] as tf.Tensor);
    out[t] = carry;
  }
  return tf.stack(out);
});
