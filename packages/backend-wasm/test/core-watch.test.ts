import { describe, expect, it } from 'vitest';
import { CoreWatch, MAX_PAUSE_MS, MIN_PAUSE_MS, MIN_SKIP, processCpuClock, STRIKES, WINDOW_MS } from '../src/threads/core-watch.js';

/** A watch with a clock (never read here: the tests give it measurements through add). */
const watch = () => new CoreWatch(() => 0);

/** One window's worth of calls on `threads` threads that got `cores` cores, ending at `now`. */
function window(w: CoreWatch, cores: number, threads: number, now: number): void {
  w.add(cores * WINDOW_MS, WINDOW_MS, threads, now);
}

/** As many windows in a row as make a verdict of "busy". */
function busy(w: CoreWatch, cores: number, threads: number, now: number): void {
  for (let i = 0; i < STRIKES; i++) window(w, cores, threads, now);
}

/** Calls the watch lets pass unmeasured before it measures again. */
function skipped(w: CoreWatch): number {
  let n = 0;
  while (!w.measures()) n++;
  return n;
}

describe('CoreWatch: the threads a busy machine runs', () => {
  it('keeps every thread while the calls get nearly as many cores, and measures ever fewer calls', () => {
    const w = watch();
    expect(w.measures()).toBe(true);
    window(w, 1.6, 2, 100);
    expect(w.threadsFor(2, 101)).toBe(2);
    expect(skipped(w)).toBe(MIN_SKIP);
    window(w, 1.9, 2, 200);
    expect(skipped(w)).toBe(2 * MIN_SKIP);
    expect(w.fewerCalls).toBe(0);
  });

  it('waits for a whole window of call time, and for STRIKES busy windows in a row, before a verdict of busy', () => {
    const w = watch();
    w.add(0, WINDOW_MS / 2, 2, 10);
    expect(w.threadsFor(2, 11)).toBe(2);
    w.add(0, WINDOW_MS / 2, 2, 20);
    expect(w.threadsFor(2, 21)).toBe(STRIKES > 1 ? 2 : 1);
    // A busy window, then an idle one: a transient, forgotten.
    const once = watch();
    window(once, 0.5, 2, 0);
    window(once, 2, 2, 10);
    for (let i = 1; i < STRIKES; i++) window(once, 0.5, 2, 20);
    expect(once.threadsFor(2, 21)).toBe(2);
    window(once, 0.5, 2, 30);
    expect(once.threadsFor(2, 31)).toBe(1);
  });

  it('runs on the cores the calls got for a pause, then on all again, the pause doubling while the machine stays busy', () => {
    const w = watch();
    busy(w, 0.8, 2, 1000);
    expect(w.threadsFor(2, 1000 + MIN_PAUSE_MS - 1)).toBe(1);
    expect(w.threadsFor(2, 1000 + MIN_PAUSE_MS)).toBe(2);
    expect(w.fewerCalls).toBe(1);
    // Busy again: twice as long.
    busy(w, 0.9, 2, 2000);
    expect(w.threadsFor(2, 2000 + 2 * MIN_PAUSE_MS - 1)).toBe(1);
    expect(w.threadsFor(2, 2000 + 2 * MIN_PAUSE_MS)).toBe(2);
    // Many more busy verdicts: never longer than MAX_PAUSE_MS.
    for (let i = 0; i < 20; i++) busy(w, 0.9, 2, 3000);
    expect(w.threadsFor(2, 3000 + MAX_PAUSE_MS - 1)).toBe(1);
    expect(w.threadsFor(2, 3000 + MAX_PAUSE_MS)).toBe(2);
    // An idle machine again: the next busy spell starts from the shortest pause.
    window(w, 2, 2, 5000);
    busy(w, 0.9, 2, 6000);
    expect(w.threadsFor(2, 6000 + MIN_PAUSE_MS)).toBe(2);
  });

  it('keeps as many threads as the busy windows got at fewest, and never more than asked', () => {
    const w = watch();
    window(w, 6.4, 8, 0);
    window(w, 5.6, 8, 0);
    expect(w.threadsFor(8, 1)).toBe(6);
    expect(w.threadsFor(3, 1)).toBe(3);
    // An idle window between busy ones starts the count of cores afresh.
    const again = watch();
    window(again, 0.5, 8, 0);
    window(again, 8, 8, 0);
    for (let i = 0; i < STRIKES; i++) window(again, 5.6, 8, 0);
    expect(again.threadsFor(8, 1)).toBe(6);
    const gone = watch();
    busy(gone, 0.1, 8, 0);
    expect(gone.threadsFor(8, 1)).toBe(1);
  });

  it('forgets its verdicts on reset', () => {
    const w = watch();
    busy(w, 0.5, 2, 0);
    w.reset();
    expect(w.threadsFor(2, 1)).toBe(2);
    expect(w.measures()).toBe(true);
  });

  it('never measures without a CPU clock, and reads the process clock in milliseconds under Node', () => {
    const w = new CoreWatch(null);
    expect(w.measures()).toBe(false);
    expect(w.threadsFor(4, 0)).toBe(4);
    const clock = processCpuClock();
    expect(clock).not.toBeNull();
    const t0 = (clock as () => number)();
    let x = 0;
    for (let i = 0; i < 2e7; i++) x += Math.sqrt(i);
    const spent = (clock as () => number)() - t0;
    expect(x).toBeGreaterThan(0);
    // 2e7 square roots take milliseconds, not microseconds or seconds.
    expect(spent).toBeGreaterThan(0.5);
    expect(spent).toBeLessThan(60_000);
  });
});
