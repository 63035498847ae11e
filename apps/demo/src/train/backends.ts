/**
 * The backends the demo can train on, each one line: its name and the package whose import
 * registers it. CPU backends are listed fastest first; "auto" picks the first one that imports.
 */
import { setBackend } from '@surrograd/core';

export interface BackendInfo {
  name: string;
  packageName: string;
  /** Runs on the CPU (no GPU needed); candidates for the default. */
  cpu: boolean;
  /** Other packages it needs (the page's bundle includes them when they are installed). */
  needs?: readonly string[];
  /** Runs after the package is imported and before it is made current; returns a description of what it chose. */
  prepare?: (importer: PackageImporter) => Promise<string>;
}

/** TensorFlow.js backends the `tfjs` backend runs its kernels on, fastest CPU one first. */
const TF_BACKENDS = [
  { name: 'wasm', packageName: '@tensorflow/tfjs-backend-wasm' },
  { name: 'cpu', packageName: '@tensorflow/tfjs-backend-cpu' },
] as const;

interface TfCore {
  setBackend(name: string): Promise<boolean>;
}

/** Imports tfjs and makes its fastest working CPU backend current (tfjs's wasm needs its .wasm file served in a page). */
async function prepareTfjs(importer: PackageImporter): Promise<string> {
  const tf = (await importer('@tensorflow/tfjs-core')) as TfCore;
  const failures: string[] = [];
  for (const b of TF_BACKENDS) {
    try {
      await importer(b.packageName);
      if (await tf.setBackend(b.name)) return `on tfjs-${b.name}`;
      failures.push(`tfjs-${b.name} did not initialize`);
    } catch (err) {
      failures.push(`${b.packageName}: ${(err as Error).message}`);
    }
  }
  throw new Error(`no TensorFlow.js backend could be started: ${failures.join('; ')}`);
}

export const BACKENDS: readonly BackendInfo[] = [
  { name: 'wasm', packageName: '@surrograd/backend-wasm', cpu: true },
  { name: 'cpu', packageName: '@surrograd/backend-cpu', cpu: true },
  { name: 'webgpu', packageName: '@surrograd/backend-webgpu', cpu: false },
  {
    name: 'tfjs',
    packageName: '@surrograd/backend-tfjs',
    cpu: true,
    needs: ['@tensorflow/tfjs-core', ...TF_BACKENDS.map((b) => b.packageName)],
    prepare: prepareTfjs,
  },
];

/** Imports a package by name (Node: a dynamic import; the page: a map made at build time). */
export type PackageImporter = (packageName: string) => Promise<unknown>;

export function backendInfo(name: string): BackendInfo {
  const info = BACKENDS.find((b) => b.name === name);
  if (!info) throw new Error(`backend '${name}' is not one the demo knows; known: ${BACKENDS.map((b) => b.name).join(', ')}, auto`);
  return info;
}

/** Imports the backend's package and makes it current; a missing package is an error saying so. */
export async function useBackend(name: string, importer: PackageImporter): Promise<string> {
  const info = backendInfo(name);
  try {
    await importer(info.packageName);
  } catch (err) {
    throw new Error(
      `backend '${name}': cannot import ${info.packageName} (${(err as Error).message}); is it built and a dependency of the demo?`,
    );
  }
  const detail = info.prepare ? await info.prepare(importer) : null;
  await setBackend(name);
  if (detail) lastDetail.set(name, detail);
  return name;
}

const lastDetail = new Map<string, string>();

/** What a backend chose when it was prepared (tfjs: which tfjs backend runs its kernels), if anything. */
export function backendDetail(name: string): string | undefined {
  return lastDetail.get(name);
}

/** The fastest CPU backend that imports and initializes (wasm once it exists, else cpu). */
export async function useFastestCpuBackend(importer: PackageImporter): Promise<string> {
  const failures: string[] = [];
  for (const info of BACKENDS.filter((b) => b.cpu)) {
    try {
      return await useBackend(info.name, importer);
    } catch (err) {
      failures.push((err as Error).message);
    }
  }
  throw new Error(`no CPU backend could be started:\n  ${failures.join('\n  ')}`);
}

/** "auto" for the fastest CPU backend, or a backend by name. */
export function selectBackend(name: string, importer: PackageImporter): Promise<string> {
  return name === 'auto' ? useFastestCpuBackend(importer) : useBackend(name, importer);
}
