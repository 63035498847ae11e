/** How the parallel elementwise kernels split their work between threads. */

/** Elements below which an elementwise kernel stays on one thread: waking workers costs more than it saves. */
export const PARALLEL_ELEMENTS = 1 << 16;
/** Slices start at multiples of this: whole mask words (32 elements) and whole cache lines. */
const ALIGN = 1024;

/** [first element, count] per thread for n elements: one slice unless there are enough to share. */
export function elementParts(n: number, threads: number): [number, number][] {
  return threads < 2 || n < PARALLEL_ELEMENTS ? [[0, n]] : alignedParts(n, ALIGN, threads);
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
