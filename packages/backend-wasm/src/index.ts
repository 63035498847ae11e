/**
 * @surrograd/backend-wasm: importing this module registers the 'wasm' backend (priority 2, above
 * cpu) and its kernels. The kernels are compiled once, asynchronously, by `await setBackend('wasm')`.
 */
import { registerBackend, registerKernels } from '@surrograd/core';
import { wasmFusedKernels, wasmKernels } from './kernels/index.js';
import { instantiateKernels } from './load-module.js';
import { WasmBackend, type WasmBackendOptions } from './wasm-backend.js';

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
export { instantiateKernels, type KernelsOptions, type KernelsVariant, kernelsVariant } from './load-module.js';
export { type Allocator, type Block, WASM32_MAX_BYTES } from './memory/allocator.js';
export { WASM_DTYPES, WasmBackend, type WasmBackendOptions, WasmData } from './wasm-backend.js';

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
    async () => new WasmBackend(await instantiateKernels(source, { relaxedSimd: options.relaxedSimd }), { ...options, name }),
    priority,
  );
  registerKernels(name, wasmKernels, wasmFusedKernels);
}

registerWasmBackend();
