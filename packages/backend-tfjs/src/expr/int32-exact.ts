/**
 * Whether the active tfjs backend computes int32 exactly. WebGL stores int32 tensors as float32
 * texels, which hold 24 significant bits: a word of 32 mask bits would lose its low ones there.
 * Probed once per tfjs backend with a value that needs all 32 bits, pushed through a kernel
 * (a freshly made tensor would be read back from its upload copy without touching the GPU).
 */
import * as tf from '@tensorflow/tfjs-core';

const probed = new Map<string, boolean>();
const NEEDS_32_BITS = -2147483647;

export function int32IsExact(): boolean {
  const backend = tf.getBackend();
  let exact = probed.get(backend);
  if (exact === undefined) {
    exact = tf.tidy(() => tf.add(tf.scalar(NEEDS_32_BITS, 'int32'), tf.scalar(0, 'int32')).dataSync()[0] === NEEDS_32_BITS);
    probed.set(backend, exact);
  }
  return exact;
}

/** Test hook: pretend the named tfjs backend does (or does not) compute int32 exactly; undefined re-probes. */
export function setInt32IsExact(backend: string, exact: boolean | undefined): void {
  if (exact === undefined) probed.delete(backend);
  else probed.set(backend, exact);
}
