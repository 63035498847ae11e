/**
 * The FiringRate kernel for the wasm backend, written against its public API: `output` allocates
 * a tensor in linear memory, `dataIdOf` checks a buffer is live and the backend's own, `f32Of`
 * views a buffer's floats. An allocation may grow the memory and detach older views, so the
 * output is allocated before any view is taken. Registered for the backend named 'wasm' (a
 * second instance from registerWasmBackend({ name }) needs its own registerKernel).
 */
import type { WasmBackend } from '@surrograd/backend-wasm';
import { type KernelFn, registerKernel, type TensorInfo } from '@surrograd/core';
import { FIRING_RATE } from '../firing-rate.js';
import { countRates } from './rates.js';

export const firingRateWasm: KernelFn<WasmBackend> = ({ inputs, backend }) => {
  const [x] = inputs as [TensorInfo];
  const units = x.shape[x.shape.length - 1] as number;
  const out = backend.output([units], 'float32', FIRING_RATE);
  countRates(backend.f32Of(backend.dataIdOf(x, FIRING_RATE)), units, backend.f32Of(out.dataId));
  return out;
};

registerKernel({ name: FIRING_RATE, backend: 'wasm', fn: firingRateWasm });
