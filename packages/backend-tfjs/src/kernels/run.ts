import type { KernelFn, TensorInfo } from '@surrograd/core';
import * as tf from '@tensorflow/tfjs-core';
import type { TfjsBackend } from '../tfjs-backend.js';

/** A kernel body: tf ops on the input tensors, returning the output(s). Runs inside tf.tidy. */
export type TfCompute<A> = (xs: tf.Tensor[], attrs: A, infos: readonly TensorInfo[]) => tf.Tensor | tf.Tensor[];

/**
 * Wraps a tf-op body as a kernel: looks up the input tensors, runs the body in tf.tidy (so its
 * temporaries are freed) and hands the result to the backend, which keeps it until core releases it.
 */
export function tfKernel<A>(compute: TfCompute<A>): KernelFn<TfjsBackend, A> {
  return ({ inputs, attrs, backend }) => {
    const stored = inputs.map((info) => backend.tensorOf(info));
    const out = tf.tidy(() =>
      compute(
        stored.map((t, i) => viewAs(t, inputs[i] as TensorInfo)),
        attrs,
        inputs,
      ),
    );
    return Array.isArray(out) ? out.map((t) => backend.adopt(t)) : backend.adopt(out);
  };
}

/**
 * The stored tensor with the shape core sees: reshape and detach in core share a buffer under a
 * new shape, so a kernel input's shape can differ from the tfjs tensor's (never its size).
 */
function viewAs(stored: tf.Tensor, info: TensorInfo): tf.Tensor {
  const same = stored.rank === info.shape.length && stored.shape.every((s, d) => s === info.shape[d]);
  return same ? stored : tf.reshape(stored, [...info.shape]);
}

/** table[key], or an error naming the kernel, the unknown key and the known ones. */
export function pick<T>(kernel: string, what: string, table: Readonly<Record<string, T>>, key: unknown): T {
  if (typeof key === 'string' && Object.hasOwn(table, key)) return table[key] as T;
  throw new Error(`${kernel}: unknown ${what} ${JSON.stringify(key)}; known: ${Object.keys(table).join(', ')}`);
}
