/**
 * jax-js 0.1.25 as a peer, on its wasm backend (its 'cpu' device is an interpreter for debugging;
 * Node has no global Worker, so wasm runs on one thread). Arrays move: passing one consumes it,
 * `.ref` keeps it, so every call below passes `.ref` of the inputs it reuses.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as jax from '@jax-js/jax';
import type { PeakProbe } from './peak.js';

export { jax };

export interface JaxStatus {
  label: string;
  status: 'ok' | 'unavailable';
  reason?: string;
}

export async function loadJax(): Promise<JaxStatus> {
  const label = 'jax-js-wasm';
  try {
    const devices = await jax.init('wasm');
    if (!devices.includes('wasm')) throw new Error(`init('wasm') started only [${devices.join(', ')}]`);
    jax.defaultDevice('wasm');
    const got = await jax.numpy.array([1, 2]).add(1).data();
    if (Array.from(got).join() !== '2,3') throw new Error(`probe: [1, 2] + 1 gave [${Array.from(got).join(', ')}]`);
    return { label, status: 'ok' };
  } catch (err) {
    return { label, status: 'unavailable', reason: (err as Error).message };
  }
}

interface JaxWasmBackend {
  malloc(size: number, initialData?: Uint8Array): number;
  incRef(slot: number): void;
  decRef(slot: number): void;
}

/**
 * jax-js has no public memory counter, so bytes are counted at its wasm backend's malloc/incRef/
 * decRef. The backend object is reached through the module that index.js imports it from (its
 * `getBackend` export, under a minified alias read from index.js): tied to 0.1.25's file layout,
 * and null (memory not reported) if that layout is not found.
 */
export async function jaxPeak(): Promise<PeakProbe | null> {
  try {
    const indexUrl = import.meta.resolve('@jax-js/jax');
    const index = readFileSync(fileURLToPath(indexUrl), 'utf8');
    const m = /import \{([^}]*)\} from "\.\/(backend-[\w-]+\.js)"/.exec(index);
    const alias = m && /(\w+) as getBackend\b/.exec(m[1] as string)?.[1];
    if (!m || !alias) return null;
    const chunk = (await import(new URL(m[2] as string, indexUrl).href)) as Record<string, (d: string) => JaxWasmBackend>;
    const backend = chunk[alias]?.('wasm');
    if (!backend || typeof backend.malloc !== 'function') return null;
    return countingProbe(backend);
  } catch {
    return null;
  }
}

function countingProbe(backend: JaxWasmBackend): PeakProbe {
  const slots = new Map<number, { size: number; refs: number }>();
  let held = 0;
  let baseline = 0;
  let peak = 0;
  const malloc = backend.malloc.bind(backend);
  const incRef = backend.incRef.bind(backend);
  const decRef = backend.decRef.bind(backend);
  backend.malloc = (size, initialData) => {
    const slot = malloc(size, initialData);
    slots.set(slot, { size, refs: 1 });
    held += size;
    if (held > peak) peak = held;
    return slot;
  };
  backend.incRef = (slot) => {
    incRef(slot);
    const s = slots.get(slot);
    if (s) s.refs++;
  };
  backend.decRef = (slot) => {
    decRef(slot);
    const s = slots.get(slot);
    if (s && --s.refs === 0) {
      held -= s.size;
      slots.delete(slot);
    }
  };
  return {
    begin() {
      baseline = held;
      peak = held;
    },
    end() {
      return peak - baseline;
    },
  };
}
