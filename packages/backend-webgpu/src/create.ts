/** Making a WebGpuBackend: find a GPU, get a device, and wire device loss to re-registration. */
import { WebGpuBackend } from './backend.js';
import { findGpu, loadNodeWebGpu, type NodeWebGpuLoader, requestDevice } from './gpu/acquire.js';

export interface CreateWebGpuOptions {
  /** A GPU object to use instead of navigator.gpu or the `webgpu` package (tests, custom Dawn setups). */
  gpu?: GPU;
  /** How Node loads the `webgpu` package (tests simulate it missing). */
  loadNodeWebGpu?: NodeWebGpuLoader;
  /** Called when the device is lost. */
  onLost?: (backend: WebGpuBackend) => void;
}

export async function createWebGpuBackend(options: CreateWebGpuOptions = {}): Promise<WebGpuBackend> {
  const source = options.gpu
    ? { gpu: options.gpu, origin: 'navigator.gpu' as const }
    : await findGpu(options.loadNodeWebGpu ?? loadNodeWebGpu);
  const { adapter, device } = await requestDevice(source);
  return new WebGpuBackend({ device, adapterInfo: adapter.info, origin: source.origin, onLost: options.onLost });
}
