/**
 * The worker pool's control block: one SharedArrayBuffer the host and every worker map, so a
 * parallel kernel call is a few stores and one futex wake, with no message per call.
 *
 *   int32 words:  GEN (bumped per call; workers wait on it), DONE (tasks finished this call),
 *                 KERNEL (index into the export names), STOP, ERROR (a worker's kernel threw),
 *                 COUNT (this call's tasks), ACTIVE (threads that take tasks: workers from index
 *                 ACTIVE − 1 on stay parked)
 *   int32 flags, from word FLAGS, one per task: free or taken in this call (see {@link runTasks})
 *   float64 slots, from ARGS_BYTE, one per task: [argument count, arguments…]
 *
 * A call has more tasks than threads. Thread b (the host is 0) first takes the tasks of its own
 * block, b·⌈count / active⌉ on, so on time every thread works on the same part of the data call
 * after call (a layer's weights stay in the cache of the core that updates them), then any task
 * still free: a thread the OS preempts, or a slower core, holds up one small task.
 */
export const GEN = 0;
export const DONE = 1;
export const KERNEL = 2;
export const STOP = 3;
export const ERROR = 4;
export const COUNT = 5;
export const ACTIVE = 6;
/** Int32 word of the first task flag. */
export const FLAGS = 16;
/** The most tasks one call may have. */
export const MAX_TASKS = 256;
/** Byte offset of the first argument slot (after the header and the flags). */
export const ARGS_BYTE = (FLAGS + MAX_TASKS) * 4;
/** Float64 values per task slot: the count, then at most SLOT − 1 arguments. */
export const SLOT = 20;
/** Tasks one call may hand out per thread. */
export const TASKS_PER_THREAD = 4;

/** A task flag's value while the task is free in call `gen` (taken: one more). */
export function freeFlag(gen: number): number {
  return (gen & 0x3fffffff) * 2;
}

/**
 * Runs the tasks of call `gen` that thread `block` can take, its own block first, then every
 * other still free, each taken with one compare-and-swap of its flag; `run(t)` runs task t.
 * A thread late for a call (a later one has begun) takes nothing: the flags then hold the later
 * call's values. Self-contained: the workers' source embeds its text.
 */
export function runTasks(
  ctl: Int32Array,
  flags: number,
  gen: number,
  count: number,
  active: number,
  block: number,
  run: (t: number) => void,
): void {
  const free = (gen & 0x3fffffff) * 2;
  const start = block * Math.ceil(count / active);
  for (let i = 0; i < count; i++) {
    const t = (start + i) % count;
    if (Atomics.load(ctl, flags + t) === free && Atomics.compareExchange(ctl, flags + t, free, free + 1) === free) run(t);
  }
}

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
