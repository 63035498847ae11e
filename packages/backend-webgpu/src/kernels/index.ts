import type { KernelFn, KernelName } from '@surrograd/core';
import { FusedKernels, Kernels } from '@surrograd/core';
import type { WebGpuBackend } from '../backend.js';
import { activation, activationGrad } from './activation.js';
import { binary } from './binary.js';
import { cast } from './cast.js';
import { compare, logical } from './compare.js';
import { conv2d, conv2dBackpropFilter, conv2dBackpropInput } from './conv.js';
import { fill } from './fill.js';
import { gather, scatterAdd } from './gather.js';
import { linear, matMul } from './matmul.js';
import { argReduce, reduce } from './reduce.js';
import { lifScan, linearScan } from './scan.js';
import { broadcastTo, concat, pad, slice, transpose } from './shape-ops.js';
import { unary } from './unary.js';
import { where } from './where.js';

// biome-ignore lint/suspicious/noExplicitAny: each kernel takes its own attrs type
type AnyWebGpuKernel = KernelFn<WebGpuBackend, any>;

/** Every kernel of the contract, by name; a full record, so a kernel added to the contract fails to compile here. */
export const webgpuKernels: Record<KernelName, AnyWebGpuKernel> = {
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

/** The optional fused kernels this backend has (core composes the rest). */
export const webgpuFusedKernels: Record<string, AnyWebGpuKernel> = {
  [FusedKernels.Linear]: linear,
  [FusedKernels.Conv2d]: conv2d,
  [FusedKernels.Conv2dBackpropInput]: conv2dBackpropInput,
  [FusedKernels.Conv2dBackpropFilter]: conv2dBackpropFilter,
  [FusedKernels.LifScan]: lifScan,
  [FusedKernels.LinearScan]: linearScan,
};
