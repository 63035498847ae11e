/**
 * Compute pipelines, compiled once per distinct shader and kept for the device's life. A kernel
 * names its shader by a key (op, dtypes, rank…); the WGSL text is built only on the first miss.
 * Layouts are explicit (not 'auto') so a binding the shader happens not to read is still legal.
 */
import { ShaderStage } from './usage.js';

/** One binding's kind, in binding order: 'read' storage, 'write' (read_write) storage, 'uniform'. */
export type BindingKind = 'read' | 'write' | 'uniform';

export class PipelineCache {
  private readonly pipelines = new Map<string, GPUComputePipeline>();
  private readonly layouts = new Map<string, GPUBindGroupLayout>();

  constructor(private readonly device: GPUDevice) {}

  get size(): number {
    return this.pipelines.size;
  }

  layout(kinds: readonly BindingKind[]): GPUBindGroupLayout {
    const key = kinds.join(',');
    let layout = this.layouts.get(key);
    if (!layout) {
      layout = this.device.createBindGroupLayout({
        label: key,
        entries: kinds.map((kind, binding) => ({
          binding,
          visibility: ShaderStage.COMPUTE,
          buffer: { type: kind === 'uniform' ? 'uniform' : kind === 'read' ? 'read-only-storage' : 'storage' },
        })),
      });
      this.layouts.set(key, layout);
    }
    return layout;
  }

  pipeline(key: string, kinds: readonly BindingKind[], source: () => string): GPUComputePipeline {
    const cacheKey = `${key}|${kinds.join(',')}`;
    let pipeline = this.pipelines.get(cacheKey);
    if (!pipeline) {
      const module = this.device.createShaderModule({ label: key, code: source() });
      pipeline = this.device.createComputePipeline({
        label: key,
        layout: this.device.createPipelineLayout({ bindGroupLayouts: [this.layout(kinds)] }),
        compute: { module, entryPoint: 'main' },
      });
      this.pipelines.set(cacheKey, pipeline);
    }
    return pipeline;
  }
}
