/**
 * TensorFlow.js 4.22 as a peer: its cpu and wasm backends, with gradients registered the way a
 * tfjs user gets them. tfjs-core's Node bundle registers no gradients; @tensorflow/tfjs-layers
 * (which @tensorflow/tfjs bundles) registers all of tfjs-core's, so importing it is what
 * `import '@tensorflow/tfjs'` does for gradients, without the packages a bench does not need.
 */
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-layers';
import * as tf from '@tensorflow/tfjs-core';
import { type PeakProbe, peakProbe } from './peak.js';

export { tf };

export type TfBackendName = 'cpu' | 'wasm';
export const TF_BACKENDS: readonly TfBackendName[] = ['cpu', 'wasm'];

/** Makes a tfjs backend current; throws if it cannot start. Cheap when it already is. */
export async function useTfBackend(name: TfBackendName): Promise<void> {
  if (tf.getBackend() === name) return;
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`tfjs: setBackend('${name}') failed`);
  await tf.ready();
}

export interface TfPeer {
  /** 'tfjs-cpu' or 'tfjs-wasm'. */
  label: string;
  backend: TfBackendName;
  use(): Promise<void>;
}

export interface TfStatus {
  label: string;
  status: 'ok' | 'unavailable';
  reason?: string;
}

/** The tfjs backends that start here. */
export async function loadTfPeers(): Promise<{ peers: TfPeer[]; status: TfStatus[] }> {
  const peers: TfPeer[] = [];
  const status: TfStatus[] = [];
  for (const backend of TF_BACKENDS) {
    const label = `tfjs-${backend}`;
    try {
      await useTfBackend(backend);
      const got = tf.tidy(() => tf.add(tf.tensor1d([1, 2]), 1).dataSync());
      if (Array.from(got).join() !== '2,3') throw new Error(`probe: [1, 2] + 1 gave [${Array.from(got).join(', ')}]`);
      peers.push({ label, backend, use: () => useTfBackend(backend) });
      status.push({ label, status: 'ok' });
    } catch (err) {
      status.push({ label, status: 'unavailable', reason: (err as Error).message });
    }
  }
  return { peers, status };
}

let probe: PeakProbe | null = null;

/** Peak of tf.memory().numBytes during a call (all tfjs backends share the engine's counter). */
export function tfPeak(): PeakProbe {
  probe ??= peakProbe(tf.engine() as unknown as Record<'disposeTensor', (t: never) => void>, 'disposeTensor', () => tf.memory().numBytes);
  return probe;
}

/** tfjs's reference implementation of the activation: ReLU forward, leaky gradient, via tf.customGrad. */
export function tfReluWithLeakyGrad(slope: number): (x: tf.Tensor) => tf.Tensor {
  return tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const x = args[0] as tf.Tensor;
    const save = args[1] as tf.GradSaveFunc;
    save([x]);
    return {
      value: tf.relu(x),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.where(tf.greater(saved[0] as tf.Tensor, 0), dy, tf.mul(dy, slope)),
    };
  }) as (x: tf.Tensor) => tf.Tensor;
}
