/**
 * @surrograd/backend-tfjs, both ways:
 *  - importing it registers the 'tfjs' backend: surrograd's kernels run as tf ops on whichever
 *    tfjs backend is active (cpu, wasm, webgl, webgpu, node);
 *  - `tfOps` are our activations as tfjs ops (tf.customGrad), and `useLeakyReluGradient()` makes
 *    tfjs's own Relu gradient leaky. The layer is in '@surrograd/backend-tfjs/layers'.
 */
import type { KernelName } from '@surrograd/core';
import { registerBackend, registerKernel } from '@surrograd/core';
import { tfjsKernels } from './kernels/index.js';
import { TfjsBackend } from './tfjs-backend.js';

export { fromTf, toTf } from './interop.js';
export { tfjsKernels } from './kernels/index.js';
export * from './ops/index.js';
export { TFJS_DTYPES, TfjsBackend, type TfjsData } from './tfjs-backend.js';

// Priority 0: the tfjs backend is chosen with setBackend('tfjs'), never by default over cpu.
registerBackend('tfjs', () => new TfjsBackend(), 0);
for (const [name, fn] of Object.entries(tfjsKernels)) {
  registerKernel({ name: name as KernelName, backend: 'tfjs', fn });
}
