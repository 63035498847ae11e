import type { Evaluation } from '../train/evaluate.js';
import type { RunResult } from '../train/run.js';
import { type Estimate, estimate, holm, pairedTTest, signFlipTest, type TestResult } from './stats.js';

export interface MeanSd {
  mean: number;
  sd: number;
}

/** Mean and sample standard deviation (0 for a single value). */
export function meanSd(values: readonly number[]): MeanSd {
  const { mean, sd } = estimate(values);
  return { mean, sd };
}

/** Element-wise mean of equally long vectors (per-layer values, per-step curves cut to the shortest). */
export function meanVector(vectors: readonly (readonly number[])[]): number[] {
  if (vectors.length === 0) return [];
  const len = Math.min(...vectors.map((v) => v.length));
  return Array.from({ length: len }, (_, i) => vectors.reduce((a, v) => a + (v[i] as number), 0) / vectors.length);
}

const avg = (xs: readonly number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : Number.NaN);

/** One activation's runs on one study, a run per seed (seed i of every activation pairs with seed i). */
export interface Arm {
  activation: string;
  runs: RunResult[];
}

/** What the report shows for one activation of a study, over its seeds. */
export interface ArmSummary {
  activation: string;
  seeds: number;
  /** Runs whose loss blew up (their accuracy is what the net scored when it stopped). */
  diverged: number;
  /** Over all runs, diverged ones included. */
  testAccuracy: Estimate;
  /** Over the runs that did not diverge. */
  convergedAccuracy: Estimate;
  testLoss: Estimate;
  /** Mean over hidden layers of the fraction of units dead on the whole test set. */
  deadUnits: Estimate;
  sparsity: Estimate;
  /** First-layer gradient norm over the last 10% of steps. */
  gradNormLate: Estimate;
  msPerStep: Estimate;
  /** Wall time of a run's training steps. */
  trainSeconds: Estimate;
  /** Per evaluation (before training when measured, then after each epoch), per hidden layer: mean over seeds. */
  deadUnitsByLayer: number[][];
  sparsityByLayer: number[][];
  /** Per epoch, per weight layer: the mean gradient norm over its steps, mean over seeds. */
  gradNormByLayer: number[][];
  /** Which evaluations the by-layer rows are: 0 before training, e after epoch e. */
  evaluatedAt: number[];
  /** Mean over seeds, per step. */
  lossCurve: number[];
}

/** Evaluations of a run in order: before training (when measured), then after each epoch. */
function evaluations(run: RunResult): { at: number; e: Evaluation }[] {
  return [...(run.initial ? [{ at: 0, e: run.initial }] : []), ...run.epochs.map((r) => ({ at: r.epoch, e: r.test }))];
}

/** Mean gradient norm of each layer over each epoch's steps. */
function gradNormsPerEpoch(run: RunResult): number[][] {
  const out: number[][] = [];
  for (let e = 0; e * run.stepsPerEpoch < run.layerGradNorms.length; e++) {
    out.push(meanVector(run.layerGradNorms.slice(e * run.stepsPerEpoch, (e + 1) * run.stepsPerEpoch)));
  }
  return out;
}

/** Means over seeds of per-point vectors, over the points every run reached. */
function meanRows(perRun: number[][][]): number[][] {
  const points = Math.min(...perRun.map((rows) => rows.length));
  return Array.from({ length: points }, (_, i) => meanVector(perRun.map((rows) => rows[i] as number[])));
}

export function summarizeArm(arm: Arm): ArmSummary {
  const { runs } = arm;
  const late = (xs: number[]) => avg(xs.slice(Math.floor(xs.length * 0.9)));
  const converged = runs.filter((r) => !r.diverged);
  const evals = runs.map(evaluations);
  // A diverged run stops early: per-layer rows go as far as every run went.
  const points = Math.min(...evals.map((e) => e.length));
  return {
    activation: arm.activation,
    seeds: runs.length,
    diverged: runs.length - converged.length,
    testAccuracy: estimate(runs.map((r) => r.final.accuracy)),
    convergedAccuracy: estimate(converged.map((r) => r.final.accuracy)),
    testLoss: estimate(runs.map((r) => r.final.loss)),
    deadUnits: estimate(runs.map((r) => avg(r.final.deadUnits))),
    sparsity: estimate(runs.map((r) => avg(r.final.sparsity))),
    gradNormLate: estimate(runs.map((r) => late(r.gradNorms))),
    msPerStep: estimate(runs.map((r) => r.msPerStep)),
    trainSeconds: estimate(runs.map((r) => r.trainSeconds)),
    deadUnitsByLayer: meanRows(evals.map((e) => e.map((p) => p.e.deadUnits))),
    sparsityByLayer: meanRows(evals.map((e) => e.map((p) => p.e.sparsity))),
    gradNormByLayer: meanRows(runs.map(gradNormsPerEpoch)),
    evaluatedAt: (evals[0] ?? []).slice(0, points).map((p) => p.at),
    lossCurve: meanVector(runs.map((r) => r.losses)),
  };
}

/** The outcomes each activation is tested on against the baseline. */
export const OUTCOMES = {
  'test accuracy': (r: RunResult) => r.final.accuracy,
  'dead units': (r: RunResult) => avg(r.final.deadUnits),
} as const;

export type Outcome = keyof typeof OUTCOMES;

/** One activation against the study's baseline on one outcome, paired by seed. */
export interface Comparison {
  study: string;
  activation: string;
  baseline: string;
  outcome: Outcome;
  /** The paired t-test of activation − baseline over the seeds both ran. */
  test: TestResult;
  /** The exact sign-flip permutation p of the same differences. */
  signFlipP: number;
  /** Holm-adjusted p over every comparison of the report. */
  holmP: number;
  /** Holm-adjusted p below 0.05. */
  significant: boolean;
}

/** Every non-baseline arm against the baseline, on each outcome; p-values not yet adjusted. */
export function compareArms(study: string, baseline: string, arms: readonly Arm[]): Comparison[] {
  const base = arms.find((a) => a.activation === baseline);
  if (!base) return [];
  const out: Comparison[] = [];
  for (const arm of arms) {
    if (arm === base) continue;
    // Seeds pair runs: the i-th run of each arm shares initialization and data order.
    const n = Math.min(arm.runs.length, base.runs.length);
    for (const outcome of Object.keys(OUTCOMES) as Outcome[]) {
      const value = OUTCOMES[outcome];
      const a = arm.runs.slice(0, n).map(value);
      const b = base.runs.slice(0, n).map(value);
      const test = pairedTTest(a, b);
      const differences = a.map((v, i) => v - (b[i] as number));
      out.push({
        study,
        activation: arm.activation,
        baseline,
        outcome,
        test,
        signFlipP: n <= 20 ? signFlipTest(differences) : Number.NaN,
        holmP: Number.NaN,
        significant: false,
      });
    }
  }
  return out;
}

/** Holm's correction over the whole family of comparisons; "significant" only where the adjusted p is below 0.05. */
export function adjustFamily(comparisons: readonly Comparison[]): Comparison[] {
  const adjusted = holm(comparisons.map((c) => c.test.p));
  return comparisons.map((c, i) => {
    const holmP = adjusted[i] as number;
    return { ...c, holmP, significant: holmP < 0.05 };
  });
}
