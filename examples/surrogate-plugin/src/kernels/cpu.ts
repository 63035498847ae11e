/**
 * The FiringRate kernel for the cpu backend, written against its public API: `valuesOf` reads a
 * tensor's typed array in place, `makeOutput` hands a new array over without copying. Only a
 * type is imported from @surrograd/backend-cpu, so this plugin does not depend on it at run time.
 */
import type { CpuBackend } from '@surrograd/backend-cpu';
import { type KernelFn, registerKernel, type TensorInfo } from '@surrograd/core';
import { FIRING_RATE } from '../firing-rate.js';
import { countRates } from './rates.js';

export const firingRateCpu: KernelFn<CpuBackend> = ({ inputs, backend }) => {
  const [x] = inputs as [TensorInfo];
  const units = x.shape[x.shape.length - 1] as number;
  const rates = new Float32Array(units);
  countRates(backend.valuesOf(x), units, rates);
  return backend.makeOutput(rates, [units], 'float32');
};

registerKernel({ name: FIRING_RATE, backend: 'cpu', fn: firingRateCpu });
