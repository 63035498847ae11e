import { ALIGN, sizeClass } from './size-class.js';

const PAGE = 65536;
/** What wasm32 can address: 65536 pages of 64 KiB. */
export const WASM32_MAX_BYTES = 2 ** 32;

/** A block of linear memory: `ptr` is its byte offset, `capacity` its size class. */
export interface Block {
  /** Byte offset in linear memory. */
  readonly ptr: number;
  /** Size in bytes: the size class the request was rounded up to. */
  readonly capacity: number;
}

/**
 * Hands out blocks of a wasm memory above `base`. Freed blocks go to a free list per size class
 * and are reused first, so a training loop that allocates the same shapes every step stops
 * growing memory after its first step. New blocks come from the top, growing the memory as
 * needed. Freed blocks are never merged or returned: the steady state of a training loop is a
 * fixed set of blocks, reached after its first steps.
 *
 * @internal
 */
export class Allocator {
  private top: number;
  private readonly free = new Map<number, number[]>();
  private freeBytes = 0;

  constructor(
    private readonly memory: WebAssembly.Memory,
    base: number,
    /** The most bytes the memory may grow to; at most WASM32_MAX_BYTES. */
    readonly maxBytes: number = WASM32_MAX_BYTES,
  ) {
    this.top = Math.ceil(base / ALIGN) * ALIGN;
  }

  alloc(bytes: number, op: string): Block {
    const capacity = sizeClass(bytes);
    const list = this.free.get(capacity);
    if (list && list.length > 0) {
      this.freeBytes -= capacity;
      return { ptr: list.pop() as number, capacity };
    }
    const ptr = this.top;
    this.ensure(ptr + capacity, bytes, op);
    this.top = ptr + capacity;
    return { ptr, capacity };
  }

  release(block: Block): void {
    let list = this.free.get(block.capacity);
    if (!list) this.free.set(block.capacity, (list = []));
    list.push(block.ptr);
    this.freeBytes += block.capacity;
  }

  /** Bytes in free lists, waiting for reuse. */
  get idleBytes(): number {
    return this.freeBytes;
  }

  /** The end of the highest block handed out (in use or in a free list). */
  get highWater(): number {
    return this.top;
  }

  /** Grows the memory to hold `end` bytes, or throws leaving everything as it was. */
  private ensure(end: number, requested: number, op: string): void {
    const have = this.memory.buffer.byteLength;
    if (end <= have) return;
    const fail = (why: string) =>
      new RangeError(
        `${op}: out of wasm memory allocating ${requested} bytes: ${why} (memory now ${have} bytes, ` +
          `${this.top} in use or free for reuse, limit ${this.maxBytes}). Existing tensors are intact; dispose some and retry.`,
      );
    if (end > this.maxBytes) throw fail(`it would need ${end} bytes of linear memory`);
    // Grow by at least an eighth of the current size, so a long run of small allocations grows rarely.
    const want = Math.min(this.maxBytes, Math.max(end, have + Math.ceil(have / 8)));
    const pages = Math.ceil((want - have) / PAGE);
    const minimum = Math.ceil((end - have) / PAGE);
    try {
      this.memory.grow(pages);
    } catch {
      try {
        this.memory.grow(minimum);
      } catch {
        throw fail('the engine refused to grow the memory');
      }
    }
  }
}
