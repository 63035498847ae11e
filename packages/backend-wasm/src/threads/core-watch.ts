/**
 * How many of the threads asked for the machine actually runs. Under load (other programs want
 * the cores: a build, a browser, a neighbour on a VM) the OS takes turns between more runnable
 * threads than cores, and a parallel call waits at its end for whichever thread was descheduled
 * holding a task: on this repo's 2-core machine with one busy process beside it, the MLP step
 * took 7.5 ms on 2 threads against 4.8 ms on one. A call keeps all its threads running (working or
 * polling for the next task), so the process's CPU time over the call's wall time counts the cores
 * it got: 1.5–2.2 on 2 threads here when idle, 0.8–0.9 beside one busy process. When STRIKES
 * windows of calls in a row got fewer than the thread count less SLACK, the pool runs on as many
 * threads as they got (on the calling thread alone at 1) for a pause, doubling while the machine
 * stays busy, then tries all of them again. Between verdicts of "all cores", ever more calls go
 * unmeasured, so an idle machine pays for almost no clock reads. Every split of a kernel gives
 * the same bits, so this
 * changes when a result comes, never what it is.
 *
 * It needs a CPU-time clock: Node's process.cpuUsage(). Browsers have none, so a page keeps the
 * threads it asked for.
 */

/** Milliseconds of calls a verdict weighs: a few training steps. */
export const WINDOW_MS = 5;
/** Cores short of the thread count from which a window counts as busy: 2 threads here got 1.5–2.2 idle, 0.8–0.9 beside a busy process. */
export const SLACK = 0.6;
/** Busy windows in a row that make a verdict of "busy": one can be a transient (workers just woken, a page fault). */
export const STRIKES = 2;
/** Calls left unmeasured after a verdict of "all cores": the first time, and at most. */
export const MIN_SKIP = 16;
export const MAX_SKIP = 1024;
/** How long the pool runs on fewer threads after a verdict of "busy": the first time, and at most. */
export const MIN_PAUSE_MS = 10;
export const MAX_PAUSE_MS = 1000;

/** The process's CPU time in milliseconds (all its threads), where the runtime has such a clock. */
export function processCpuClock(): (() => number) | null {
  const p = (globalThis as { process?: { cpuUsage?: () => { user: number; system: number } } }).process;
  const usage = p?.cpuUsage?.bind(p);
  if (!usage) return null;
  return () => {
    const { user, system } = usage();
    return (user + system) / 1000;
  };
}

export class CoreWatch {
  private cpuMs = 0;
  private wallMs = 0;
  private skip = 0;
  private nextSkip = MIN_SKIP;
  private until = Number.NEGATIVE_INFINITY;
  private pauseMs = MIN_PAUSE_MS;
  private fewer = 1;
  private strikes = 0;
  /** The fewest cores of the busy windows in a row so far. */
  private fewest = Number.POSITIVE_INFINITY;
  /** Calls run on fewer threads than asked because the machine was busy (for reports and tests). */
  fewerCalls = 0;

  /** @param clock the process's CPU time in ms ({@link processCpuClock}); null: never measure, keep every thread. */
  constructor(readonly clock: (() => number) | null) {}

  /** The threads to run a call starting at `now` (ms) on: `asked`, or fewer while the machine is busy. */
  threadsFor(asked: number, now: number): number {
    if (now >= this.until || this.fewer >= asked) return asked;
    this.fewerCalls++;
    return this.fewer;
  }

  /** Whether to measure the next call on all the threads asked for: not without a clock, nor between verdicts. */
  measures(): boolean {
    if (!this.clock) return false;
    if (this.skip === 0) return true;
    this.skip--;
    return false;
  }

  /** A measured call: `cpuMs` of the process's CPU time over its `wallMs`, on `threads` threads, ending at `now`. */
  add(cpuMs: number, wallMs: number, threads: number, now: number): void {
    this.cpuMs += cpuMs;
    this.wallMs += wallMs;
    if (this.wallMs < WINDOW_MS) return;
    const cores = this.cpuMs / this.wallMs;
    this.cpuMs = 0;
    this.wallMs = 0;
    if (cores >= threads - SLACK) {
      this.strikes = 0;
      this.fewest = Number.POSITIVE_INFINITY;
      this.skip = this.nextSkip;
      this.nextSkip = Math.min(MAX_SKIP, this.nextSkip * 2);
      this.pauseMs = MIN_PAUSE_MS;
      return;
    }
    this.fewest = Math.min(this.fewest, cores);
    if (++this.strikes < STRIKES) return;
    this.fewer = Math.max(1, Math.floor(this.fewest + SLACK));
    this.strikes = 0;
    this.fewest = Number.POSITIVE_INFINITY;
    this.until = now + this.pauseMs;
    this.pauseMs = Math.min(MAX_PAUSE_MS, this.pauseMs * 2);
    this.nextSkip = MIN_SKIP;
  }

  /** Forgets every verdict: the thread count was just chosen again. */
  reset(): void {
    this.cpuMs = 0;
    this.wallMs = 0;
    this.skip = 0;
    this.nextSkip = MIN_SKIP;
    this.until = Number.NEGATIVE_INFINITY;
    this.pauseMs = MIN_PAUSE_MS;
    this.fewer = 1;
    this.strikes = 0;
    this.fewest = Number.POSITIVE_INFINITY;
  }
}
