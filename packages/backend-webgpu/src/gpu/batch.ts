/**
 * Many kernels per command buffer: dispatches are encoded into one open compute pass and submitted
 * together when someone needs results (a read, sync), when the batch is large, or at the end of the
 * current JavaScript task. Uniforms of the whole batch live in one arena buffer, uploaded with one
 * writeBuffer just before the submit.
 *
 * Buffers freed while a batch is open stay out of the pool until it is submitted: a pooled buffer
 * may be filled by queue.writeBuffer, which runs before any unsubmitted command that still reads it.
 */
import type { BufferPool } from './buffer-pool.js';
import { BufferUsage } from './usage.js';

const ARENA_BYTES = 64 * 1024;
const MAX_DISPATCHES = 256;
/** Freed-but-pending bytes that force a submit, bounding a long chain's transient memory. */
const MAX_PENDING_FREE_BYTES = 64 * 1024 * 1024;

export class BatchEncoder {
  private encoder: GPUCommandEncoder | null = null;
  private pass: GPUComputePassEncoder | null = null;
  private readonly arena: GPUBuffer;
  private readonly arenaData = new Uint8Array(ARENA_BYTES);
  private arenaUsed = 0;
  private dispatches = 0;
  private pendingFree: [GPUBuffer, BufferPool][] = [];
  private pendingFreeBytes = 0;
  private flushScheduled = false;
  /** Submitted command buffers, for `memory()` and tests. */
  submits = 0;

  constructor(
    private readonly device: GPUDevice,
    private readonly uniformAlignment: number,
  ) {
    this.arena = device.createBuffer({ size: ARENA_BYTES, usage: BufferUsage.UNIFORM | BufferUsage.COPY_DST, label: 'uniform arena' });
  }

  /** Where `data` will be bound from: a slot of the arena, filled at submit. */
  uniform(data: Uint8Array): GPUBufferBinding {
    if (data.byteLength > ARENA_BYTES)
      throw new RangeError(`webgpu: ${data.byteLength} bytes of uniforms exceed the ${ARENA_BYTES}-byte arena`);
    const offset = Math.ceil(this.arenaUsed / this.uniformAlignment) * this.uniformAlignment;
    if (offset + data.byteLength > ARENA_BYTES) {
      this.flush();
      return this.uniform(data);
    }
    this.arenaData.set(data, offset);
    this.arenaUsed = offset + data.byteLength;
    return { buffer: this.arena, offset, size: data.byteLength };
  }

  dispatch(pipeline: GPUComputePipeline, bindGroup: GPUBindGroup, workgroups: readonly [number, number, number]): void {
    if (!this.pass) this.pass = this.open().beginComputePass();
    this.pass.setPipeline(pipeline);
    this.pass.setBindGroup(0, bindGroup);
    this.pass.dispatchWorkgroups(workgroups[0], workgroups[1], workgroups[2]);
    this.dispatches++;
    this.afterCommand();
  }

  copy(src: GPUBuffer, srcOffset: number, dst: GPUBuffer, dstOffset: number, bytes: number): void {
    const encoder = this.open();
    this.endPass();
    encoder.copyBufferToBuffer(src, srcOffset, dst, dstOffset, bytes);
    this.afterCommand();
  }

  /** Returns `buffer` to `pool` once the work encoded so far is submitted. */
  releaseAfterSubmit(buffer: GPUBuffer, pool: BufferPool): void {
    if (!this.encoder) {
      pool.release(buffer);
      return;
    }
    this.pendingFree.push([buffer, pool]);
    this.pendingFreeBytes += buffer.size;
    if (this.pendingFreeBytes >= MAX_PENDING_FREE_BYTES) this.flush();
  }

  /** Submits everything encoded so far. */
  flush(): void {
    if (!this.encoder) return;
    this.endPass();
    if (this.arenaUsed > 0) this.device.queue.writeBuffer(this.arena, 0, this.arenaData, 0, Math.ceil(this.arenaUsed / 4) * 4);
    this.device.queue.submit([this.encoder.finish()]);
    this.submits++;
    this.encoder = null;
    this.arenaUsed = 0;
    this.dispatches = 0;
    for (const [buffer, pool] of this.pendingFree) pool.release(buffer);
    this.pendingFree = [];
    this.pendingFreeBytes = 0;
  }

  /** Drops unsubmitted work (the device is gone) without touching the GPU. */
  abandon(): void {
    this.encoder = null;
    this.pass = null;
    this.pendingFree = [];
    this.pendingFreeBytes = 0;
    this.arenaUsed = 0;
  }

  destroy(): void {
    this.abandon();
    this.arena.destroy();
  }

  private open(): GPUCommandEncoder {
    if (!this.encoder) {
      this.encoder = this.device.createCommandEncoder();
      this.scheduleFlush();
    }
    return this.encoder;
  }

  private endPass(): void {
    this.pass?.end();
    this.pass = null;
  }

  private afterCommand(): void {
    if (this.dispatches >= MAX_DISPATCHES) this.flush();
  }

  // The GPU starts on a batch as soon as the code that queued it yields, not only when it reads.
  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    queueMicrotask(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }
}
