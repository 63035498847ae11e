import { type DataFlags, type DatasetName, loadData } from '../cli/load-data.js';
import type { MnistData } from '../data/mnist.js';
import { activationLabel } from '../model/activations.js';
import { type RunResult, runTraining } from '../train/run.js';
import type { StepRecord } from '../train/trainer.js';
import type { Arm } from './aggregate.js';
import type { Study } from './plan.js';

/** How every study trains unless it says otherwise. */
export interface StudySettings {
  seeds: number;
  epochs: number;
  batch: number;
  limit?: number;
  testLimit?: number;
}

/** A study's runs, and what it trained on. */
export interface StudyRuns {
  study: Study;
  arms: Arm[];
  epochs: number;
  trainExamples: number;
  testExamples: number;
  /** Wall time of the whole study: loading, training and evaluating. */
  seconds: number;
}

export interface StudyHooks {
  /** Before each run: its 1-based index of `total`. */
  onRunStart?(label: string, epochs: number, stepsPerEpoch: number): void;
  onEpochStart?(epoch: number, steps: number): void;
  onStep?(record: StepRecord): void;
  onRunEnd?(label: string, run: RunResult): void;
  shouldStop?(): boolean;
}

/**
 * Trains every study's activations over seeds 0 … seeds−1. Seed i initializes every activation's
 * net the same way and shuffles its data the same way, so runs pair by seed. Datasets load once.
 */
export async function runStudies(
  backend: string,
  studies: readonly Study[],
  settings: StudySettings,
  data: DataFlags,
  hooks: StudyHooks = {},
): Promise<{ results: StudyRuns[]; stopped: boolean }> {
  const loaded = new Map<string, MnistData>();
  const load = async (dataset: DatasetName, limit: number | undefined, testLimit: number | undefined) => {
    const key = `${dataset}/${limit}/${testLimit}`;
    let d = loaded.get(key);
    if (!d) {
      const flags: DataFlags = { ...data, dataset };
      if (limit !== undefined) flags.limit = limit;
      if (testLimit !== undefined) flags.testLimit = testLimit;
      d = await loadData(flags);
      loaded.set(key, d);
    }
    return d;
  };
  const total = studies.reduce((n, s) => n + s.choices.length, 0) * settings.seeds;
  const results: StudyRuns[] = [];
  let done = 0;
  for (const study of studies) {
    const started = performance.now();
    const epochs = study.epochs ?? settings.epochs;
    const d = await load(study.dataset, study.limit ?? settings.limit, study.testLimit ?? settings.testLimit);
    const arms: Arm[] = [];
    const net = study.net;
    for (const activation of study.choices) {
      const arm: Arm = { activation: activationLabel(activation), runs: [] };
      arms.push(arm);
      for (let seed = 0; seed < settings.seeds; seed++) {
        if (hooks.shouldStop?.()) return { results: [...results, finish(study, arms, epochs, d, started)], stopped: true };
        const label = `[${++done}/${total}] ${study.id} ${arm.activation} seed ${seed}`;
        hooks.onRunStart?.(label, epochs, Math.ceil(d.train.count / settings.batch));
        const run = await runTraining(
          backend,
          d,
          {
            ...(net.model ? { model: net.model } : {}),
            dataset: study.dataset,
            activation,
            hidden: net.hidden,
            epochs,
            batch: settings.batch,
            lr: net.lr,
            optimizer: net.optimizer,
            momentum: net.momentum,
            schedule: net.schedule,
            seed,
          },
          {
            evaluateFirst: true,
            allLayerNorms: true,
            ...(hooks.onEpochStart ? { onEpochStart: hooks.onEpochStart } : {}),
            ...(hooks.onStep ? { onStep: hooks.onStep } : {}),
            ...(hooks.shouldStop ? { shouldStop: hooks.shouldStop } : {}),
          },
        );
        if (run.stopped) return { results: [...results, finish(study, arms, epochs, d, started)], stopped: true };
        arm.runs.push(run);
        hooks.onRunEnd?.(label, run);
      }
    }
    results.push(finish(study, arms, epochs, d, started));
  }
  return { results, stopped: false };
}

function finish(study: Study, arms: Arm[], epochs: number, d: MnistData, started: number): StudyRuns {
  return {
    study,
    arms: arms.filter((a) => a.runs.length > 0),
    epochs,
    trainExamples: d.train.count,
    testExamples: d.test.count,
    seconds: (performance.now() - started) / 1000,
  };
}
