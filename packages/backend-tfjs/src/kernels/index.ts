import type { KernelFn, KernelName } from '@surrograd/core';
import { Kernels } from '@surrograd/core';
import type { TfjsBackend } from '../tfjs-backend.js';
import { activation, activationGrad } from './activation.js';
import { binary } from './binary.js';
import { cast } from './cast.js';
import { compare, logical, where } from './compare.js';
import { fill } from './fill.js';
import { gather, scatterAdd } from './gather.js';
import { broadcastTo, concat, slice, transpose } from './layout.js';
import { matMul } from './matmul.js';
import { pad } from './pad.js';
import { argReduce, reduce } from './reduce.js';
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
