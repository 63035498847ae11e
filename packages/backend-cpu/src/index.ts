/**
 * @surrograd/backend-cpu: importing this module registers the 'cpu' backend and all its kernels.
 */

import type { KernelName } from '@surrograd/core';
import { registerBackend, registerKernel } from '@surrograd/core';
import { CpuBackend } from './cpu-backend.js';
import { cpuFusedKernels, cpuKernels } from './kernels/index.js';

export type { CpuData } from './cpu-backend.js';
export { CpuBackend } from './cpu-backend.js';
export { forwardSource } from './kernels/activation/compile.js';
export { type AnyCpuKernel, cpuFusedKernels, cpuKernels } from './kernels/index.js';

registerBackend('cpu', () => new CpuBackend(), 1);
for (const [name, fn] of [...Object.entries(cpuKernels), ...Object.entries(cpuFusedKernels)]) {
  registerKernel({ name: name as KernelName, backend: 'cpu', fn });
}
