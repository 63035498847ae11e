/**
 * @surrograd/backend-tfjs, both ways:
 *  - importing it registers the 'tfjs' backend: surrograd's kernels run as tf ops on whichever
 *    tfjs backend is active (cpu, wasm, webgl, webgpu, node);
 *  - `tfOps` are our activations as tfjs ops (tf.customGrad), and `useLeakyReluGradient()` makes
 *    tfjs's own Relu gradient leaky. The layer is in '@surrograd/backend-tfjs/layers'.
 */
import { registerBackend, registerKernels } from '@surrograd/core';
import * as tf from '@tensorflow/tfjs-core';
import { registerTfjsFusedKernels, tfjsKernels } from './kernels/index.js';
import { TfjsBackend } from './tfjs-backend.js';

export { fromTf, toTf } from './interop.js';
export { tfjsKernels } from './kernels/index.js';
export * from './ops/index.js';
export { TFJS_DTYPES, TfjsBackend, type TfjsData } from './tfjs-backend.js';

// Priority 0: the tfjs backend is chosen with setBackend('tfjs'), never by default over cpu.
registerBackend('tfjs', () => newTfjsBackend(), 0);
registerKernels('tfjs', tfjsKernels);
registerTfjsFusedKernels();

/** The backend, once TensorFlow.js itself has a backend to run on: failing here names the packages, rather than at the first op. */
async function newTfjsBackend(): Promise<TfjsBackend> {
  let name: string | undefined;
  try {
    await tf.ready();
    name = tf.getBackend();
  } catch {
    name = undefined;
  }
  if (!name) {
    throw new Error(
      "setBackend('tfjs'): TensorFlow.js has no backend registered. Import one first: '@tensorflow/tfjs-backend-cpu', " +
        "'@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-backend-webgl' or '@tensorflow/tfjs-backend-webgpu' (or use '@tensorflow/tfjs-node')",
    );
  }
  return new TfjsBackend();
}
