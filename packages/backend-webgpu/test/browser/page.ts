/**
 * The browser run: the whole conformance kit on webgpu through navigator.gpu, with vitest and
 * node:fs replaced by small shims (see build.ts). Results go to window.__conformance and, one line
 * per test, to the console for the runner to stream.
 */
import '../../src/index.js';
import { runConformance } from '@surrograd/conformance';
import { runAll, type TestResult } from './vitest-shim.js';

declare global {
  interface Window {
    __conformance?: { done: boolean; results: TestResult[]; adapter?: string; error?: string };
  }
}

async function main(): Promise<void> {
  const state: NonNullable<Window['__conformance']> = { done: false, results: [] };
  window.__conformance = state;
  try {
    const adapter = await navigator.gpu?.requestAdapter();
    state.adapter = adapter ? `${adapter.info.vendor} ${adapter.info.architecture} ${adapter.info.description}`.trim() : 'none';
    runConformance({ backend: 'webgpu', largeTimeoutMs: 300_000, inPlaceKernels: true });
    await runAll((r) => {
      state.results.push(r);
      console.log(`[conformance] ${r.status} ${r.id} ${r.ms.toFixed(0)}ms${r.error ? `\n${r.error}` : ''}`);
    });
  } catch (err) {
    state.error = String((err as Error)?.stack ?? err);
  } finally {
    state.done = true;
  }
}

void main();
