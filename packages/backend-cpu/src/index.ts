/**
 * @surrograd/backend-cpu: importing this module registers the 'cpu' backend and all its kernels.
 */

import { registerBackend, registerKernels } from '@surrograd/core';
import { CpuBackend } from './cpu-backend.js';
import { cpuFusedKernels, cpuKernels } from './kernels/index.js';

export { forwardLoopSource as forwardSource } from '@surrograd/core';
export type { CpuData } from './cpu-backend.js';
export { CpuBackend } from './cpu-backend.js';
export { type AnyCpuKernel, cpuFusedKernels, cpuKernels } from './kernels/index.js';

registerBackend('cpu', () => new CpuBackend(), 1);
registerKernels('cpu', cpuKernels, cpuFusedKernels);
