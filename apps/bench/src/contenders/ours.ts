/**
 * surrograd's backends, found at run time: each candidate package is imported and its backend
 * started; those that fail are reported with the reason and left out. Adding a backend is one line.
 */
import { existsSync } from 'node:fs';
import { type Backend, findBackend, memory, setBackend, tensor } from '@surrograd/core';
import { type PeakProbe, peakProbe } from './peak.js';
import { type TfBackendName, useTfBackend } from './tfjs.js';

interface Candidate {
  name: string;
  packageName: string;
  /** For the 'tfjs' backend: the tfjs backends it is measured on, one row each. */
  runsOn?: readonly TfBackendName[];
  /** The tfjs backend a user of this backend would otherwise use. */
  matchingTf?: TfBackendName;
  gpu?: boolean;
}

const CANDIDATES: readonly Candidate[] = [
  { name: 'cpu', packageName: '@surrograd/backend-cpu', matchingTf: 'cpu' },
  { name: 'wasm', packageName: '@surrograd/backend-wasm', matchingTf: 'wasm' },
  { name: 'webgpu', packageName: '@surrograd/backend-webgpu', gpu: true },
  { name: 'tfjs', packageName: '@surrograd/backend-tfjs', runsOn: ['cpu', 'wasm'] },
];

export interface OurBackend {
  /** Row label: 'cpu', 'wasm', 'webgpu', 'tfjs on tfjs-wasm'. */
  label: string;
  /** surrograd's backend name. */
  name: string;
  /** The tfjs backend to compare with (and, for 'tfjs', the one it runs on). */
  matchingTf: TfBackendName | null;
  /** A GPU backend on a software driver: its times say nothing about GPU speed. */
  software: boolean;
  device?: string;
  /** Makes this backend current (and its tfjs backend, for 'tfjs'). */
  use(): Promise<void>;
  /** Waits for queued work (GPU backends). */
  sync(): Promise<void>;
  /** Peak bytes held during a call, from the backend's own counter. */
  peak: PeakProbe;
}

export interface BackendStatus {
  label: string;
  packageName: string;
  status: 'ok' | 'unavailable';
  reason?: string;
  device?: string;
  software?: boolean;
}

const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
const SOFTWARE_ADAPTER = /swiftshader|llvmpipe|lavapipe|software|mock/i;

/** A variable specifier: the packages are optional at compile time, found (or not) when the bench runs. */
const importPackage = (specifier: string): Promise<unknown> => import(specifier);

function adapterDescription(backend: Backend): string | undefined {
  const info = (backend as { adapterInfo?: GPUAdapterInfo }).adapterInfo;
  if (!info) return undefined;
  const parts = [info.vendor, info.architecture, info.device, info.description].filter((s) => s && s.length > 0);
  return parts.length ? parts.join(' / ') : undefined;
}

async function probe(name: string): Promise<void> {
  await setBackend(name);
  const t = tensor([1, -2, 3]).add(1);
  const got = Array.from(await t.data());
  t.dispose();
  if (got.join() !== '2,-1,4') throw new Error(`probe: [1, -2, 3] + 1 gave [${got.join(', ')}], expected [2, -1, 4]`);
}

/** Imports and starts every candidate backend; the ones that work, and a status line for each. */
export async function loadOurBackends(options: { softwareGpu: boolean }): Promise<{ backends: OurBackend[]; status: BackendStatus[] }> {
  const backends: OurBackend[] = [];
  const status: BackendStatus[] = [];
  for (const c of CANDIDATES) {
    for (const tf of c.runsOn ?? [undefined]) {
      const label = tf ? `${c.name} on tfjs-${tf}` : c.name;
      try {
        if (c.gpu && options.softwareGpu && !process.env.VK_ICD_FILENAMES && existsSync(SWIFTSHADER_ICD)) {
          process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
        }
        await importPackage(c.packageName);
        if (tf) await useTfBackend(tf);
        await probe(c.name);
        const instance = findBackend(c.name) as Backend;
        // The wasm backend says which build of its kernels runs (relaxed SIMD where the runtime has it).
        const variant = (instance as { variant?: unknown }).variant;
        const device = c.gpu ? adapterDescription(instance) : typeof variant === 'string' ? `${variant} kernels` : undefined;
        const software = c.gpu === true && (SOFTWARE_ADAPTER.test(device ?? '') || /swiftshader/i.test(process.env.VK_ICD_FILENAMES ?? ''));
        backends.push({
          label,
          name: c.name,
          matchingTf: tf ?? c.matchingTf ?? null,
          software,
          device,
          async use() {
            if (tf) await useTfBackend(tf);
            await setBackend(c.name);
          },
          async sync() {
            await instance.sync?.();
          },
          peak: peakProbe(instance as unknown as Record<'dispose', (id: never) => void>, 'dispose', () => memory(c.name).numBytes),
        });
        status.push({ label, packageName: c.packageName, status: 'ok', device, software: c.gpu ? software : undefined });
      } catch (err) {
        const reason = (err instanceof Error ? err.message : String(err)).split('\n')[0] as string;
        status.push({ label, packageName: c.packageName, status: 'unavailable', reason });
      }
    }
  }
  return { backends, status };
}
