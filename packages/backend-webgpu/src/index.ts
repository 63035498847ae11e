/**
 * @surrograd/backend-webgpu: importing this module registers the 'webgpu' backend and its kernels.
 * `await setBackend('webgpu')` finds a GPU (navigator.gpu in browsers, the optional `webgpu`
 * package in Node) and fails with an error saying what is missing if there is none.
 */
import { forgetBackendInstance, registerBackend, registerKernels } from '@surrograd/core';
import { createWebGpuBackend } from './create.js';
import { webgpuFusedKernels, webgpuKernels } from './kernels/index.js';

// For kernel authors (see docs/adding-an-activation-kernel.md).
export { emitWgsl, stabilize, wgslAlgebra } from './activations/wgsl-emitter.js';
export type { GpuData, WebGpuBackendInit } from './backend.js';
export { WEBGPU_DTYPES, WebGpuBackend } from './backend.js';
export { type CreateWebGpuOptions, createWebGpuBackend } from './create.js';
export { WebGpuDeviceLostError, WebGpuUnavailableError } from './errors.js';
export { type ElementwiseSpec, elementwise, type Operand, wordType } from './kernels/elementwise.js';
export { webgpuFusedKernels, webgpuKernels } from './kernels/index.js';
export { mathHelpers } from './wgsl/math.js';
export { f32Literal, gridFor, type Program, type StorageBinding, type WordType } from './wgsl/program.js';
export { at, type UniformField, UniformLayout, type UniformValues } from './wgsl/uniforms.js';

/** Above cpu's 1: once initialized, the GPU is preferred when no backend was chosen with setBackend. */
export const WEBGPU_PRIORITY = 2;

/**
 * After a device loss the lost instance stays current (if it was) and keeps failing with a clear
 * WebGpuDeviceLostError, so nothing silently lands on another backend; the registry forgets it,
 * so that `await setBackend('webgpu')` starts a new device.
 */
registerBackend('webgpu', () => createWebGpuBackend({ onLost: (lost) => forgetBackendInstance('webgpu', lost) }), WEBGPU_PRIORITY);
registerKernels('webgpu', webgpuKernels, webgpuFusedKernels);
