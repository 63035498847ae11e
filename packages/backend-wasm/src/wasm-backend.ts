import type { Backend, BackendMemory, DataId, DType, KernelArgs, Shape, TensorInfo, TypedArray } from '@surrograd/core';
import { bytesPerElement, donatedOutput, sizeOf } from '@surrograd/core';
import type { KernelExports } from './kernel-exports.js';
import { DEFAULT_THRESHOLDS, type ParallelThresholds } from './kernels/parts.js';
import { type KernelsOptions, type KernelsVariant, kernelsVariant, type ThreadedKernels } from './load-module.js';
import { lowerCosts, measureCosts, REMEASURE_MS, type ThreadCosts, thresholdsFor } from './threads/calibrate.js';
import { TASKS_PER_THREAD } from './threads/control.js';
import { type KernelFunctions, WorkerPool } from './threads/pool.js';

/** The kernels a worker pool runs: each splits into independent slices (rows of a product, runs of elements or outputs). */
export const PARALLEL_KERNELS = [
  'matmulF32',
  'matmulStridedF32',
  'activation',
  'activationGrad',
  'activationGradMask',
  'unaryF32',
  'binaryRunF32',
  'addScaledF32',
  'binaryRowsF32',
  'compareRows',
  'whereRows',
  'im2col',
  'convImagesF32',
  'convFilterRowsF32',
  'col2im',
  'reduceChunksF32',
  'reduceRowsF32',
  'reduceRowChunksF32',
  'maxPool2dF32',
  'scatterAddRange',
  'copyRows',
  'transposeTiles32',
  'softmaxCrossEntropyRows',
  'softmaxRows',
  'layerNormRows',
  'layerNormGradRows',
  'batchNormChannels',
  'batchNormGradChannels',
  'softmaxCrossEntropyGrad',
  'cast',
  'argReduce',
  'gather',
] as const;

import { Allocator, type Block, WASM32_MAX_BYTES } from './memory/allocator.js';

/** The wasm backend's handle to a buffer: a block of linear memory and the bytes it holds. */
export class WasmData implements Block {
  constructor(
    /** Byte offset of the block in linear memory. */
    readonly ptr: number,
    /** Size of the block in bytes (its size class; 0 for an empty buffer). */
    readonly capacity: number,
    /** Bytes of tensor data it holds, at most `capacity`. */
    readonly bytes: number,
  ) {}

  /** @internal the backend holding it while it is live; null once disposed (a field, not a WeakSet: checked on every kernel call). */
  owner: WasmBackend | null = null;
}

/** The dtypes the wasm backend stores; no float64 (gradcheck runs on cpu). */
export const WASM_DTYPES: readonly DType[] = ['float32', 'int32', 'bool'];

/** Options of {@link WasmBackend} and {@link registerWasmBackend}. */
export interface WasmBackendOptions {
  /** Upper bound on linear memory in bytes (default and maximum: 4 GiB, all wasm32 addresses). */
  maxMemoryBytes?: number;
  /** Registered name (default 'wasm'). */
  name?: string;
  /**
   * Load the relaxed-SIMD build of the kernels where the runtime supports it (default true): see
   * {@link KernelsOptions.relaxedSimd}. Used by registerWasmBackend; a backend made directly
   * runs whichever kernels it is given.
   */
  relaxedSimd?: boolean;
  /**
   * Threads for the parallel kernels (default: the cores the runtime reports, at most
   * {@link MAX_DEFAULT_THREADS}). Used by registerWasmBackend; 1 where SharedArrayBuffer is
   * unavailable (a browser page that is not cross-origin isolated). Change it later with setThreads.
   */
  threads?: number;
  /**
   * Put the kernels on shared memory where the runtime allows it (default true), so threads can
   * run; false keeps plain memory and one thread, what a browser page without cross-origin
   * isolation gets. Used by registerWasmBackend.
   */
  sharedMemory?: boolean;
  /**
   * Run parallel calls on fewer threads while other programs keep the cores busy (default true;
   * it acts in Node only): see {@link WasmBackend.dynamicThreads}. False keeps the thread count fixed.
   */
  dynamicThreads?: boolean;
}

/** The most threads the backend starts by default, whatever the core count: past it small kernels gain little. */
export const MAX_DEFAULT_THREADS = 8;

/**
 * Tensors live in the kernels' linear memory: `write` copies values in, `read` copies them out,
 * kernels take and return byte offsets. Views of memory.buffer are re-derived whenever the memory
 * has grown (growing detaches the old buffer).
 */
export class WasmBackend implements Backend {
  /** The name it is registered under (default 'wasm'). */
  readonly name: string;
  readonly dtypes: readonly DType[] = WASM_DTYPES;
  /** Which build of the kernels runs: 'relaxed-simd' (fused multiply-add in matmul) or 'simd'; {@link threads} says on how many threads. */
  readonly variant: KernelsVariant;
  /** Hands out the blocks of linear memory that hold buffers and kernel workspace. */
  readonly allocator: Allocator;
  /** Byte offset of the scratch block the kernels read shapes and parameters from. */
  readonly scratchPtr: number;

  private numDataBuffers = 0;
  private numBytes = 0;
  private reservedBytes = 0;
  private buffer: ArrayBuffer | null = null;
  private u8View = new Uint8Array(0);
  private i32View = new Int32Array(0);
  private f32View = new Float32Array(0);

  private pool: WorkerPool | null = null;
  private active = 1;
  private dynamic = true;
  /** callsOnFewerThreads of the pools this one's replaced. */
  private fewerCallsBefore = 0;
  private costs: ThreadCosts | null = null;
  /** The timer of the pool's second measurement of its costs (REMEASURE_MS after it starts). */
  private remeasureTimer: ReturnType<typeof setTimeout> | null = null;
  /**
   * The sizes from which the parallel kernels share their work: measured when a pool starts (a
   * pool call's cost against one element's and one multiply-add's), for the running thread count.
   */
  thresholds: ParallelThresholds = { ...DEFAULT_THRESHOLDS };

  constructor(
    /** The instantiated kernel module: its exports and its linear memory. */
    readonly kernels: KernelExports,
    options: WasmBackendOptions = {},
    /** The threaded build's module and shared memory, when `kernels` runs on one: then threads can be added. */
    readonly shared: Pick<ThreadedKernels, 'module' | 'memory'> | null = null,
  ) {
    this.name = options.name ?? 'wasm';
    this.dynamic = options.dynamicThreads ?? true;
    this.variant = kernelsVariant(kernels);
    const max = options.maxMemoryBytes ?? WASM32_MAX_BYTES;
    if (!(max > 0 && max <= WASM32_MAX_BYTES)) {
      throw new RangeError(`WasmBackend: maxMemoryBytes must be in (0, ${WASM32_MAX_BYTES}], got ${max}`);
    }
    this.allocator = new Allocator(kernels.memory, kernels.heapBase(), max);
    this.scratchPtr = kernels.scratch();
  }

  /** Threads the parallel kernels run on (1: this thread only). */
  get threads(): number {
    return this.active;
  }

  /**
   * Whether parallel calls run on fewer threads while the machine is busy (OpenMP's OMP_DYNAMIC):
   * the pool counts the cores its calls actually get from the process's CPU time, and when other
   * programs take some, runs on as many as it gets for a while, then tries all of them again (see
   * threads/core-watch.ts). On 2 cores beside one busy process, the MLP step went from 7.5 ms on
   * 2 threads to about what one thread takes (4.8 ms). On by default; it needs a CPU-time clock,
   * so it works in Node and changes nothing in a browser. Results never depend on it. Turn it off
   * to time a fixed thread count.
   */
  get dynamicThreads(): boolean {
    return this.dynamic;
  }

  /** Turns {@link dynamicThreads} on or off; either way forgets what the pool had seen of the machine's load. */
  set dynamicThreads(on: boolean) {
    this.dynamic = on;
    this.pool?.watch.reset();
    if (this.pool && this.costs) this.pool.watching = on;
  }

  /** Parallel calls that ran on fewer threads than {@link threads} because the machine was busy. */
  get callsOnFewerThreads(): number {
    return this.fewerCallsBefore + (this.pool?.watch.fewerCalls ?? 0);
  }

  /**
   * Runs the parallel kernels on `n` threads (this one and n − 1 workers) and resolves to the
   * count that runs: 1 where the kernels are not on shared memory. Lowering the count parks the
   * extra workers (raising it again is immediate); raising it past the pool starts a new pool.
   * The workers are awake when it resolves (each polls 1 ms for work before it sleeps again), so
   * the kernel that follows pays no wake-up.
   */
  async setThreads(n: number): Promise<number> {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`setThreads: expected a positive integer, got ${String(n)}`);
    const want = this.shared ? n : 1;
    if (want <= (this.pool?.threads ?? 1)) {
      this.active = want;
      this.pool?.setActive(want);
      if (this.costs) this.thresholds = thresholdsFor(this.costs, want);
      // Awake when this resolves: the next parallel kernel pays no worker's wake-up.
      if (want > 1) this.pool?.wake();
      return want;
    }
    const host = this.kernels as unknown as KernelFunctions;
    const shared = this.shared as Pick<ThreadedKernels, 'module' | 'memory'>;
    const pool = await WorkerPool.start(shared.module, shared.memory, want, PARALLEL_KERNELS, host);
    this.fewerCallsBefore += this.pool?.watch.fewerCalls ?? 0;
    this.pool?.stop();
    this.pool = pool;
    this.active = want;
    this.costs = measureCosts(this, want);
    this.thresholds = thresholdsFor(this.costs, want);
    // From here on a busy machine may run calls on fewer threads; calibration had to time them shared.
    pool.watching = this.dynamic;
    this.scheduleRemeasure(pool);
    return want;
  }

  /**
   * Measures what sharing costs again, on the threads running, and keeps the lower of each cost
   * and what was measured before; the {@link thresholds} follow. It runs by itself once, about 2 s
   * after a pool starts (a pool starts with its program, when the machine is most likely busy: a
   * first measurement then would hold for the program's life). Takes some 30 ms; does nothing on
   * one thread. Results never depend on it.
   */
  remeasureCosts(): void {
    const { pool, costs } = this;
    if (!pool || !costs || this.active < 2) return;
    // Every call of the measurement must run shared, as the first one's did.
    pool.watching = false;
    try {
      this.costs = lowerCosts(costs, measureCosts(this, this.active, 'remeasureCosts'));
    } finally {
      pool.watching = this.dynamic;
    }
    this.thresholds = thresholdsFor(this.costs, this.active);
  }

  /** Runs remeasureCosts REMEASURE_MS from now if `pool` is still this backend's then; never keeps a Node process alive. */
  private scheduleRemeasure(pool: WorkerPool): void {
    if (this.remeasureTimer !== null) clearTimeout(this.remeasureTimer);
    const timer = setTimeout(() => {
      this.remeasureTimer = null;
      if (this.pool !== pool) return;
      try {
        this.remeasureCosts();
      } catch {
        // Whatever stops it (most likely no room for its scratch, the program's tensors filling
        // the memory), the first measurement stands: a timer's throw would end the program, and
        // an asked-for remeasureCosts() still throws.
      }
    }, REMEASURE_MS);
    (timer as { unref?: () => void }).unref?.();
    this.remeasureTimer = timer;
  }

  /**
   * Runs `kernel` once per task, each task one call's arguments for a disjoint slice of the work:
   * on {@link threads} threads, each taking its own block of tasks, then any still free (at most
   * TASKS_PER_THREAD per thread), or on this thread alone.
   */
  parallel(kernel: (typeof PARALLEL_KERNELS)[number], tasks: readonly (readonly number[])[]): void {
    if (this.pool && this.active > 1 && tasks.length > 1 && tasks.length <= Math.min(this.pool.maxTasks, this.active * TASKS_PER_THREAD)) {
      this.pool.run(kernel, tasks);
      return;
    }
    const fn = (this.kernels as unknown as KernelFunctions)[kernel] as (...a: number[]) => unknown;
    for (const t of tasks) fn(...t);
  }

  write(values: TypedArray, shape: Shape, dtype: DType): DataId {
    const size = sizeOf(shape);
    if (values.length !== size) {
      throw new RangeError(`wasm.write: ${values.length} values cannot fill shape [${shape.join(', ')}] of ${size} elements`);
    }
    const data = this.alloc(size * bytesPerElement(dtype), 'wasm.write');
    const view = this.view(data, dtype);
    if (dtype === 'bool') {
      // Bool bytes are kept 0/1 so logical kernels can use bit operations.
      for (let i = 0; i < size; i++) view[i] = +(values[i] !== 0);
    } else view.set(values);
    return data;
  }

  async read(dataId: DataId, dtype: DType): Promise<TypedArray> {
    return this.readSync(dataId, dtype);
  }

  readSync(dataId: DataId, dtype: DType): TypedArray {
    return this.view(this.dataOf(dataId, 'wasm.read'), dtype).slice();
  }

  dispose(dataId: DataId): void {
    const data = dataId as WasmData;
    if (!(data instanceof WasmData) || data.owner !== this) return;
    data.owner = null;
    this.numDataBuffers--;
    this.numBytes -= data.bytes;
    this.reservedBytes -= data.capacity;
    if (data.capacity > 0) this.allocator.release(data);
  }

  /** Buffer count and bytes, plus reserved, free and total linear-memory bytes. */
  memory(): BackendMemory {
    return {
      numDataBuffers: this.numDataBuffers,
      numBytes: this.numBytes,
      /** Bytes of the blocks holding live buffers (size classes round requests up). */
      reservedBytes: this.reservedBytes,
      /** Freed blocks waiting for reuse. */
      freeBytes: this.allocator.idleBytes,
      /** The linear memory's size; it never shrinks. */
      wasmMemoryBytes: this.kernels.memory.buffer.byteLength,
    };
  }

  /** A new live buffer of `bytes`; may grow the memory (re-derive views after). */
  alloc(bytes: number, op: string): WasmData {
    let data: WasmData;
    if (bytes === 0) data = new WasmData(this.allocator.highWater, 0, 0);
    else {
      const block = this.allocator.alloc(bytes, op);
      data = new WasmData(block.ptr, block.capacity, bytes);
    }
    data.owner = this;
    this.numDataBuffers++;
    this.numBytes += bytes;
    this.reservedBytes += data.capacity;
    return data;
  }

  /** A new output tensor of `shape` and `dtype`, uninitialized. */
  output(
    shape: Shape,
    dtype: DType,
    op: string,
  ): TensorInfo & {
    /** The new buffer. */
    dataId: WasmData;
  } {
    if (!this.dtypes.includes(dtype)) {
      throw new TypeError(`${op}: the ${this.name} backend stores ${this.dtypes.join(', ')}, not ${dtype}`);
    }
    const data = this.alloc(sizeOf(shape) * bytesPerElement(dtype), op);
    return { dataId: data, shape: [...shape], dtype };
  }

  /**
   * As {@link output}, but the donated input's buffer when core offered one of this shape and
   * dtype (an in-place op on a buffer nothing else reads): the elementwise kernels read element i
   * before they write it, so they may run in place.
   */
  outputOrDonated(
    args: KernelArgs<WasmBackend, unknown>,
    shape: Shape,
    dtype: DType,
    op: string,
  ): TensorInfo & {
    /** The new or donated buffer. */
    dataId: WasmData;
  } {
    const donated = donatedOutput(args, shape, dtype);
    if (donated === undefined) return this.output(shape, dtype, op);
    return { dataId: this.dataOf(donated.dataId, op), shape: [...shape], dtype };
  }

  /** Runs `body` with a scratch block of `bytes` (kernel workspace), freed afterwards. */
  withTemp<T>(bytes: number, op: string, body: (ptr: number) => T): T {
    if (bytes === 0) return body(this.allocator.highWater);
    const block = this.allocator.alloc(bytes, op);
    try {
      return body(block.ptr);
    } finally {
      this.allocator.release(block);
    }
  }

  /** The byte offset of a tensor's buffer, checking it is live and ours. */
  ptr(info: TensorInfo, op: string): number {
    return this.dataOf(info.dataId, op).ptr;
  }

  /** A tensor's buffer, checking it is live and ours. */
  dataIdOf(info: TensorInfo, op: string): WasmData {
    return this.dataOf(info.dataId, op);
  }

  /** The bytes of linear memory as views that are valid until the next allocation. */
  get u8(): Uint8Array {
    this.refresh();
    return this.u8View;
  }

  /** Linear memory as int32, indexed by byte offset / 4; valid until the next allocation. */
  get i32(): Int32Array {
    this.refresh();
    return this.i32View;
  }

  /** Linear memory as float32, indexed by byte offset / 4; valid until the next allocation. */
  get f32(): Float32Array {
    this.refresh();
    return this.f32View;
  }

  /** A typed view of a buffer's elements, valid until the next allocation. */
  view(data: WasmData, dtype: DType): TypedArray {
    const n = data.bytes / bytesPerElement(dtype);
    if (dtype === 'bool') return this.u8.subarray(data.ptr, data.ptr + n);
    const at = data.ptr >>> 2;
    return dtype === 'int32' ? this.i32.subarray(at, at + n) : this.f32.subarray(at, at + n);
  }

  /** A float32 buffer's elements as a view, valid until the next allocation. */
  f32Of(data: WasmData): Float32Array {
    return this.view(data, 'float32') as Float32Array;
  }

  /** An int32 buffer's elements as a view, valid until the next allocation. */
  i32Of(data: WasmData): Int32Array {
    return this.view(data, 'int32') as Int32Array;
  }

  destroy(): void {
    if (this.remeasureTimer !== null) clearTimeout(this.remeasureTimer);
    this.remeasureTimer = null;
    this.buffer = null;
    // Its workers would otherwise live on, polling after each call and holding the memory.
    this.pool?.stop();
    this.pool = null;
    this.active = 1;
  }

  private refresh(): void {
    const buffer = this.kernels.memory.buffer;
    if (buffer === this.buffer) return;
    this.buffer = buffer;
    this.u8View = new Uint8Array(buffer);
    this.i32View = new Int32Array(buffer);
    this.f32View = new Float32Array(buffer);
  }

  private dataOf(dataId: DataId, op: string): WasmData {
    const data = dataId as WasmData;
    if (!(data instanceof WasmData) || data.owner !== this) {
      throw new Error(`${op}: the buffer was disposed or does not belong to the ${this.name} backend`);
    }
    return data;
  }
}
