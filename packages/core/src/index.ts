// Tensors and their lifetimes
// Installs Tensor's op methods (x.add(y), …) before anything can call them.
import './tensor-methods.js';

// Activations: the library, its kinds and the expression language backends compile
export * from './activations/index.js';
export { type BackwardOptions, type GradientsOptions, gradients } from './autograd/backward.js';
export { FunctionContext, type FunctionCtx } from './autograd/context.js';
// Autograd
export {
  type AnyState as FunctionState,
  type ApplyArgs,
  AutogradFunction,
  type DifferentiableFunction,
  defineFunction,
  type ForwardTaking,
  type ForwardWithCtxTaking,
  type FunctionSpec,
  type FunctionSpecWithSetup,
  type HasSetupContext,
  type JvpRule,
  type Outputs as FunctionOutputs,
} from './autograd/function.js';
export { type Fn as ScalarValuedFn, type GradOptions, type GradsFor, grad, valueAndGrad } from './autograd/functional.js';
export { enableGrad, inferenceMode, isGradEnabled, isInferenceMode, noGrad } from './autograd/grad-mode.js';
export { type GradcheckOptions, gradcheck, gradgradcheck, type MultiFn as GradcheckFn } from './autograd/gradcheck.js';
export type { GradHook, PostAccumulateGradHook, RemovableHandle } from './autograd/hook-list.js';
export { hessian, type JacobianFn, type JacobianOf, type JacobianOptions, jacfwd, jacrev, type PerArg } from './autograd/jacobian.js';
export { type JvpFn, type JvpResult, jvp } from './autograd/jvp.js';
export type { Node as GradNode } from './autograd/node.js';
// Backends and kernels
export type { Attrs, Backend, BackendMemory, DataId, KernelArgs, KernelConfig, KernelFn, TensorInfo } from './backend.js';
export { donatedOutput } from './backend.js';
export * from './dtype.js';
export * from './elementwise/forward.js';
// The elementwise ops, each one row; backends compile the rows' expressions
export * from './elementwise/js-loops.js';
export * from './elementwise/table.js';
export * from './io/safetensors.js';
export * from './io/safetensors-file.js';
export * from './kernels.js';
export { type MemoryInfo, memory } from './memory.js';
// Layers and optimizers
export * as nn from './nn/index.js';
// Ops (also available as Tensor methods)
export * from './ops/index.js';
export * as optim from './optim/index.js';
// Iteration plans every backend shares (broadcast, reduce, strided copies)
export { type AxisAndShape, concatShape, gatherShape, padShape, type ShapeAndDType, sliceShape } from './plan/attrs.js';
export { planBroadcast } from './plan/broadcast.js';
export { collapseDims, type IterationPlan } from './plan/collapse.js';
export { planReduce, type ReducePlan } from './plan/reduce.js';
export { argsortRows } from './plan/sort-rows.js';
export {
  type ConvGeometry,
  convWindow,
  type Pair,
  paddedSize,
  pairOf,
  type Window2d,
  window2d,
  windowIndices,
  windowOutputSize,
} from './plan/window.js';
export { Generator, globalGenerator, manualSeed } from './random.js';
export {
  type BackendFactory,
  currentBackend,
  findBackend,
  forgetBackendInstance,
  getBackend,
  getKernel,
  hasKernel,
  initBackend,
  kernelsFor,
  onBackend,
  registerBackend,
  registeredBackends,
  registerKernel,
  registerKernels,
  removeBackend,
  setBackend,
  unregisterKernel,
} from './registry.js';
export type { TensorContainer } from './scope.js';
export * from './shape.js';
export { isTensor, type NestedArray, Tensor, type TensorLike } from './tensor.js';
export { dispose, keep, tidy } from './tidy.js';
