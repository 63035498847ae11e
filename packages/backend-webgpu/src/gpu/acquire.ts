/**
 * Finding a GPU: the browser's navigator.gpu, else (in Node) Dawn through the optional `webgpu`
 * package. Every way this can fail ends in an error that says what is missing and how to get it.
 */
import { WebGpuUnavailableError } from '../errors.js';

/** Where the GPU object came from, for messages and `memory()`. */
export type GpuOrigin = 'navigator.gpu' | "the 'webgpu' package";

export interface GpuSource {
  gpu: GPU;
  origin: GpuOrigin;
}

/** Loads Node's `webgpu` package; injectable so tests can simulate it missing. */
export type NodeWebGpuLoader = () => Promise<{ create(options: string[]): GPU }>;

// A variable specifier keeps bundlers (vite, esbuild) from trying to bundle the native package
// into browser builds; in Node it is a plain dynamic import.
const NODE_PACKAGE = 'webgpu';
export const loadNodeWebGpu: NodeWebGpuLoader = () => import(/* @vite-ignore */ NODE_PACKAGE);

const SWIFTSHADER_HINT =
  'Without a GPU, use a software Vulkan driver: on Debian/Ubuntu `apt-get install chromium libvulkan1` ' +
  '(chromium ships SwiftShader) and run with VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json';

const isNode = () => typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node === 'string';

// Dawn's instance is heavy and process-wide: one per process, shared by every device we make.
let nodeGpu: Promise<GPU> | null = null;

/** navigator.gpu if the page has it, else Dawn in Node; throws WebGpuUnavailableError otherwise. */
export async function findGpu(loader: NodeWebGpuLoader = loadNodeWebGpu): Promise<GpuSource> {
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
  if (nav?.gpu) return { gpu: nav.gpu, origin: 'navigator.gpu' };
  if (!isNode()) {
    throw new WebGpuUnavailableError(
      "setBackend('webgpu'): this browser has no WebGPU (navigator.gpu is undefined). Use a browser with WebGPU " +
        '(Chrome/Edge 113+, Firefox 141+, Safari 26+) on a page served over https or from localhost/127.0.0.1; ' +
        'headless Chromium needs --enable-unsafe-webgpu.',
    );
  }
  if (loader !== loadNodeWebGpu) return { gpu: await createNodeGpu(loader), origin: "the 'webgpu' package" };
  nodeGpu ??= createNodeGpu(loader).catch((err: unknown) => {
    nodeGpu = null;
    throw err;
  });
  return { gpu: await nodeGpu, origin: "the 'webgpu' package" };
}

async function createNodeGpu(loader: NodeWebGpuLoader): Promise<GPU> {
  let mod: Awaited<ReturnType<NodeWebGpuLoader>>;
  try {
    mod = await loader();
  } catch (err) {
    throw new WebGpuUnavailableError(
      "setBackend('webgpu'): Node has no WebGPU of its own and the optional dependency 'webgpu' (Dawn for Node) " +
        `could not be loaded (${(err as Error).message}). Install it: \`npm install webgpu@0.6.2\` ` +
        '(it is skipped where no prebuilt binary exists for this platform).',
      { cause: err },
    );
  }
  return mod.create([]);
}

/** The limits kernels depend on: asked for at the adapter's maximum, so big tensors fit. */
const WANTED_LIMITS = [
  'maxStorageBufferBindingSize',
  'maxBufferSize',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupSizeX',
  'maxComputeWorkgroupSizeY',
  'maxComputeWorkgroupStorageSize',
  'maxStorageBuffersPerShaderStage',
  'maxComputeWorkgroupsPerDimension',
] as const;

/** An adapter and a device with the adapter's full limits for the kinds of resources kernels use. */
export async function requestDevice(source: GpuSource): Promise<{ adapter: GPUAdapter; device: GPUDevice }> {
  const adapter = await source.gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) {
    const where = source.origin === 'navigator.gpu' ? 'the browser (navigator.gpu)' : "Dawn (the 'webgpu' package)";
    throw new WebGpuUnavailableError(
      `setBackend('webgpu'): ${where} found no WebGPU adapter: no usable GPU driver. ` +
        (source.origin === 'navigator.gpu'
          ? 'Check that hardware acceleration is on; headless Chromium without a GPU needs ' +
            '--enable-unsafe-webgpu --use-webgpu-adapter=swiftshader --enable-unsafe-swiftshader.'
          : `Dawn needs Vulkan (libvulkan.so.1) and a driver. ${SWIFTSHADER_HINT}.`),
    );
  }
  const requiredLimits: Record<string, number> = {};
  for (const name of WANTED_LIMITS) {
    const value = adapter.limits[name];
    if (typeof value === 'number') requiredLimits[name] = value;
  }
  const device = await adapter.requestDevice({ requiredLimits });
  return { adapter, device };
}
