import type { KernelFn, KernelName } from '@surrograd/core';
import { FusedKernels, Kernels, registerKernel } from '@surrograd/core';
import * as tf from '@tensorflow/tfjs-core';
import type { TfjsBackend } from '../tfjs-backend.js';
import { activation, activationGrad } from './activation.js';
import { argsort } from './argsort.js';
import { binary } from './binary.js';
import { cast } from './cast.js';
import { compare, logical, where } from './compare.js';
import { conv2d, conv2dBackpropFilter, conv2dBackpropInput, TF_CONV_KERNELS } from './conv.js';
import { fill } from './fill.js';
import { gather, scatterAdd } from './gather.js';
import { broadcastTo, concat, slice, transpose } from './layout.js';
import { matMul } from './matmul.js';
import { pad } from './pad.js';
import { argReduce, reduce } from './reduce.js';
import { lifScan, linearScan } from './scan.js';
import { unary } from './unary.js';

// biome-ignore lint/suspicious/noExplicitAny: each kernel takes its own attrs type
type AnyTfjsKernel = KernelFn<TfjsBackend, any>;

/** Every kernel of the contract, by name. A full record, so a kernel added to the contract fails to compile here. */
export const tfjsKernels: Record<KernelName, AnyTfjsKernel> = {
  [Kernels.Cast]: cast,
  [Kernels.Unary]: unary,
  [Kernels.Binary]: binary,
  [Kernels.Compare]: compare,
  [Kernels.Logical]: logical,
  [Kernels.Where]: where,
  [Kernels.Reduce]: reduce,
  [Kernels.ArgReduce]: argReduce,
  [Kernels.MatMul]: matMul,
  [Kernels.BroadcastTo]: broadcastTo,
  [Kernels.Transpose]: transpose,
  [Kernels.Slice]: slice,
  [Kernels.Pad]: pad,
  [Kernels.Concat]: concat,
  [Kernels.Gather]: gather,
  [Kernels.ScatterAdd]: scatterAdd,
  [Kernels.Fill]: fill,
  [Kernels.Activation]: activation,
  [Kernels.ActivationGrad]: activationGrad,
};

/**
 * tf kernels that run slower than core's composition on a tfjs backend, measured in one process
 * (conv2d forward + backward, 16×16×16×16 by 16×3×3, padding 1): tfjs-cpu's Conv2DBackpropFilter
 * took 1.4 s a step where im2col + tf.matMul took 0.21 s (its Conv2D and Conv2DBackpropInput beat
 * the composition, 0.18 and 0.14 s). On tfjs-wasm, Conv2D took the step from 71 to 42 ms.
 */
const SLOWER_THAN_COMPOSITE: Readonly<Record<string, readonly string[]>> = { Conv2DBackpropFilter: ['cpu'] };

function usesTfKernel(tfName: string, tfBackend: string): boolean {
  return tf.getKernel(tfName, tfBackend) !== undefined && !SLOWER_THAN_COMPOSITE[tfName]?.includes(tfBackend);
}

/**
 * Registers the fused kernels: the scans (tf ops), and those we run on tf's own kernels (conv and
 * its gradients), each of the latter available
 * while the active tfjs backend has its tf kernel (tfjs-wasm has no Conv2DBackpropFilter) and it
 * beats the composition: core composes the others.
 */
export function registerTfjsFusedKernels(): void {
  const fns: Record<keyof typeof TF_CONV_KERNELS, AnyTfjsKernel> = {
    [FusedKernels.Conv2d]: conv2d,
    [FusedKernels.Conv2dBackpropInput]: conv2dBackpropInput,
    [FusedKernels.Conv2dBackpropFilter]: conv2dBackpropFilter,
  };
  // The spiking neuron's time loops: tf ops only, so on every tfjs backend.
  registerKernel({ name: FusedKernels.LifScan, backend: 'tfjs', fn: lifScan });
  registerKernel({ name: FusedKernels.LinearScan, backend: 'tfjs', fn: linearScan });
  // Sorting on the host: O(n log n) where the composed sort compares every pair.
  registerKernel({ name: FusedKernels.Argsort, backend: 'tfjs', fn: argsort });
  for (const [name, tfName] of Object.entries(TF_CONV_KERNELS)) {
    registerKernel({
      name,
      backend: 'tfjs',
      fn: fns[name as keyof typeof TF_CONV_KERNELS],
      available: () => usesTfKernel(tfName, tf.getBackend()),
    });
  }
}
