import type { Backend } from './backend.js';
import { currentBackend, findBackend } from './registry.js';

const liveTensors = new WeakMap<Backend, number>();

/** @internal */
export function countTensor(backend: Backend, delta: number): void {
  liveTensors.set(backend, (liveTensors.get(backend) ?? 0) + delta);
}

/** What {@link memory} reports: core's live-tensor count plus the backend's own counters (at least buffers and bytes). */
export interface MemoryInfo {
  /** Live Tensor objects (views count each). */
  numTensors: number;
  /** Buffers the backend holds, including those kept only by a graph for backward. */
  numDataBuffers: number;
  /** Bytes of those buffers. */
  numBytes: number;
  /** Name of the backend reported on. */
  backend: string;
  [key: string]: number | string | boolean;
}

/** Live tensors and bytes of the current backend, or of the named one. */
export function memory(backendName?: string): MemoryInfo {
  const backend = backendName === undefined ? currentBackend() : findBackend(backendName);
  if (!backend) throw new Error(`memory: backend '${backendName}' is not initialized`);
  return { ...backend.memory(), numTensors: liveTensors.get(backend) ?? 0, backend: backend.name };
}
