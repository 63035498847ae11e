import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { currentBackend } from '@surrograd/core';
import { type NetPlan, planStudies, type Study } from '../compare/plan.js';
import { runStudies, type StudyRuns, type StudySettings } from '../compare/run-studies.js';
import { environment } from '../report/environment.js';
import { type ReportSetup, summarize, writeStudyReport } from '../report/study-report.js';
import { selectBackend } from '../train/backends.js';
import { pct, perLayer } from './format.js';
import { Interrupt } from './interrupt.js';
import { DATASETS, type DataFlags, type DatasetName, datasetAvailable, datasetLabel } from './load-data.js';
import { nodeImporter } from './node-importer.js';
import { EpochProgress } from './progress.js';

/** What a comparison runs and where its report goes. */
export interface ComparePlan {
  studies: Study[];
  settings: StudySettings;
  /** Notes on what was skipped (an activation a net can't take). */
  skipped: string[];
  out: string;
  png: boolean;
  /** The command line the report names. */
  command: string;
  /** Also save every run's record there, so the report can be written again without training. */
  saveRuns?: string;
}

/** The studies whose dataset is here, and a note for each one that is not. */
export async function availableStudies(studies: readonly Study[], flags: DataFlags): Promise<{ runnable: Study[]; notRun: string[] }> {
  const runnable: Study[] = [];
  const notRun: string[] = [];
  const missing = new Map<DatasetName, boolean>();
  for (const s of studies) {
    if (!missing.has(s.dataset)) missing.set(s.dataset, !(await datasetAvailable(s.dataset, flags)));
    if (missing.get(s.dataset)) {
      const how =
        s.dataset === 'cifar10'
          ? 'CIFAR-10 was not there (pass --data-dir with the unpacked binary version, or set CIFAR10_DIR)'
          : `${datasetLabel(s.dataset)} was not there (apt-get install dataset-fashion-mnist)`;
      notRun.push(`${s.net.description} on ${datasetLabel(s.dataset)}: ${how}.`);
    } else runnable.push(s);
  }
  return { runnable, notRun };
}

/** Trains the plan's studies over seeds on the chosen backend and writes the statistical report. */
export async function runComparison(
  flags: DataFlags & { backend: string; json?: boolean },
  plan: ComparePlan,
): Promise<{ path: string; results: StudyRuns[] }> {
  const say = (line: string) => (flags.json ? process.stderr : process.stdout).write(`${line}\n`);
  const started = performance.now();
  for (const note of plan.skipped) say(`note: ${note}`);
  const { runnable, notRun } = await availableStudies(plan.studies, flags);
  for (const note of notRun) say(`not run: ${note}`);
  if (runnable.length === 0) throw new Error('compare: nothing to run (see the notes above)');
  const backend = await selectBackend(flags.backend, nodeImporter);
  const threads = (currentBackend() as { threads?: number }).threads;
  const runs = runnable.reduce((n, s) => n + s.choices.length, 0) * plan.settings.seeds;
  say(
    `compare on '${backend}'${threads ? ` (${threads} threads)` : ''}: ${runnable.map((s) => `${s.choices.length} activations on ${s.id}`).join(', ')}, ` +
      `${plan.settings.seeds} seeds = ${runs} runs`,
  );

  const interrupt = new Interrupt().listen();
  // The current run's bar, made when the run starts (the hooks are closures over it).
  const bar: { progress: EpochProgress | null } = { progress: null };
  let outcome: Awaited<ReturnType<typeof runStudies>>;
  try {
    outcome = await runStudies(backend, runnable, plan.settings, flags, {
      onRunStart: (_label, epochs) => {
        bar.progress = new EpochProgress(epochs, plan.settings.batch);
      },
      onEpochStart: (epoch, steps) => bar.progress?.start(epoch, steps),
      onStep: (r) => bar.progress?.step(r),
      onRunEnd: (label, run) => {
        bar.progress?.stop();
        say(
          `${label}: accuracy ${pct(run.final.accuracy)}, loss ${run.final.loss.toFixed(4)}, dead ${perLayer(run.final.deadUnits)}` +
            `${run.diverged ? ', DIVERGED' : ''} (${run.trainSeconds.toFixed(1)} s)`,
        );
      },
      shouldStop: () => interrupt.requested,
    });
  } finally {
    bar.progress?.stop();
    interrupt.close();
  }
  const setup: ReportSetup = {
    command: plan.command,
    backend,
    ...(threads !== undefined ? { threads } : {}),
    environment: environment(),
    date: new Date().toISOString().slice(0, 10),
    seconds: (performance.now() - started) / 1000,
    seeds: plan.settings.seeds,
    batch: plan.settings.batch,
    notRun,
    skipped: plan.skipped,
    stoppedEarly: outcome.stopped,
    png: plan.png,
  };
  if (plan.saveRuns) {
    await writeFile(resolve(plan.saveRuns), gzipSync(JSON.stringify({ setup, results: outcome.results }, keepNonFinite)));
    say(`Runs saved to ${resolve(plan.saveRuns)}`);
  }
  const path = await writeStudyReport(resolve(plan.out), setup, outcome.results);
  say(`Report: ${path}`);
  if (flags.json) {
    const r = (v: number) => Number(v.toFixed(4));
    process.stdout.write(
      `${JSON.stringify({
        report: path,
        backend,
        skipped: plan.skipped,
        notRun,
        studies: summarize(outcome.results).map((s) => ({
          id: s.runs.study.id,
          arms: s.arms.map((a) => ({
            activation: a.activation,
            seeds: a.seeds,
            diverged: a.diverged,
            testAccuracy: r(a.testAccuracy.mean),
            deadUnits: a.deadUnitsByLayer.at(-1)?.map(r) ?? [],
          })),
          comparisons: s.comparisons.map((c) => ({
            activation: c.activation,
            outcome: c.outcome,
            difference: r(c.test.difference),
            p: c.test.p,
            holmP: c.holmP,
            significant: c.significant,
          })),
        })),
      })}\n`,
    );
  }
  return { path, results: outcome.results };
}

// JSON has no NaN or ±Infinity (a diverged run's loss): saved as strings, read back as numbers.
const keepNonFinite = (_k: string, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v);
const NON_FINITE = new Set(['NaN', 'Infinity', '-Infinity']);
const restoreNonFinite = (_k: string, v: unknown) => (typeof v === 'string' && NON_FINITE.has(v) ? Number(v) : v);

/** Writes the report again from runs saved by `saveRuns` (after a change to the report's text or charts). */
export async function reportFromSavedRuns(file: string, out: string): Promise<string> {
  let saved: { setup: ReportSetup; results: StudyRuns[] };
  try {
    saved = JSON.parse(gunzipSync(await readFile(resolve(file))).toString('utf8'), restoreNonFinite);
  } catch (err) {
    throw new Error(`--from-runs ${file}: not runs saved by --save-runs (${(err as Error).message})`);
  }
  const path = await writeStudyReport(resolve(out), saved.setup, saved.results);
  process.stdout.write(`Report: ${path}\n`);
  return path;
}

export interface CompareFlags extends DataFlags {
  backend: string;
  batch: number;
  seeds: number;
  epochs: number;
  activations?: string;
  nets: string;
  datasets: string;
  out: string;
  png: boolean;
  json?: boolean;
}

/** `compare`: the nets × datasets the user names, each activation over seeds. */
export async function compareCommand(flags: CompareFlags, nets: NetPlan[]): Promise<string> {
  const datasets = flags.datasets.split(',').map((d) => d.trim()) as DatasetName[];
  for (const d of datasets) {
    if (!DATASETS.includes(d)) throw new Error(`--datasets: unknown dataset '${d}'; known: ${DATASETS.join(', ')}`);
  }
  const { studies, skipped } = planStudies(nets, datasets, flags.activations ? flags.activations.split(';') : undefined);
  if (studies.length === 0) {
    throw new Error('compare: none of the activations is exported by the installed @surrograd/core (or fits the nets asked for)');
  }
  const settings: StudySettings = { seeds: flags.seeds, epochs: flags.epochs, batch: flags.batch };
  if (flags.limit !== undefined) settings.limit = flags.limit;
  if (flags.testLimit !== undefined) settings.testLimit = flags.testLimit;
  const { path } = await runComparison(flags, {
    studies,
    settings,
    skipped,
    out: flags.out,
    png: flags.png,
    command: `surrograd-demo ${process.argv.slice(2).join(' ')}`,
  });
  return path;
}
