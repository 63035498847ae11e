/**
 * @surrograd/backend-wasm: importing this module registers the 'wasm' backend (priority 2, above
 * cpu) and its kernels. The kernels are compiled once, asynchronously, by `await setBackend('wasm')`,
 * on shared memory with a pool of workers where the runtime allows it (see setThreads).
 */
import { findBackend, initBackend, registerBackend, registerKernels } from '@surrograd/core';
import { wasmFusedKernels, wasmKernels } from './kernels/index.js';
import { instantiateKernels, instantiateThreadedKernels } from './load-module.js';
import { WASM32_MAX_BYTES } from './memory/allocator.js';
import { availableCores, threadsSupported } from './threads/pool.js';
import { MAX_DEFAULT_THREADS, WasmBackend, type WasmBackendOptions } from './wasm-backend.js';

/**
 * The activation kinds compiled into the wasm binary, with the expression text each was compiled
 * from; a kind registered or changed in core after the build runs on the JavaScript fallback.
 */
export {
  COMPILED_KINDS,
  type CompiledDerivativeKind,
  type CompiledForwardKind,
  type CompiledKinds,
} from './generated/activation-kinds.js';
export type { KernelExports } from './kernel-exports.js';
export { type AnyWasmKernel, wasmFusedKernels, wasmKernels } from './kernels/index.js';
export { DEFAULT_THRESHOLDS, type ParallelThresholds } from './kernels/parts.js';
export {
  instantiateKernels,
  instantiateThreadedKernels,
  type KernelsOptions,
  type KernelsVariant,
  kernelsVariant,
  type ThreadedKernels,
} from './load-module.js';
export { type Allocator, type Block, WASM32_MAX_BYTES } from './memory/allocator.js';
export { availableCores, threadsSupported } from './threads/pool.js';

export { MAX_DEFAULT_THREADS, PARALLEL_KERNELS, WASM_DTYPES, WasmBackend, type WasmBackendOptions, WasmData } from './wasm-backend.js';

/**
 * Registers a wasm backend under `options.name` (default 'wasm') with its own linear memory, and
 * every kernel for it. `source` loads the kernels from a URL or bytes instead of the embedded binary.
 */
export function registerWasmBackend(
  options: WasmBackendOptions = {},
  priority = 2,
  source?: string | URL | ArrayBuffer | Uint8Array,
): void {
  const name = options.name ?? 'wasm';
  registerBackend(
    name,
    async () => {
      // The embedded kernels run on shared memory wherever threads can work, so setThreads can
      // add or remove workers later; elsewhere (or from a given source) on plain memory, one thread.
      if (source === undefined && options.sharedMemory !== false && threadsSupported()) {
        const maxBytes = options.maxMemoryBytes ?? WASM32_MAX_BYTES;
        const threaded = await instantiateThreadedKernels({ relaxedSimd: options.relaxedSimd, maxBytes });
        if (threaded) {
          const backend = new WasmBackend(threaded.kernels, { ...options, name }, threaded);
          await backend.setThreads(options.threads ?? Math.min(await availableCores(), MAX_DEFAULT_THREADS));
          return backend;
        }
      }
      return new WasmBackend(await instantiateKernels(source, { relaxedSimd: options.relaxedSimd }), { ...options, name });
    },
    priority,
  );
  registerKernels(name, wasmKernels, wasmFusedKernels);
}

/**
 * Runs the wasm backend `name`'s parallel kernels (matmul, the activations, softmax cross-entropy)
 * on `n` threads, starting it if needed; resolves to the count that runs, which is 1 where
 * SharedArrayBuffer is unavailable (in browsers: a page without COOP/COEP headers).
 */
export async function setThreads(n: number, name = 'wasm'): Promise<number> {
  const backend = findBackend(name) ?? (await initBackend(name));
  if (!(backend instanceof WasmBackend)) throw new TypeError(`setThreads: backend '${name}' is not a wasm backend`);
  return backend.setThreads(n);
}

registerWasmBackend();
