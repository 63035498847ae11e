/** How the parallel kernels split their work into tasks for threads, and from what size. */
import { MAX_TASKS, TASKS_PER_THREAD } from '../threads/control.js';

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

/**
 * Tasks for `units` of work (elements, multiply-adds) at `threshold` units from which sharing pays:
 * one per thread at the threshold, more as the work grows, up to `perThread` each (at most
 * TASKS_PER_THREAD). Each thread takes its own block of them first, then any still free, so a
 * preempted thread or a slower core holds up one small task instead of a fixed share.
 */
export function taskCount(units: number, threshold: number, on: Splitting, perThread = TASKS_PER_THREAD): number {
  if (on.threads < 2 || units < threshold) return 1;
  return Math.min(MAX_TASKS, on.threads * Math.max(1, Math.min(perThread, TASKS_PER_THREAD, Math.floor(units / threshold))));
}

/** [first element, count] per task for n elements: one slice unless there are enough to share. */
export function elementParts(n: number, on: Splitting): [number, number][] {
  const tasks = taskCount(n, on.thresholds.elements, on);
  return tasks === 1 ? [[0, n]] : alignedParts(n, ALIGN, tasks);
}

/** `size` rows (or items) of a kernel over `elements` elements, cut into tasks as {@link elementParts}: [first, count] each. */
export function rowParts(size: number, elements: number, on: Splitting): [number, number][] {
  const tasks = taskCount(elements, on.thresholds.elements, on);
  return tasks === 1 ? [[0, size]] : alignedParts(size, 1, tasks);
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
