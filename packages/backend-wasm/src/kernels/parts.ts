/** How the parallel elementwise kernels split their work between threads. */

/** Elements below which an elementwise kernel stays on one thread: waking workers costs more than it saves. */
export const PARALLEL_ELEMENTS = 1 << 16;
/** Slices start at multiples of this: whole mask words (32 elements) and whole cache lines. */
const ALIGN = 1024;

/** [first element, count] per thread for n elements: one slice unless there are enough to share. */
export function elementParts(n: number, threads: number): [number, number][] {
  if (threads < 2 || n < PARALLEL_ELEMENTS) return [[0, n]];
  const blocks = Math.ceil(n / ALIGN);
  const parts = Math.min(threads, blocks);
  const out: [number, number][] = [];
  for (let w = 0, start = 0; w < parts; w++) {
    const end = Math.min(n, Math.round(((w + 1) * blocks) / parts) * ALIGN);
    if (end > start) out.push([start, end - start]);
    start = end;
  }
  return out;
}
