/**
 * The worker pool's control block: one SharedArrayBuffer the host and every worker map, so a
 * parallel kernel call is a few stores and one futex wake, with no message per call.
 *
 *   int32 words:  GEN (bumped per call; workers wait on it), DONE (tasks finished this call),
 *                 KERNEL (index into the export names), STOP, ERROR (a worker's kernel threw),
 *                 CLAIM (this call's generation, task count and next unclaimed task, packed),
 *                 ACTIVE (threads that take tasks: workers from index ACTIVE − 1 on stay parked)
 *   float64 slots, from ARGS_BYTE, one per task: [argument count, arguments…]
 *
 * A call has more tasks than threads, and every thread (the host too) claims the next task until
 * none are left: a thread the OS preempts, or a slower core, holds up one task, not a fixed share.
 */
export const GEN = 0;
export const DONE = 1;
export const KERNEL = 2;
export const STOP = 3;
export const ERROR = 4;
export const CLAIM = 5;
export const ACTIVE = 6;
/** Byte offset of the first argument slot (after the int32 words). */
export const ARGS_BYTE = 64;
/** Float64 values per task slot: the count, then at most SLOT − 1 arguments. */
export const SLOT = 20;
/** Tasks one call may hand out per thread. */
export const TASKS_PER_THREAD = 4;

/**
 * CLAIM packs, in one int32 that threads take tasks from with compare-and-swap: the call's
 * generation (low 12 bits of GEN, so a late thread can't take a later call's task as its own),
 * the task count (10 bits) and the next task (10 bits).
 */
export function claimWord(gen: number, count: number, next: number): number {
  return ((gen & 0xfff) << 20) | (count << 10) | next;
}

/**
 * Takes the next task of call `gen` from the CLAIM word at `claim`: its index, or −1 when none is
 * left (or a later call has begun). Self-contained: the workers' source embeds its text.
 */
export function claimTask(ctl: Int32Array, claim: number, gen: number): number {
  for (;;) {
    const v = Atomics.load(ctl, claim);
    if (v >>> 20 !== (gen & 0xfff)) return -1;
    const next = v & 0x3ff;
    if (next >= ((v >>> 10) & 0x3ff)) return -1;
    if (Atomics.compareExchange(ctl, claim, v, v + 1) === v) return next;
  }
}

/** The most tasks one call may have (the count's 10 bits). */
export const MAX_TASKS = 0x3ff;

/** Polls of a word before the host sleeps on it (Atomics.wait): some hundreds of microseconds. */
export const SPIN = 1 << 17;
/**
 * Milliseconds a worker polls for the next call before it sleeps: longer than the gaps between
 * the parallel kernels of a training step, so a step never pays the 50-150 µs of a wake-up.
 */
export const SPIN_MS = 1;

/** Bytes of a control block for `tasks` task slots. */
export function controlBytes(tasks: number): number {
  return ARGS_BYTE + tasks * SLOT * 8;
}
