/**
 * The browser run: the whole conformance kit on webgpu through navigator.gpu, with vitest and
 * node:fs replaced by the kit's shims (see packages/conformance/browser).
 */
import '../../src/index.js';
import { runConformance } from '@surrograd/conformance';
import { runKitInThisPage } from '../../../conformance/browser/page-runner.js';

void runKitInThisPage(async () => {
  const adapter = await navigator.gpu?.requestAdapter();
  runConformance({ backend: 'webgpu', largeTimeoutMs: 300_000, inPlaceKernels: true });
  return adapter ? `${adapter.info.vendor} ${adapter.info.architecture} ${adapter.info.description}`.trim() : 'none';
});
