import type { RunResult } from '../train/run.js';

export interface MeanSd {
  mean: number;
  sd: number;
}

/** Mean and sample standard deviation (0 for a single value). */
export function meanSd(values: readonly number[]): MeanSd {
  const n = values.length;
  if (n === 0) return { mean: Number.NaN, sd: Number.NaN };
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const sd = n > 1 ? Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1)) : 0;
  return { mean, sd };
}

/** Element-wise mean of equally long vectors (per-layer values, per-step curves cut to the shortest). */
export function meanVector(vectors: readonly (readonly number[])[]): number[] {
  if (vectors.length === 0) return [];
  const len = Math.min(...vectors.map((v) => v.length));
  return Array.from({ length: len }, (_, i) => vectors.reduce((a, v) => a + (v[i] as number), 0) / vectors.length);
}

/** What the report shows for one activation on one net, over its seeds. */
export interface GroupSummary {
  net: string;
  activation: string;
  seeds: number;
  diverged: number;
  testAccuracy: MeanSd;
  testLoss: MeanSd;
  finalTrainLoss: MeanSd;
  /** Per layer, mean over seeds. */
  sparsity: number[];
  deadUnits: number[];
  /** Mean over layers and seeds. */
  meanSparsity: MeanSd;
  meanDeadUnits: MeanSd;
  /** First-layer gradient norm: mean over all steps, and over the last 10% of steps. */
  gradNormMean: MeanSd;
  gradNormLate: MeanSd;
  msPerStep: MeanSd;
  /** Mean over seeds, per step. */
  lossCurve: number[];
  gradNormCurve: number[];
}

const avg = (xs: readonly number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : Number.NaN);

export function summarizeGroup(net: string, activation: string, runs: readonly RunResult[]): GroupSummary {
  const lateMean = (xs: number[]) => avg(xs.slice(Math.floor(xs.length * 0.9)));
  return {
    net,
    activation,
    seeds: runs.length,
    diverged: runs.filter((r) => r.diverged).length,
    testAccuracy: meanSd(runs.map((r) => r.final.accuracy)),
    testLoss: meanSd(runs.map((r) => r.final.loss)),
    finalTrainLoss: meanSd(runs.map((r) => r.epochs.at(-1)?.trainLoss ?? Number.NaN)),
    sparsity: meanVector(runs.map((r) => r.final.sparsity)),
    deadUnits: meanVector(runs.map((r) => r.final.deadUnits)),
    meanSparsity: meanSd(runs.map((r) => avg(r.final.sparsity))),
    meanDeadUnits: meanSd(runs.map((r) => avg(r.final.deadUnits))),
    gradNormMean: meanSd(runs.map((r) => avg(r.gradNorms))),
    gradNormLate: meanSd(runs.map((r) => lateMean(r.gradNorms))),
    msPerStep: meanSd(runs.map((r) => r.msPerStep)),
    lossCurve: meanVector(runs.map((r) => r.losses)),
    gradNormCurve: meanVector(runs.map((r) => r.gradNorms)),
  };
}
