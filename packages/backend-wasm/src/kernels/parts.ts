/** How the parallel kernels split their work between threads, and from what size. */

/** Sizes from which work is shared between threads; below them a kernel stays on the calling thread. */
export interface ParallelThresholds {
  /** Elements of an elementwise or activation kernel. */
  elements: number;
  /** Multiply-adds of a matrix product. */
  macs: number;
}

/** The thresholds before a pool has measured any: 64K elements, 2^18 multiply-adds. */
export const DEFAULT_THRESHOLDS: Readonly<ParallelThresholds> = { elements: 1 << 16, macs: 1 << 18 };

/** What a split needs of the backend: its thread count and thresholds. */
export interface Splitting {
  readonly threads: number;
  readonly thresholds: ParallelThresholds;
}

/** Slices start at multiples of this: whole mask words (32 elements) and whole cache lines. */
const ALIGN = 1024;

/** [first element, count] per thread for n elements: one slice unless there are enough to share. */
export function elementParts(n: number, on: Splitting): [number, number][] {
  return on.threads < 2 || n < on.thresholds.elements ? [[0, n]] : alignedParts(n, ALIGN, on.threads);
}

/** Whether n elements are shared between threads. */
export function isShared(n: number, on: Splitting): boolean {
  return on.threads > 1 && n >= on.thresholds.elements;
}

/** `size` items cut into at most `parts` runs of nearly equal length, each starting at a multiple of `align`: [first, count] each. */
export function alignedParts(size: number, align: number, parts: number): [number, number][] {
  const blocks = Math.ceil(size / align);
  const count = Math.max(1, Math.min(parts, blocks));
  const out: [number, number][] = [];
  for (let w = 0, start = 0; w < count; w++) {
    const end = Math.min(size, Math.round(((w + 1) * blocks) / count) * align);
    if (end > start) out.push([start, end - start]);
    start = end;
  }
  return out;
}
