/**
 * Moving tensors between surrograd (on the 'tfjs' backend) and tfjs without copying: a surrograd
 * tensor there is a tfjs tensor underneath, and tfjs clones share data (reference-counted).
 */
import { findBackend, Tensor } from '@surrograd/core';
import * as tf from '@tensorflow/tfjs-core';
import { TFJS_DTYPES, TfjsBackend } from './tfjs-backend.js';

function tfjsBackend(op: string): TfjsBackend {
  const backend = findBackend('tfjs');
  if (!(backend instanceof TfjsBackend)) {
    throw new Error(`${op}: the 'tfjs' backend is not initialized; call \`await setBackend('tfjs')\` (or initBackend('tfjs')) first`);
  }
  return backend;
}

/** The tfjs tensor behind a surrograd tensor on the 'tfjs' backend, as a new tf.Tensor the caller disposes. No copy. */
export function toTf(t: Tensor): tf.Tensor {
  if (!(t instanceof Tensor)) throw new TypeError('toTf: expected a surrograd Tensor');
  t.assertAlive('toTf');
  if (t.backend.name !== 'tfjs' || !(t.backend instanceof TfjsBackend)) {
    throw new Error(
      `toTf: tensor #${t.id} lives on backend '${t.backend.name}', not 'tfjs'; move it with tensor(await t.data(), { shape })`,
    );
  }
  return tf.reshape(t.backend.tensorOf(t.dataId, 'toTf'), [...t.shape]);
}

/**
 * A surrograd tensor on the 'tfjs' backend holding the same data as a tfjs tensor, without a copy.
 * The tfjs tensor stays the caller's (dispose it as usual); the surrograd tensor is freed by its own dispose().
 */
export function fromTf(t: tf.Tensor, options: { requiresGrad?: boolean } = {}): Tensor {
  if (!(t instanceof tf.Tensor)) throw new TypeError('fromTf: expected a tf.Tensor');
  if (t.isDisposed) throw new Error('fromTf: the tf.Tensor was disposed');
  if (!(TFJS_DTYPES as readonly string[]).includes(t.dtype)) {
    throw new TypeError(`fromTf: dtype ${t.dtype} is not supported; expected one of ${TFJS_DTYPES.join(', ')}`);
  }
  const backend = tfjsBackend('fromTf');
  const out = Tensor.fromInfo(backend.adopt(tf.clone(t)), backend);
  if (options.requiresGrad) out.requiresGrad = true;
  return out;
}
