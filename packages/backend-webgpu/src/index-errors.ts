/**
 * Gather and ScatterAdd must reject out-of-range indices, but a shader cannot throw. Indices
 * written from the host are checked synchronously (the backend keeps their values); indices
 * computed on the GPU are checked by the shader, which reads 0 (Gather) or drops the update
 * (ScatterAdd) and sets a bit in this flag word. Every read copies the word along with its data and
 * throws a RangeError if a bit is set, so the error surfaces at the next read, never silently.
 */
import { BufferUsage } from './gpu/usage.js';

/** Bit per kernel in the flag word. */
export const IndexErrorBit = { Gather: 1, ScatterAdd: 2 } as const;

export class IndexErrors {
  readonly buffer: GPUBuffer;

  constructor(private readonly device: GPUDevice) {
    this.buffer = device.createBuffer({
      size: 16,
      usage: BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST,
      label: 'index errors',
    });
  }

  clear(): void {
    this.device.queue.writeBuffer(this.buffer, 0, new Uint32Array(4));
  }

  describe(flags: number): string {
    const kernels = Object.entries(IndexErrorBit)
      .filter(([, bit]) => flags & bit)
      .map(([name]) => name);
    return (
      `webgpu: ${kernels.join(' and ')} received an index out of range (indices computed on the GPU are checked there, ` +
      'after the fact): the affected values read as 0 (Gather) or were dropped (ScatterAdd). ' +
      'This read reports it; the results since the faulty call are unreliable.'
    );
  }
}
