/**
 * WebGpuBackend owns a device and its buffers; kernels (registered separately) encode work through
 * `run`. Every dtype is stored as 32-bit words: float32 as f32, int32 as i32, bool as u32 0/1.
 * Reads are asynchronous (a staging buffer is mapped); there is no readSync on WebGPU.
 */
import type { Backend, BackendMemory, DataId, DType, Shape, TensorInfo, TypedArray } from '@surrograd/core';
import { fmt, sizeOf } from '@surrograd/core';
import { WebGpuDeviceLostError } from './errors.js';
import type { GpuOrigin } from './gpu/acquire.js';
import { BatchEncoder } from './gpu/batch.js';
import { BufferPool } from './gpu/buffer-pool.js';
import { type KernelLimits, kernelLimits } from './gpu/kernel-limits.js';
import { PipelineCache } from './gpu/pipeline-cache.js';
import { BufferUsage, MapMode } from './gpu/usage.js';
import { IndexErrors } from './index-errors.js';
import { bindingKinds, type Program, programSource } from './wgsl/program.js';
import type { UniformValues } from './wgsl/uniforms.js';

export const WEBGPU_DTYPES: readonly DType[] = ['float32', 'int32', 'bool'];

/** The backend's handle to one tensor buffer. */
export interface GpuData {
  readonly buffer: GPUBuffer;
  /** Elements (each one 32-bit word). */
  readonly size: number;
  /**
   * int32 values as written from the host, kept so Gather/ScatterAdd can check indices
   * synchronously (as the contract asks) without reading the GPU. Absent for computed tensors.
   */
  readonly hostInts?: Int32Array;
}

/** Host int32 copies are kept up to this many elements (labels, gather indices), not for bulk data. */
const HOST_INT_COPY_LIMIT = 1 << 20;
/** Pooled buffers kept at most (bytes); more are destroyed on release. */
const MAX_POOLED_BYTES = 512 * 1024 * 1024;

export interface WebGpuBackendInit {
  device: GPUDevice;
  adapterInfo?: GPUAdapterInfo;
  origin: GpuOrigin;
  /** Called once when the device is lost (not when this backend destroys it). */
  onLost?: (backend: WebGpuBackend) => void;
}

export class WebGpuBackend implements Backend {
  readonly name = 'webgpu';
  readonly dtypes: readonly DType[] = WEBGPU_DTYPES;
  readonly device: GPUDevice;
  readonly limits: KernelLimits;
  readonly origin: GpuOrigin;
  readonly adapterInfo: GPUAdapterInfo | undefined;

  private readonly storage: BufferPool;
  private readonly staging: BufferPool;
  private readonly pipelines: PipelineCache;
  private readonly batch: BatchEncoder;
  private readonly indexErrors: IndexErrors;
  private readonly live = new WeakSet<GpuData>();
  private numDataBuffers = 0;
  private numBytes = 0;
  private lostMessage: string | null = null;
  private destroyed = false;
  /** The first uncaptured GPU error since the last read: reported by the next read. */
  private gpuError: string | null = null;

  constructor(init: WebGpuBackendInit) {
    this.device = init.device;
    this.origin = init.origin;
    this.adapterInfo = init.adapterInfo;
    this.limits = kernelLimits(init.device.limits);
    const storageUsage = BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST;
    this.storage = new BufferPool(this.device, storageUsage, 'tensor', MAX_POOLED_BYTES, this.limits.maxStorageBindingBytes);
    const stagingUsage = BufferUsage.MAP_READ | BufferUsage.COPY_DST;
    this.staging = new BufferPool(this.device, stagingUsage, 'staging', MAX_POOLED_BYTES / 4, this.limits.maxBufferBytes);
    this.pipelines = new PipelineCache(this.device);
    this.batch = new BatchEncoder(this.device, this.limits.uniformAlignment);
    this.indexErrors = new IndexErrors(this.device);
    this.device.addEventListener('uncapturederror', (event) => {
      this.gpuError ??= (event as GPUUncapturedErrorEvent).error.message;
    });
    this.device.lost.then((info) => {
      if (this.destroyed) return;
      this.lostMessage =
        `webgpu: the GPU device was lost (reason '${info.reason}'${info.message ? `: ${info.message}` : ''}). ` +
        "Its tensors are gone; call `await setBackend('webgpu')` for a new device and recreate them.";
      this.batch.abandon();
      init.onLost?.(this);
    });
  }

  // ---- Backend ---------------------------------------------------------------------------------

  write(values: TypedArray, shape: Shape, dtype: DType): DataId {
    this.assertUsable('write');
    const size = sizeOf(shape);
    if (values.length !== size) {
      throw new RangeError(`webgpu.write: ${values.length} values cannot fill shape ${fmt(shape)} of ${size} elements`);
    }
    const words = toWords(values, dtype);
    const data = this.allocate(size, 'write', dtype === 'int32' && size <= HOST_INT_COPY_LIMIT ? (words as Int32Array) : undefined);
    if (size > 0) this.device.queue.writeBuffer(data.buffer, 0, words.buffer, words.byteOffset, words.byteLength);
    return data;
  }

  async read(dataId: DataId, dtype: DType): Promise<TypedArray> {
    this.assertUsable('read');
    const data = this.dataOf(dataId, 'webgpu.read');
    const bytes = data.size * 4;
    // The index-error flag rides along in the last word, unless the tensor alone fills a buffer.
    const flagged = bytes + 4 <= this.limits.maxBufferBytes;
    const total = flagged ? bytes + 4 : bytes;
    const stagingBuffer = this.staging.acquire(total);
    if (bytes > 0) this.batch.copy(data.buffer, 0, stagingBuffer, 0, bytes);
    if (flagged) this.batch.copy(this.indexErrors.buffer, 0, stagingBuffer, bytes, 4);
    this.batch.flush();
    try {
      await stagingBuffer.mapAsync(MapMode.READ, 0, total);
    } catch (err) {
      this.assertUsable('read');
      throw new Error(`webgpu.read: mapping the staging buffer failed: ${(err as Error).message}`, { cause: err });
    }
    const words = new Uint32Array(stagingBuffer.getMappedRange(0, total).slice(0));
    stagingBuffer.unmap();
    this.staging.release(stagingBuffer);
    this.reportErrors(flagged ? (words[data.size] as number) : 0);
    return fromWords(words.subarray(0, data.size), dtype);
  }

  dispose(dataId: DataId): void {
    const data = dataId as GpuData;
    if (!this.live.delete(data)) return;
    this.numDataBuffers--;
    this.numBytes -= data.size * 4;
    if (this.lostMessage || this.destroyed) return;
    this.batch.releaseAfterSubmit(data.buffer, this.storage);
  }

  memory(): BackendMemory {
    const pool = this.storage.stats();
    return {
      numDataBuffers: this.numDataBuffers,
      numBytes: this.numBytes,
      gpuBuffers: pool.allocatedBuffers,
      gpuBytes: pool.allocatedBytes,
      pooledBuffers: pool.pooledBuffers,
      pooledBytes: pool.pooledBytes,
      pipelines: this.pipelines.size,
      submits: this.batch.submits,
      lost: this.lostMessage !== null,
    };
  }

  async sync(): Promise<void> {
    this.assertUsable('sync');
    this.batch.flush();
    await this.device.queue.onSubmittedWorkDone();
    this.assertUsable('sync');
  }

  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.batch.destroy();
    this.storage.drain();
    this.staging.drain();
    this.device.destroy();
  }

  // ---- for kernels -----------------------------------------------------------------------------

  /** Throws the clear error for a lost device or a destroyed backend. */
  assertUsable(op: string): void {
    if (this.lostMessage) throw new WebGpuDeviceLostError(`${op}: ${this.lostMessage}`);
    if (this.destroyed) {
      throw new Error(`${op}: this webgpu backend was destroyed (removed or replaced); call \`await setBackend('webgpu')\``);
    }
  }

  /** The buffer behind a tensor of this backend. */
  dataOf(dataId: DataId | TensorInfo, op: string): GpuData {
    const data = ('dataId' in dataId ? dataId.dataId : dataId) as GpuData;
    if (!this.live.has(data)) {
      throw new Error(`${op}: the buffer was disposed or belongs to another backend (or to a lost webgpu device)`);
    }
    return data;
  }

  /** A new tensor buffer of `shape`, registered as live; the kernel fills it. */
  makeOutput(shape: Shape, dtype: DType, op: string): { info: TensorInfo; data: GpuData } {
    const data = this.allocate(sizeOf(shape), op);
    return { info: { dataId: data, shape: [...shape], dtype }, data };
  }

  /** A scratch buffer for one kernel's intermediate; give it back with `releaseTemp`. */
  makeTemp(size: number, op: string): GpuData {
    this.checkFits(size, op);
    return { buffer: this.storage.acquire(size * 4), size };
  }

  releaseTemp(data: GpuData): void {
    this.batch.releaseAfterSubmit(data.buffer, this.storage);
  }

  /** Encodes one dispatch of `program` over `buffers` (in the program's storage order). */
  run(program: Program, buffers: readonly GpuData[], uniforms: UniformValues, workgroups: readonly [number, number, number]): void {
    // The kernel's name, not the pipeline key ("Activation:relu#3|wg256"), is what a user can look up.
    this.assertUsable(program.key.split(/[:|#]/)[0] as string);
    const kinds = bindingKinds(program);
    const pipeline = this.pipelines.pipeline(program.key, kinds, () => programSource(program));
    const entries: GPUBindGroupEntry[] = buffers.map((b, binding) => ({ binding, resource: { buffer: b.buffer } }));
    if (!program.uniforms.isEmpty) entries.push({ binding: entries.length, resource: this.batch.uniform(program.uniforms.pack(uniforms)) });
    const bindGroup = this.device.createBindGroup({ layout: this.pipelines.layout(kinds), entries });
    this.batch.dispatch(pipeline, bindGroup, workgroups);
  }

  /** Encodes a plain buffer-to-buffer copy of `words` 32-bit words. */
  copyWords(src: GpuData, srcWord: number, dst: GpuData, dstWord: number, words: number): void {
    if (words > 0) this.batch.copy(src.buffer, srcWord * 4, dst.buffer, dstWord * 4, words * 4);
  }

  /** The GPU-side flag kernels set when an index they could not check on the host is out of range. */
  get indexErrorFlag(): GpuData {
    return { buffer: this.indexErrors.buffer, size: 1 };
  }

  private allocate(size: number, op: string, hostInts?: Int32Array): GpuData {
    this.checkFits(size, op);
    const data: GpuData = { buffer: this.storage.acquire(size * 4), size, hostInts };
    this.live.add(data);
    this.numDataBuffers++;
    this.numBytes += size * 4;
    return data;
  }

  private checkFits(size: number, op: string): void {
    if (size * 4 > this.limits.maxStorageBindingBytes) {
      throw new RangeError(
        `${op}: a tensor of ${size} elements (${size * 4} bytes) exceeds this WebGPU device's largest storage buffer ` +
          `(${this.limits.maxStorageBindingBytes} bytes, maxStorageBufferBindingSize)`,
      );
    }
  }

  private reportErrors(indexFlags: number): void {
    const gpuError = this.gpuError;
    this.gpuError = null;
    if (indexFlags !== 0) {
      this.indexErrors.clear();
      throw new RangeError(this.indexErrors.describe(indexFlags));
    }
    if (gpuError) throw new Error(`webgpu: a GPU command failed: ${gpuError}`);
  }
}

/** Host values as the 32-bit words the GPU stores (bool normalized to 0/1). */
function toWords(values: TypedArray, dtype: DType): Float32Array | Int32Array | Uint32Array {
  switch (dtype) {
    case 'float32':
      return values instanceof Float32Array ? values : Float32Array.from(values);
    case 'int32':
      // A copy even of an Int32Array: it may be kept as hostInts, and the caller's array may change.
      return Int32Array.from(values);
    case 'bool': {
      const out = new Uint32Array(values.length);
      for (let i = 0; i < values.length; i++) out[i] = +(values[i] !== 0);
      return out;
    }
    default:
      throw new TypeError(`webgpu.write: dtype ${dtype} is not supported (supported: ${WEBGPU_DTYPES.join(', ')})`);
  }
}

function fromWords(words: Uint32Array, dtype: DType): TypedArray {
  switch (dtype) {
    case 'float32':
      return new Float32Array(words.buffer.slice(words.byteOffset, words.byteOffset + words.byteLength));
    case 'int32':
      return new Int32Array(words.buffer.slice(words.byteOffset, words.byteOffset + words.byteLength));
    case 'bool':
      return Uint8Array.from(words, (w) => +(w !== 0));
    default:
      throw new TypeError(`webgpu.read: dtype ${dtype} is not supported (supported: ${WEBGPU_DTYPES.join(', ')})`);
  }
}
