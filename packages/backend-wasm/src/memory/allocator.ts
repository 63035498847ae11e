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
 * Hands out blocks of a wasm memory above `base`. Freed blocks go to a free list per size, and a
 * request of the same size class reuses one first, so a training loop that allocates the same
 * shapes every step stops growing memory after its first step (the hot path: one map lookup).
 * New blocks come from the top while the memory already holds them. Before the memory grows,
 * free neighbours are merged (and a free run at the top is given back to the top), and the
 * smallest free block that fits is split: so after large tensors are freed, their space serves
 * requests of any size. A wasm memory can grow but never shrink; what is freed stays reserved
 * for reuse.
 *
 * @internal
 */
export class Allocator {
  private top: number;
  /** Free blocks by exact size: size classes, and the remainders of split blocks. */
  private readonly free = new Map<number, number[]>();
  private freeBytes = 0;
  private freeBlocks = 0;

  constructor(
    private readonly memory: WebAssembly.Memory,
    base: number,
    /** The most bytes the memory may grow to; at most WASM32_MAX_BYTES. */
    readonly maxBytes: number = WASM32_MAX_BYTES,
  ) {
    this.top = Math.ceil(base / ALIGN) * ALIGN;
  }

  alloc(bytes: number, op: string): Block {
    // A size that is not a whole count of bytes is a kernel's bug; left through, it would corrupt the free lists.
    if (!Number.isSafeInteger(bytes) || bytes < 0) {
      throw new RangeError(
        `${op}: the wasm backend was asked for ${bytes} bytes of memory; expected a whole number ≥ 0 (a bug in the kernel — please report it)`,
      );
    }
    const capacity = sizeClass(bytes);
    const ptr = this.takeFree(capacity) ?? this.fromTop(capacity, true);
    if (ptr !== null) return { ptr, capacity };
    // The rare path: merge, split, or grow; a failure leaves the free lists as they were.
    const saved = this.save();
    const found = this.fromMerged(capacity) ?? this.fromTop(capacity, false);
    if (found !== null) return { ptr: found, capacity };
    const error = this.outOfMemory(op, bytes, capacity);
    this.restore(saved);
    throw error;
  }

  release(block: Block): void {
    this.putFree(block.ptr, block.capacity);
  }

  /**
   * Fills every free block with `byte`. For tests: a kernel that leaves part of its output
   * unwritten then shows that byte there, instead of the right answer a freed block of the same
   * size still held from the run before.
   */
  fillFree(byte: number): void {
    const bytes = new Uint8Array(this.memory.buffer);
    for (const [size, ptrs] of this.free) for (const ptr of ptrs) bytes.fill(byte, ptr, ptr + size);
  }

  /** Bytes in free lists, waiting for reuse. */
  get idleBytes(): number {
    return this.freeBytes;
  }

  /** The end of the highest block handed out (in use or in a free list). */
  get highWater(): number {
    return this.top;
  }

  private save(): { top: number; free: [number, number[]][]; bytes: number; blocks: number } {
    return { top: this.top, free: [...this.free].map(([k, v]) => [k, [...v]]), bytes: this.freeBytes, blocks: this.freeBlocks };
  }

  private restore(saved: ReturnType<Allocator['save']>): void {
    this.top = saved.top;
    this.free.clear();
    for (const [k, v] of saved.free) this.free.set(k, v);
    this.freeBytes = saved.bytes;
    this.freeBlocks = saved.blocks;
  }

  private putFree(ptr: number, size: number): void {
    let list = this.free.get(size);
    if (!list) this.free.set(size, (list = []));
    list.push(ptr);
    this.freeBytes += size;
    this.freeBlocks++;
  }

  /** A free block of exactly `size`, or null. */
  private takeFree(size: number): number | null {
    const list = this.free.get(size);
    if (!list || list.length === 0) return null;
    this.freeBytes -= size;
    this.freeBlocks--;
    return list.pop() as number;
  }

  /** A block from the top: within the current memory only, or growing it (null if it can't). */
  private fromTop(size: number, withoutGrowing: boolean): number | null {
    const end = this.top + size;
    if (withoutGrowing ? end > this.memory.buffer.byteLength : !this.grow(end)) return null;
    const ptr = this.top;
    this.top = end;
    return ptr;
  }

  /** Merges free neighbours, lowers the top past a free run, then splits the smallest free block that fits. */
  private fromMerged(size: number): number | null {
    this.coalesce();
    if (this.top + size <= this.memory.buffer.byteLength) return this.fromTop(size, true);
    let best = Number.POSITIVE_INFINITY;
    for (const [s, list] of this.free) if (s >= size && s < best && list.length > 0) best = s;
    if (best === Number.POSITIVE_INFINITY) return null;
    const ptr = this.takeFree(best) as number;
    if (best > size) this.putFree(ptr + size, best - size);
    return ptr;
  }

  private coalesce(): void {
    const blocks: [number, number][] = [];
    for (const [size, list] of this.free) for (const ptr of list) blocks.push([ptr, size]);
    blocks.sort((a, b) => a[0] - b[0]);
    this.free.clear();
    this.freeBytes = 0;
    this.freeBlocks = 0;
    const merged: [number, number][] = [];
    for (const [ptr, size] of blocks) {
      const last = merged[merged.length - 1];
      if (last && last[0] + last[1] === ptr) last[1] += size;
      else merged.push([ptr, size]);
    }
    const highest = merged[merged.length - 1];
    if (highest && highest[0] + highest[1] === this.top) {
      this.top = highest[0];
      merged.pop();
    }
    for (const [ptr, size] of merged) this.putFree(ptr, size);
  }

  /** Grows the memory to hold `end` bytes; false (everything as it was) if the limit or the engine says no. */
  private grow(end: number): boolean {
    const have = this.memory.buffer.byteLength;
    if (end <= have) return true;
    if (end > this.maxBytes) return false;
    // Grow by at least an eighth of the current size, so a long run of small allocations grows rarely.
    const want = Math.min(this.maxBytes, Math.max(end, have + Math.ceil(have / 8)));
    for (const pages of [Math.ceil((want - have) / PAGE), Math.ceil((end - have) / PAGE)]) {
      try {
        this.memory.grow(pages);
        return true;
      } catch {
        // try the minimum next
      }
    }
    return false;
  }

  /** What failed, honestly: the address space, or an engine that won't grow; and how fragmented what is free is. */
  private outOfMemory(op: string, requested: number, capacity: number): RangeError {
    const have = this.memory.buffer.byteLength;
    let largest = 0;
    for (const [s, list] of this.free) if (list.length > 0) largest = Math.max(largest, s);
    const why =
      this.top + capacity > this.maxBytes
        ? `the address space is exhausted (it would need ${this.top + capacity} bytes of linear memory, limit ${this.maxBytes})`
        : `the engine refused to grow the memory from ${have} bytes (limit ${this.maxBytes})`;
    const pieces =
      this.freeBytes >= capacity
        ? `; ${this.freeBytes} bytes are free but in ${this.freeBlocks} pieces, the largest ${largest}: fragmented by tensors still alive between them`
        : this.freeBlocks > 0
          ? `; ${this.freeBytes} bytes are free in ${this.freeBlocks} pieces, the largest ${largest}`
          : '';
    return new RangeError(
      `${op}: out of wasm memory allocating ${requested} bytes: ${why}. Live tensors hold ${this.top - this.freeBytes} bytes${pieces}. ` +
        'Existing tensors are intact; dispose some and retry (a wasm memory never shrinks once grown).',
    );
  }
}
