/**
 * tfjs for tests: the cpu and wasm backends, and tfjs-core's gradient registrations (its Node
 * bundle registers none; @tensorflow/tfjs imports the same module). Vitest transforms this ESM
 * module, so the registrations land in tfjs's global gradient registry.
 */
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import * as tf from '@tensorflow/tfjs-core';

export { tf };

/** tfjs backends the adapter is tested on here (webgl/webgpu need a browser). */
export const TF_BACKENDS = ['cpu', 'wasm'] as const;

/** Makes `name` the active tfjs backend (tests of one file share tfjs's global state and run in order). */
export async function useTfBackend(name: (typeof TF_BACKENDS)[number]): Promise<void> {
  await tf.setBackend(name);
  await tf.ready();
}
