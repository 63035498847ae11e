/** Summaries of repeated timings: the median and the spread around it. */

export interface Stats {
  /** Runs timed (after warm-up). */
  runs: number;
  medianMs: number;
  minMs: number;
  maxMs: number;
  /** First and third quartiles: the interquartile range is the spread the tables print. */
  q1Ms: number;
  q3Ms: number;
}

/** Linear-interpolated quantile of sorted values (q in [0, 1]). */
function quantile(sorted: readonly number[], q: number): number {
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (b - a) * (at - lo);
}

export function summarize(samplesMs: readonly number[]): Stats {
  if (samplesMs.length === 0) throw new Error('summarize: no timings to summarize (runs must be at least 1)');
  const sorted = [...samplesMs].sort((a, b) => a - b);
  return {
    runs: sorted.length,
    medianMs: quantile(sorted, 0.5),
    minMs: sorted[0] as number,
    maxMs: sorted[sorted.length - 1] as number,
    q1Ms: quantile(sorted, 0.25),
    q3Ms: quantile(sorted, 0.75),
  };
}

/** Scales every time in a summary (per-op times from a timed batch of ops). */
export function scaleStats(s: Stats, factor: number): Stats {
  return {
    runs: s.runs,
    medianMs: s.medianMs * factor,
    minMs: s.minMs * factor,
    maxMs: s.maxMs * factor,
    q1Ms: s.q1Ms * factor,
    q3Ms: s.q3Ms * factor,
  };
}
