import { WASM_BASE64, WASM_RELAXED_BASE64, WASM_RELAXED_THREADS_BASE64, WASM_THREADS_BASE64 } from './generated/wasm-binary.js';
import type { KernelExports } from './kernel-exports.js';

function decodeBase64(text: string): Uint8Array {
  // atob is global in browsers and in Node >= 16, so no Buffer and no bundler shim.
  const chars = atob(text);
  const bytes = new Uint8Array(chars.length);
  for (let i = 0; i < chars.length; i++) bytes[i] = chars.charCodeAt(i);
  return bytes;
}

/** Which build of the kernels runs: with relaxed SIMD (matmul's fused multiply-add) or plain SIMD. */
export type KernelsVariant = 'relaxed-simd' | 'simd';

/** How to load the kernels. */
export interface KernelsOptions {
  /**
   * Use the relaxed-SIMD build where the runtime validates it (default true). Its fused
   * multiply-add rounds once instead of twice, so matmul results can differ in the last bits
   * from the plain build's, and between machines; pass false for the plain build everywhere.
   */
  relaxedSimd?: boolean;
}

const compiled = new Map<KernelsVariant, Promise<WebAssembly.Module>>();
const variants = new WeakMap<object, KernelsVariant>();

/** The embedded build to use: relaxed SIMD when asked for and the runtime validates it. */
function embeddedVariant(relaxedSimd: boolean): { variant: KernelsVariant; bytes: () => Uint8Array } {
  if (relaxedSimd) {
    const bytes = decodeBase64(WASM_RELAXED_BASE64);
    if (WebAssembly.validate(bytes as Uint8Array<ArrayBuffer>)) return { variant: 'relaxed-simd', bytes: () => bytes };
  }
  return { variant: 'simd', bytes: () => decodeBase64(WASM_BASE64) };
}

/** The build an instance from {@link instantiateKernels} runs ('simd' for kernels loaded from a URL or bytes). */
export function kernelsVariant(kernels: KernelExports): KernelsVariant {
  return variants.get(kernels) ?? 'simd';
}

/**
 * A fresh instance of the kernels (its own linear memory). The module is compiled once, from
 * the binary embedded at build time (the relaxed-SIMD build where the runtime supports it), or
 * from `source` (a URL or bytes) when given.
 */
export async function instantiateKernels(
  source?: string | URL | ArrayBuffer | Uint8Array,
  options: KernelsOptions = {},
): Promise<KernelExports> {
  let module: Promise<WebAssembly.Module>;
  let variant: KernelsVariant = 'simd';
  if (source === undefined) {
    const chosen = embeddedVariant(options.relaxedSimd ?? true);
    variant = chosen.variant;
    let pending = compiled.get(variant);
    if (!pending) compiled.set(variant, (pending = WebAssembly.compile(chosen.bytes() as Uint8Array<ArrayBuffer>)));
    module = pending;
  } else if (typeof source === 'string' || source instanceof URL) {
    module = fetch(source).then((r) => {
      if (!r.ok) throw new Error(`backend-wasm: fetching kernels from ${String(source)} failed: HTTP ${r.status}`);
      return WebAssembly.compileStreaming(r);
    });
  } else {
    module = WebAssembly.compile(source as Uint8Array<ArrayBuffer>);
  }
  const instance = await WebAssembly.instantiate(await module, {
    env: {
      abort(_message: number, _file: number, line: number, column: number) {
        throw new Error(`backend-wasm: a kernel aborted at line ${line}:${column} of its AssemblyScript source`);
      },
    },
  });
  const kernels = instance.exports as unknown as KernelExports;
  variants.set(kernels, variant);
  return kernels;
}

/** A threaded instance: the kernels on a shared memory, with the module workers instantiate. */
export interface ThreadedKernels {
  /** The host thread's instance. */
  kernels: KernelExports;
  /** The compiled module, for the workers. */
  module: WebAssembly.Module;
  /** The shared memory every instance runs on. */
  memory: WebAssembly.Memory;
}

const compiledThreaded = new Map<KernelsVariant, Promise<WebAssembly.Module | null>>();

/**
 * The embedded threaded build on a new shared memory of at most `maxBytes`, or null where the
 * runtime has no shared memory or does not validate the build (the caller runs single-threaded).
 */
export async function instantiateThreadedKernels(options: KernelsOptions & { maxBytes: number }): Promise<ThreadedKernels | null> {
  if (typeof SharedArrayBuffer === 'undefined') return null;
  const pick = (relaxed: boolean): { variant: KernelsVariant; bytes: Uint8Array } | null => {
    const bytes = decodeBase64(relaxed ? WASM_RELAXED_THREADS_BASE64 : WASM_THREADS_BASE64);
    return WebAssembly.validate(bytes as Uint8Array<ArrayBuffer>) ? { variant: relaxed ? 'relaxed-simd' : 'simd', bytes } : null;
  };
  const wantRelaxed = options.relaxedSimd ?? true;
  const variant: KernelsVariant = wantRelaxed && pick(true) ? 'relaxed-simd' : 'simd';
  let pending = compiledThreaded.get(variant);
  if (!pending) {
    const chosen = pick(variant === 'relaxed-simd');
    pending = chosen ? WebAssembly.compile(chosen.bytes as Uint8Array<ArrayBuffer>) : Promise.resolve(null);
    compiledThreaded.set(variant, pending);
  }
  const module = await pending;
  if (!module) return null;
  let memory: WebAssembly.Memory;
  try {
    const maximum = Math.max(1, Math.min(65536, Math.ceil(options.maxBytes / 65536)));
    memory = new WebAssembly.Memory({ initial: 1, maximum, shared: true });
  } catch {
    return null; // shared memory refused (a browser page that is not cross-origin isolated)
  }
  const instance = await WebAssembly.instantiate(module, {
    env: {
      memory,
      abort(_message: number, _file: number, line: number, column: number) {
        throw new Error(`backend-wasm: a kernel aborted at line ${line}:${column} of its AssemblyScript source`);
      },
    },
  });
  const kernels = instance.exports as unknown as KernelExports;
  variants.set(kernels, variant);
  return { kernels, module, memory };
}
