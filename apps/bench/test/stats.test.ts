import { describe, expect, it } from 'vitest';
import { scaleStats, summarize } from '../src/measure/stats.js';
import { MIN_RUNS, timeInterleaved } from '../src/measure/timer.js';

describe('summarize', () => {
  it('gives the median and quartiles of unsorted samples', () => {
    expect(summarize([5, 1, 3, 2, 4])).toEqual({ runs: 5, medianMs: 3, minMs: 1, maxMs: 5, q1Ms: 2, q3Ms: 4 });
    expect(summarize([4, 1, 2, 3]).medianMs).toBe(2.5);
    expect(summarize([7]).q3Ms).toBe(7);
  });

  it('refuses an empty list, and scales per op', () => {
    expect(() => summarize([])).toThrow(/no timings/);
    expect(scaleStats(summarize([10, 20]), 0.1).medianMs).toBeCloseTo(1.5);
  });
});

describe('timeInterleaved', () => {
  it('warms each contender up, then runs them in rounds, and keeps the error of one that throws', async () => {
    const calls: string[] = [];
    const out = await timeInterleaved(
      [
        { id: 'a', run: () => void calls.push('a') },
        { id: 'b', prepare: () => void calls.push('b-prep'), run: () => void calls.push('b') },
        {
          id: 'c',
          run: () => {
            throw new Error('kernel missing\nstack');
          },
        },
      ],
      { warmup: 1, runs: 2 },
    );
    expect(calls).toEqual(['a', 'b-prep', 'b', 'a', 'b-prep', 'b', 'a', 'b-prep', 'b']);
    expect(out.get('a')?.stats?.runs).toBe(2);
    expect(out.get('c')).toEqual({ error: 'kernel missing' });
  });
});

describe('timeInterleaved with a time budget', () => {
  it('gives a contender slower than budget/runs fewer runs, but never fewer than MIN_RUNS', async () => {
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const out = await timeInterleaved(
      [
        { id: 'fast', run: () => undefined },
        { id: 'slow', run: () => sleep(20) },
      ],
      // 60 ms: three 20 ms calls (fewer than MIN_RUNS), and room for 8 no-op calls even when a
      // busy machine stalls the no-op's warm-up call for a few milliseconds.
      { warmup: 1, runs: 8, budgetMs: 60 },
    );
    expect(out.get('fast')?.stats?.runs).toBe(8);
    expect(out.get('slow')?.stats?.runs).toBe(MIN_RUNS);
  });
});
