import type { KernelFn, KernelName } from '@surrograd/core';
import { FusedKernels, Kernels } from '@surrograd/core';
import type { WasmBackend } from '../wasm-backend.js';
import { activation, activationGrad } from './activation.js';
import { argsort } from './argsort.js';
import { cast } from './cast.js';
import { conv2d, conv2dBackpropFilter, conv2dBackpropInput } from './conv.js';
import { addScaled, binary, compare, logical, where } from './elementwise.js';
import { fill } from './fill.js';
import { logSoftmax, softmax, softmaxCrossEntropy, softmaxCrossEntropyGrad } from './fused.js';
import { gather, scatterAdd } from './indexing.js';
import { linear, matMul } from './matmul.js';
import { batchNorm, batchNormGrad, layerNorm, layerNormGrad } from './normalization.js';
import { maxPool2d } from './pool.js';
import { argReduce, reduce } from './reduce.js';
import { lifScan, linearScan } from './scan.js';
import { broadcastTo, concat, pad, slice, transpose } from './shape-ops.js';
import { unary } from './unary.js';

/** A wasm kernel with any attrs type, as the kernel tables hold them. */
// biome-ignore lint/suspicious/noExplicitAny: each kernel takes its own attrs type
export type AnyWasmKernel = KernelFn<WasmBackend, any>;

/** Every kernel of the contract, by name. Typed as a full record so a kernel added to the contract fails to compile here. */
export const wasmKernels: Record<KernelName, AnyWasmKernel> = {
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

/** Fused kernels this backend adds beyond the contract (core's FusedKernels; fused.ts and conv.ts say what each takes). */
export const wasmFusedKernels: Record<string, AnyWasmKernel> = {
  [FusedKernels.SoftmaxCrossEntropy]: softmaxCrossEntropy,
  [FusedKernels.SoftmaxCrossEntropyGrad]: softmaxCrossEntropyGrad,
  [FusedKernels.Softmax]: softmax,
  [FusedKernels.LogSoftmax]: logSoftmax,
  [FusedKernels.LayerNorm]: layerNorm,
  [FusedKernels.LayerNormGrad]: layerNormGrad,
  [FusedKernels.BatchNorm]: batchNorm,
  [FusedKernels.BatchNormGrad]: batchNormGrad,
  [FusedKernels.Linear]: linear,
  [FusedKernels.AddScaled]: addScaled,
  [FusedKernels.Conv2d]: conv2d,
  [FusedKernels.Conv2dBackpropInput]: conv2dBackpropInput,
  [FusedKernels.Conv2dBackpropFilter]: conv2dBackpropFilter,
  [FusedKernels.MaxPool2d]: maxPool2d,
  [FusedKernels.LifScan]: lifScan,
  [FusedKernels.LinearScan]: linearScan,
  [FusedKernels.Argsort]: argsort,
};
