/** Blocks are multiples of this: a v128 load at any block start is aligned. */
export const ALIGN = 16;

/**
 * The block size that serves a request: multiples of 16 up to 64 bytes, then four classes per
 * power of two (80, 96, 112, 128, 160, ...), so a block wastes at most a quarter of its size and
 * tensors of similar sizes share free lists.
 */
export function sizeClass(bytes: number): number {
  if (bytes <= 64) return Math.max(ALIGN, Math.ceil(bytes / ALIGN) * ALIGN);
  const step = 2 ** (Math.floor(Math.log2(bytes - 1)) - 2);
  return Math.ceil(bytes / step) * step;
}
