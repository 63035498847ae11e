/** The backends the snn tests run on: cpu, wasm, webgpu (Dawn in Node) and tfjs (on tfjs-cpu). */
import '@surrograd/backend-cpu';
import '@surrograd/backend-wasm';
import '@surrograd/backend-webgpu';
import '@surrograd/backend-tfjs';
import '@tensorflow/tfjs-backend-cpu';
import { setBackend } from '@surrograd/core';
import * as tf from '@tensorflow/tfjs-core';

export const BACKENDS = ['cpu', 'wasm', 'webgpu', 'tfjs'] as const;

/** Makes `name` current (for tfjs: surrograd's tfjs backend on tfjs-cpu). */
export async function useBackend(name: (typeof BACKENDS)[number]): Promise<void> {
  if (name === 'tfjs') {
    await tf.setBackend('cpu');
    await tf.ready();
  }
  await setBackend(name);
}
