/**
 * The browser run: the whole conformance kit on the wasm backend, threaded where the page is
 * cross-origin isolated and on plain memory, one thread, where it is not (the runner serves it
 * both ways). The page says which it got.
 */
import '../../src/index.js';
import { runConformance } from '@surrograd/conformance';
import { currentBackend, setBackend } from '@surrograd/core';
import { runKitInThisPage } from '../../../conformance/browser/page-runner.js';
import type { WasmBackend } from '../../src/index.js';

void runKitInThisPage(async () => {
  await setBackend('wasm');
  const backend = currentBackend() as WasmBackend;
  runConformance({ backend: 'wasm', inPlaceKernels: true });
  const shared = backend.kernels.memory.buffer instanceof (globalThis.SharedArrayBuffer ?? class {});
  return `crossOriginIsolated=${globalThis.crossOriginIsolated} shared=${shared} threads=${backend.threads} variant=${backend.variant}`;
});
