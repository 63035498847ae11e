import type { KernelFn, KernelName } from '@surrograd/core';
import { FusedKernels, Kernels } from '@surrograd/core';
import type { CpuBackend } from '../cpu-backend.js';
import { activation, activationGrad } from './activation.js';
import { argReduce } from './arg-reduce.js';
import { argsort } from './argsort.js';
import { binary } from './binary.js';
import { broadcastTo } from './broadcast-to.js';
import { cast } from './cast.js';
import { compare, logical } from './compare.js';
import { concat } from './concat.js';
import { fill } from './fill.js';
import { addScaled, linear } from './fused-updates.js';
import { gather } from './gather.js';
import { matMul } from './matmul.js';
import { batchNorm, batchNormGrad, layerNorm, layerNormGrad } from './normalization.js';
import { pad } from './pad.js';
import { reduce } from './reduce.js';
import { lifScan, linearScan } from './scan.js';
import { scatterAdd } from './scatter-add.js';
import { slice } from './slice.js';
import { softmaxCrossEntropy, softmaxCrossEntropyGrad } from './softmax-cross-entropy.js';
import { transpose } from './transpose.js';
import { unary } from './unary.js';
import { where } from './where.js';

/** A cpu kernel with whichever attrs its name takes. */
// biome-ignore lint/suspicious/noExplicitAny: each kernel takes its own attrs type
export type AnyCpuKernel = KernelFn<CpuBackend, any>;

/** Every kernel of the contract, by name. Typed as a full record so a kernel added to the contract fails to compile here. */
export const cpuKernels: Record<KernelName, AnyCpuKernel> = {
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

/** The optional fused kernels core uses when a backend has them (FusedKernels). */
export const cpuFusedKernels: Record<string, AnyCpuKernel> = {
  [FusedKernels.SoftmaxCrossEntropy]: softmaxCrossEntropy,
  [FusedKernels.SoftmaxCrossEntropyGrad]: softmaxCrossEntropyGrad,
  [FusedKernels.Linear]: linear,
  [FusedKernels.AddScaled]: addScaled,
  [FusedKernels.LifScan]: lifScan,
  [FusedKernels.LinearScan]: linearScan,
  [FusedKernels.LayerNorm]: layerNorm,
  [FusedKernels.LayerNormGrad]: layerNormGrad,
  [FusedKernels.BatchNorm]: batchNorm,
  [FusedKernels.BatchNormGrad]: batchNormGrad,
  [FusedKernels.Argsort]: argsort,
};
