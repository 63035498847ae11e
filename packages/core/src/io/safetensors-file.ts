/**
 * Node's file helpers for safetensors. `node:fs` is imported only when one is called, so the
 * module loads in browsers too (where these throw).
 */
import type { Tensor } from '../tensor.js';
import { type LoadSafetensorsOptions, loadSafetensors, saveSafetensors } from './safetensors.js';

interface NodeFs {
  readFile(path: string): Promise<Uint8Array>;
  writeFile(path: string, data: Uint8Array): Promise<void>;
}

// A variable specifier: bundlers leave it alone, and core needs no Node type declarations.
const FS = 'node:fs/promises';

async function nodeFs(op: string): Promise<NodeFs> {
  try {
    return (await import(/* @vite-ignore */ FS)) as NodeFs;
  } catch {
    throw new Error(`${op}: needs Node's file system; in a browser, use saveSafetensors/loadSafetensors with bytes`);
  }
}

/** Writes `tensors` (and `metadata`) to the safetensors file at `path`. */
export async function saveSafetensorsFile(
  path: string,
  tensors: Readonly<Record<string, Tensor>>,
  metadata: Readonly<Record<string, string>> = {},
): Promise<void> {
  const fs = await nodeFs('saveSafetensorsFile');
  await fs.writeFile(path, await saveSafetensors(tensors, metadata));
}

/** The tensors of the safetensors file at `path` (PyTorch's `safetensors.torch.load_file`). */
export async function loadSafetensorsFile(path: string, options: LoadSafetensorsOptions = {}): Promise<Record<string, Tensor>> {
  const fs = await nodeFs('loadSafetensorsFile');
  const bytes = await fs.readFile(path);
  return loadSafetensors(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), options);
}
