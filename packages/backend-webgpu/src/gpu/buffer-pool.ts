/**
 * GPU buffers are slow to create and free, so released buffers wait in a pool for a request of the
 * same size class. Classes are powers of two up to 4 KiB, then four steps per doubling (at most 25%
 * of a large buffer is slack), so a training loop that allocates the same shapes every step stops
 * creating buffers after its first step.
 */

const SMALLEST = 16;
const FINE_FROM = 4096;

/** The byte size a request of `bytes` is rounded up to. */
export function sizeClass(bytes: number): number {
  if (bytes <= SMALLEST) return SMALLEST;
  const pow = 2 ** Math.ceil(Math.log2(bytes));
  if (pow <= FINE_FROM) return pow;
  const step = pow / 8; // classes pow/2 + k·pow/8 for k = 1..4
  return Math.ceil(bytes / step) * step;
}

export interface PoolStats {
  /** Buffers created and not destroyed: in use plus pooled. */
  allocatedBuffers: number;
  allocatedBytes: number;
  pooledBuffers: number;
  pooledBytes: number;
}

export class BufferPool {
  private readonly free = new Map<number, GPUBuffer[]>();
  private allocatedBuffers = 0;
  private allocatedBytes = 0;
  private pooledBuffers = 0;
  private pooledBytes = 0;

  /**
   * @param maxPooledBytes beyond this, released buffers are destroyed instead of kept, so a burst of
   * large temporaries doesn't pin GPU memory for the rest of the process.
   * @param maxBufferBytes the device's limit: a class is never rounded up past it.
   */
  constructor(
    private readonly device: GPUDevice,
    private readonly usage: number,
    private readonly label: string,
    private readonly maxPooledBytes: number,
    private readonly maxBufferBytes: number,
  ) {}

  /** A buffer of at least `bytes` (its size is the size class, capped at the device's limit). */
  acquire(bytes: number): GPUBuffer {
    const size = Math.max(bytes, Math.min(sizeClass(bytes), this.maxBufferBytes));
    const list = this.free.get(size);
    const reused = list?.pop();
    if (reused) {
      this.pooledBuffers--;
      this.pooledBytes -= size;
      return reused;
    }
    const buffer = this.device.createBuffer({ size, usage: this.usage, label: `${this.label} ${size}` });
    this.allocatedBuffers++;
    this.allocatedBytes += size;
    return buffer;
  }

  /** Takes a buffer back. The caller guarantees no unsubmitted GPU work still uses it. */
  release(buffer: GPUBuffer): void {
    const size = buffer.size;
    if (this.pooledBytes + size > this.maxPooledBytes) {
      this.destroy(buffer);
      return;
    }
    let list = this.free.get(size);
    if (!list) this.free.set(size, (list = []));
    list.push(buffer);
    this.pooledBuffers++;
    this.pooledBytes += size;
  }

  /** Destroys every pooled buffer (buffers in use stay theirs to release). */
  drain(): void {
    for (const list of this.free.values()) for (const b of list) this.destroy(b);
    this.free.clear();
    this.pooledBuffers = 0;
    this.pooledBytes = 0;
  }

  stats(): PoolStats {
    return {
      allocatedBuffers: this.allocatedBuffers,
      allocatedBytes: this.allocatedBytes,
      pooledBuffers: this.pooledBuffers,
      pooledBytes: this.pooledBytes,
    };
  }

  private destroy(buffer: GPUBuffer): void {
    this.allocatedBuffers--;
    this.allocatedBytes -= buffer.size;
    buffer.destroy();
  }
}
