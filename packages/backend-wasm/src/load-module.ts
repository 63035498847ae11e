import { WASM_BASE64 } from './generated/wasm-binary.js';
import type { KernelExports } from './kernel-exports.js';

function decodeBase64(text: string): Uint8Array {
  // atob is global in browsers and in Node >= 16, so no Buffer and no bundler shim.
  const chars = atob(text);
  const bytes = new Uint8Array(chars.length);
  for (let i = 0; i < chars.length; i++) bytes[i] = chars.charCodeAt(i);
  return bytes;
}

let compiled: Promise<WebAssembly.Module> | null = null;

/**
 * A fresh instance of the kernels (its own linear memory). The module is compiled once, from
 * the binary embedded at build time, or from `source` (a URL or bytes) when given.
 */
export async function instantiateKernels(source?: string | URL | ArrayBuffer | Uint8Array): Promise<KernelExports> {
  let module: Promise<WebAssembly.Module>;
  if (source === undefined) {
    compiled ??= WebAssembly.compile(decodeBase64(WASM_BASE64) as Uint8Array<ArrayBuffer>);
    module = compiled;
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
  return instance.exports as unknown as KernelExports;
}
