/**
 * The worker pool's control block: one SharedArrayBuffer the host and every worker map, so a
 * parallel kernel call is a few stores and one futex wake, with no message per call.
 *
 *   int32 words:  GEN (bumped per call; workers wait on it), PENDING (workers still running),
 *                 KERNEL (index into the export names), STOP, ERROR (a worker's kernel threw)
 *   float64 slots, from ARGS_BYTE, one per worker: [argument count or −1 (no task), arguments…]
 */
export const GEN = 0;
export const PENDING = 1;
export const KERNEL = 2;
export const STOP = 3;
export const ERROR = 4;
/** Byte offset of the first argument slot (after the int32 words). */
export const ARGS_BYTE = 64;
/** Float64 values per worker slot: the count, then at most SLOT − 1 arguments. */
export const SLOT = 16;

/** Polls of a word before the host sleeps on it (Atomics.wait): some hundreds of microseconds. */
export const SPIN = 1 << 17;
/**
 * Milliseconds a worker polls for the next call before it sleeps: longer than the gaps between
 * the parallel kernels of a training step, so a step never pays the 50-150 µs of a wake-up.
 */
export const SPIN_MS = 1;

/** Bytes of a control block for `workers` workers. */
export function controlBytes(workers: number): number {
  return ARGS_BYTE + workers * SLOT * 8;
}
