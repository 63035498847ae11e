/**
 * A pool of workers running the kernels on the host's shared memory. A call publishes one
 * kernel's tasks (slices of its work, a few per thread), wakes the workers with one futex notify,
 * takes tasks itself alongside them and returns when all are done: kernels stay synchronous, as
 * the backend interface is. Node runs worker_threads; browsers run Workers and need a cross-origin
 * isolated page (COOP/COEP) for SharedArrayBuffer.
 */
import {
  ACTIVE,
  ARGS_BYTE,
  COUNT,
  controlBytes,
  DONE,
  ERROR,
  FLAGS,
  freeFlag,
  GEN,
  KERNEL,
  MAX_TASKS,
  runTasks,
  SLOT,
  SPIN,
  STOP,
  TASKS_PER_THREAD,
} from './control.js';
import { CoreWatch, processCpuClock } from './core-watch.js';
import { WORKER_SOURCE } from './worker-source.js';

/** What the pool needs of a worker, in Node and in browsers. */
interface AnyWorker {
  postMessage(message: unknown): void;
  terminate(): unknown;
}

/** Node's worker_threads, the part used here (loaded only under Node). */
interface NodeWorkerThreads {
  Worker: new (
    source: string,
    options: { eval: true },
  ) => AnyWorker & {
    once(event: 'message' | 'error', handler: (value: unknown) => void): void;
    unref(): void;
  };
}

/** Whether this runtime is Node (worker_threads) rather than a browser (Worker). */
function isNode(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof p?.versions?.node === 'string';
}

/** Whether this runtime can share memory between threads (in browsers: a cross-origin isolated page). */
export function threadsSupported(): boolean {
  if (typeof SharedArrayBuffer === 'undefined' || typeof Atomics === 'undefined') return false;
  if (isNode()) return true;
  return (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true && typeof Worker !== 'undefined';
}

/** The cores this runtime reports: navigator.hardwareConcurrency, or Node's availableParallelism. */
export async function availableCores(): Promise<number> {
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  if (typeof nav?.hardwareConcurrency === 'number' && nav.hardwareConcurrency > 0) return nav.hardwareConcurrency;
  if (isNode()) {
    const os = (await import(/* @vite-ignore */ NODE_OS)) as { availableParallelism?: () => number; cpus(): unknown[] };
    return os.availableParallelism?.() ?? os.cpus().length;
  }
  return 1;
}

// Built from parts so browser bundlers leave them alone; only Node ever loads them.
const NODE_OS = ['node', 'os'].join(':');
const NODE_WORKERS = ['node', 'worker_threads'].join(':');

/** Starts one worker and resolves once its kernels are instantiated on the shared memory. */
async function startWorker(init: Record<string, unknown>): Promise<AnyWorker> {
  if (isNode()) {
    const { Worker } = (await import(/* @vite-ignore */ NODE_WORKERS)) as NodeWorkerThreads;
    const worker = new Worker(WORKER_SOURCE, { eval: true });
    // A parked worker must not keep Node alive: the process exits when the program is done.
    worker.unref();
    await new Promise<void>((resolve, reject) => {
      worker.once('message', (m) => {
        const error = (m as { error?: string }).error;
        if (error) reject(new Error(`backend-wasm: a worker could not instantiate the kernels: ${error}`));
        else resolve();
      });
      worker.once('error', (e) => reject(e));
      worker.postMessage(init);
    });
    return worker;
  }
  const url = URL.createObjectURL(new Blob([WORKER_SOURCE], { type: 'text/javascript' }));
  const worker = new Worker(url);
  URL.revokeObjectURL(url);
  await new Promise<void>((resolve, reject) => {
    worker.onmessage = (event: MessageEvent) => {
      worker.onmessage = null;
      const error = (event.data as { error?: string }).error;
      if (error) reject(new Error(`backend-wasm: a worker could not instantiate the kernels: ${error}`));
      else resolve();
    };
    worker.onerror = (event) => reject(new Error(`backend-wasm: a worker failed to start: ${event.message}`));
    worker.postMessage(init);
  });
  return worker;
}

/** The kernel exports a pool can run, by name: their index is what a call sends. */
export type KernelFunctions = Readonly<Record<string, (...args: number[]) => unknown>>;

export class WorkerPool {
  private readonly ctl: Int32Array;
  private readonly args: Float64Array;
  private readonly index: ReadonlyMap<string, number>;
  /** Whether this thread may block in Atomics.wait (Node's main thread may; a browser's may not, and spins). */
  private canWait = true;
  private stopped = false;
  /** Threads asked for (setActive), and those taking tasks now (fewer while the machine is busy). */
  private asked: number;
  private running: number;
  /** The cores the machine gives: calls run on fewer threads while it is busy (see core-watch.ts). */
  readonly watch = new CoreWatch(processCpuClock());
  /** Off while the backend measures sharing's costs, which must time every call shared. */
  watching = false;

  private constructor(
    private readonly workers: readonly AnyWorker[],
    control: SharedArrayBuffer,
    names: readonly string[],
    private readonly host: KernelFunctions,
  ) {
    this.ctl = new Int32Array(control);
    this.args = new Float64Array(control, ARGS_BYTE);
    this.asked = Atomics.load(this.ctl, ACTIVE);
    this.running = this.asked;
    this.index = new Map(names.map((n, i) => [n, i]));
  }

  /** Threads that run a call: the workers and the host thread. */
  get threads(): number {
    return this.workers.length + 1;
  }

  /**
   * Starts `threads − 1` workers, each instantiating `module` on `memory` (shared); `host` is the
   * host thread's own instance of the same module, whose exports `names` the pool may run.
   */
  static async start(
    module: WebAssembly.Module,
    memory: WebAssembly.Memory,
    threads: number,
    names: readonly string[],
    host: KernelFunctions,
  ): Promise<WorkerPool> {
    const count = threads - 1;
    const control = new SharedArrayBuffer(controlBytes(Math.min(MAX_TASKS, threads * TASKS_PER_THREAD)));
    new Int32Array(control)[ACTIVE] = threads;
    const started = await Promise.allSettled(
      Array.from({ length: count }, (_, index) => startWorker({ module, memory, control, index, names: [...names] })),
    );
    const failed = started.find((s) => s.status === 'rejected');
    if (failed) {
      for (const s of started) if (s.status === 'fulfilled') s.value.terminate();
      throw (failed as PromiseRejectedResult).reason;
    }
    return new WorkerPool(
      started.map((s) => (s as PromiseFulfilledResult<AnyWorker>).value),
      control,
      names,
      host,
    );
  }

  /** The most tasks one call may have. */
  get maxTasks(): number {
    return Math.min(MAX_TASKS, this.threads * TASKS_PER_THREAD);
  }

  /** Threads that take tasks (the host and active − 1 workers); the other workers stay parked. */
  setActive(active: number): void {
    this.asked = active;
    this.runOn(active);
    this.watch.reset();
  }

  /** Lets `threads` threads take tasks; a worker past them sleeps until it may again. */
  private runOn(threads: number): void {
    if (threads === this.running) return;
    this.running = threads;
    Atomics.store(this.ctl, ACTIVE, threads);
    Atomics.notify(this.ctl, ACTIVE);
  }

  /**
   * Runs `kernel` once per task, in parallel: every active thread, this one included, takes the
   * tasks of its own block, then any still free (see control.ts). Returns when every task is done;
   * a task that threw is an error naming the kernel. Each task's arguments must fit a slot
   * (SLOT − 1 numbers). While the machine is busy ({@link watch}), fewer threads take them: at 1,
   * this thread runs them in order, with the same results.
   */
  run(kernel: string, tasks: readonly (readonly number[])[]): void {
    if (this.stopped) throw new Error('backend-wasm: the worker pool was stopped');
    const id = this.index.get(kernel);
    if (id === undefined) throw new Error(`backend-wasm: the worker pool cannot run '${kernel}'`);
    if (tasks.length > this.maxTasks) throw new RangeError(`backend-wasm: ${tasks.length} tasks; a call takes at most ${this.maxTasks}`);
    const fn = this.host[kernel] as (...a: number[]) => unknown;
    const start = this.watching ? performance.now() : 0;
    const threads = this.watching ? this.watch.threadsFor(this.asked, start) : this.asked;
    if (threads <= 1) {
      for (const task of tasks) fn(...(task as number[]));
      return;
    }
    this.runOn(threads);
    const { args } = this;
    tasks.forEach((task, t) => {
      if (task.length >= SLOT) throw new RangeError(`backend-wasm: '${kernel}' takes ${task.length} arguments; a slot holds ${SLOT - 1}`);
      const base = t * SLOT;
      args[base] = task.length;
      for (let i = 0; i < task.length; i++) args[base + 1 + i] = task[i] as number;
    });
    const clock = this.watching && threads === this.asked && this.watch.measures() ? this.watch.clock : null;
    const cpuAtStart = clock ? clock() : 0;
    Atomics.store(this.ctl, KERNEL, id);
    const gen = this.begin(tasks.length);
    let hostError: unknown = null;
    runTasks(this.ctl, FLAGS, gen, tasks.length, threads, 0, (t) => {
      try {
        fn(...(tasks[t] as number[]));
      } catch (err) {
        hostError ??= err;
      }
      Atomics.add(this.ctl, DONE, 1);
    });
    this.join(tasks.length);
    if (clock) {
      const end = performance.now();
      this.watch.add(clock() - cpuAtStart, end - start, threads, end);
    }
    if (hostError) throw hostError;
    if (Atomics.load(this.ctl, ERROR) !== 0) throw new Error(`backend-wasm: '${kernel}' failed on a worker thread`);
  }

  /**
   * Brings every worker back to polling and returns once the active ones have checked in: a
   * worker sleeps after SPIN_MS without a call, and the first call after that pays its wake-up
   * (50–150 µs here).
   */
  wake(): void {
    if (this.stopped) return;
    const active = Math.min(this.workers.length, Math.max(0, Atomics.load(this.ctl, ACTIVE) - 1));
    // One task without arguments per active worker, which this thread leaves to them.
    for (let t = 0; t < active; t++) this.args[t * SLOT] = -1;
    this.begin(active);
    this.join(active);
  }

  /** Starts a call of `count` tasks: clears its counters, frees its tasks' flags, wakes the workers; returns its generation. */
  private begin(count: number): number {
    const { ctl } = this;
    Atomics.store(ctl, ERROR, 0);
    Atomics.store(ctl, DONE, 0);
    Atomics.store(ctl, COUNT, count);
    const gen = (Atomics.load(ctl, GEN) + 1) | 0;
    const free = freeFlag(gen);
    for (let t = 0; t < count; t++) Atomics.store(ctl, FLAGS + t, free);
    // The flags and COUNT before GEN: a worker that sees the new generation finds its tasks.
    Atomics.store(ctl, GEN, gen);
    Atomics.notify(ctl, GEN);
    return gen;
  }

  /** Waits for `count` tasks to be done: spinning a while, then blocking where this thread may (spinning on where it may not). */
  private join(count: number): void {
    const { ctl } = this;
    for (let spin = 0; spin < SPIN; spin++) if (Atomics.load(ctl, DONE) === count) return;
    for (;;) {
      const done = Atomics.load(ctl, DONE);
      if (done === count) return;
      if (this.canWait) {
        try {
          Atomics.wait(ctl, DONE, done, 50);
        } catch {
          // A browser's main thread may not block: spin from now on.
          this.canWait = false;
        }
      }
    }
  }

  /** Stops the workers; later calls are an error. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    Atomics.store(this.ctl, STOP, 1);
    Atomics.add(this.ctl, GEN, 1);
    Atomics.notify(this.ctl, GEN);
    Atomics.notify(this.ctl, ACTIVE);
    for (const w of this.workers) w.terminate();
  }
}
