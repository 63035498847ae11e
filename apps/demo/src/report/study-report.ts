/**
 * The comparison's report: report.md with SVG charts and summary.json. The answer comes first, then
 * how it was made, every test with its correction, and each study's tables and charts.
 */
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { datasetLabel } from '../cli/load-data.js';
import { type ArmSummary, adjustFamily, compareArms, summarizeArm } from '../compare/aggregate.js';
import type { StudyRuns } from '../compare/run-studies.js';
import type { Estimate } from '../compare/stats.js';
import { differenceWithInterval, headline, pFormat, type StudySummary, studyAnswer, sugarVerdict, threadAnswer } from './answer.js';
import { lineChart, type PanelPoint, pairedDotChart, panelLineChart, type SeriesPoint, windowMeans, writeChart } from './charts.js';
import type { Environment } from './environment.js';
import { mdTable } from './markdown.js';

export interface ReportSetup {
  /** The command that made the report, as the user runs it. */
  command: string;
  backend: string;
  /** The backend's threads (wasm), when it has any. */
  threads?: number;
  environment: Environment;
  /** When it ran (ISO date) and how long it took. */
  date: string;
  seconds: number;
  seeds: number;
  batch: number;
  /** Studies that could not run, and why. */
  notRun: string[];
  skipped: string[];
  stoppedEarly: boolean;
  /** PNG copies of the charts beside the SVGs. */
  png: boolean;
}

const pct1 = (v: number) => `${(v * 100).toFixed(1)}%`;
const pct2 = (v: number) => `${(v * 100).toFixed(2)}%`;
const ci = (e: Estimate, f: (v: number) => string) =>
  Number.isNaN(e.ci95[0]) ? f(e.mean) : `${f(e.mean)} [${f(e.ci95[0])}, ${f(e.ci95[1])}]`;
const g3 = (v: number) => (Number.isFinite(v) ? v.toPrecision(3) : String(v));

export function studyTitle(r: StudyRuns): string {
  return `${r.study.net.description} on ${datasetLabel(r.study.dataset)}`;
}

/** Summaries and tests of every study, with Holm's correction over all of the report's tests. */
export function summarize(results: readonly StudyRuns[]): StudySummary[] {
  const raw = results.map((r) => ({
    runs: r,
    arms: r.arms.map(summarizeArm),
    comparisons: r.study.baseline ? compareArms(r.study.id, r.study.baseline, r.arms) : [],
  }));
  const adjusted = adjustFamily(raw.flatMap((s) => s.comparisons));
  let i = 0;
  return raw.map((s) => ({ ...s, comparisons: s.comparisons.map(() => adjusted[i++] as (typeof adjusted)[number]) }));
}

export async function writeStudyReport(dir: string, setup: ReportSetup, results: readonly StudyRuns[]): Promise<string> {
  await mkdir(dir, { recursive: true });
  // A rerun replaces the charts: stale ones of studies that did not run this time would mislead.
  for (const f of await readdir(dir)) if (/\.(svg|png)$/.test(f)) await rm(join(dir, f));
  const summaries = summarize(results);
  const env = setup.environment;
  const lines: string[] = [
    '# ReLU forward, leaky gradient backward: does it help? Tested over seeds on MLPs, CNNs and a spiking net',
    '',
    'A PyTorch forum thread asked whether an activation that is ReLU in its forward pass but has a leaky ReLU’s derivative in its ' +
      'backward pass gives sparsity and non-saturating gradients, and whether tuning activations gives significant gains. ' +
      'This report answers with paired runs over seeds and tests corrected for the number of comparisons.',
    '',
  ];
  if (setup.stoppedEarly) lines.push('**Stopped early (Ctrl-C): only the runs that finished are reported.**', '');

  lines.push('## The answer', '');
  lines.push(...headline(summaries, setup.seeds));
  lines.push('### In detail', '');
  lines.push(...plainAnswer(summaries, setup.seeds), '');
  const thread = threadAnswer(summaries, (s) => studyTitle(s.runs));
  if (thread.length) lines.push('The thread’s activation (ReLU forward, leaky gradient) against ReLU:', '', ...thread, '');
  lines.push('Per study (each activation against the baseline, Holm-corrected over all tests of this report):', '');
  for (const s of summaries) lines.push(studyAnswer(s, studyTitle(s.runs)));
  lines.push('');
  const sugar = summaries.filter((s) => s.runs.study.net.name === 'vgg');
  if (sugar.length) {
    lines.push('## SUGAR’s direction (B-SiLU against ReLU on a VGG-style net without BatchNorm)', '');
    for (const s of sugar) lines.push(`- ${datasetLabel(s.runs.study.dataset)}: ${sugarVerdict(s)}`);
    lines.push(
      '',
      'How this differs from the paper: SUGAR trains VGG-16 and ResNet-18 on CIFAR-10/100 for many epochs on GPUs; here a ' +
        'four-conv VGG-style net trains a few epochs on a subset of the data on two CPU cores (sizes below), with Adam at a ' +
        'learning rate high enough to kill ReLU units. A small, short run has fewer layers for units to die in, so it tests the ' +
        'direction of the effect, not its size.',
      '',
    );
  }

  lines.push('## How this was made', '');
  lines.push(
    `- Command: \`${setup.command}\` (${setup.seeds} seeds per activation, batch ${setup.batch}).`,
    `- Machine: ${env.cpu}, ${env.cores} cores, ${env.memoryGiB} GiB, ${env.os}; Node ${env.node}.`,
    `- Backend: \`${setup.backend}\`${setup.threads !== undefined ? ` with ${setup.threads} thread(s)` : ''}; packages ${Object.entries(
      env.packages,
    )
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}.`,
    `- Ran on ${setup.date} and took ${(setup.seconds / 60).toFixed(1)} minutes in all.`,
    '',
  );
  if (setup.notRun.length || setup.skipped.length) {
    lines.push('Not run:', '', ...setup.notRun.map((n) => `- ${n}`), ...setup.skipped.map((n) => `- ${n}`), '');
  }
  lines.push(
    '### Method',
    '',
    '- **Pairing.** Seed i gives every activation of a study the same initial weights and the same order of training batches ' +
      '(and, for the spiking net, the same input spikes), so runs pair by seed and the tests compare within seeds.',
    '- **Estimates.** Means over seeds with 95% confidence intervals from Student’s t (n − 1 degrees of freedom).',
    '- **Tests.** Each activation against the study’s baseline (relu; heaviside/atan, snnTorch’s default, on the spiking net), ' +
      'on final test accuracy and on the fraction of dead units: the paired t-test of the per-seed differences (p two-sided, ' +
      'effect size Cohen’s d_z = mean difference / sd of the differences), and the exact sign-flip permutation test of the same ' +
      `differences as a check that assumes no normality (with ${setup.seeds} seeds its p cannot go below ${pFormat(2 / 2 ** setup.seeds)}).`,
    '- **Correction.** Holm’s step-down correction over all paired t-tests of the report; a difference is called significant ' +
      'only when its Holm-adjusted p is below 0.05.',
    '- **Divergence.** A run whose batch loss turns non-finite or exceeds 20·ln 10 is stopped and counted as diverged; its ' +
      'accuracy is what the net scores when it stopped. It stays in the all-runs numbers and the tests (a diverged run is an ' +
      'outcome of the activation), and the tables also show the mean over converged runs only.',
    '- **Per layer.** A unit is dead when its activation is exactly zero on every image of the evaluation set (for the spiking ' +
      'net: a hidden neuron that never fires); sparsity is the fraction of exact zeros among a layer’s activations. Both are ' +
      'measured before training and after each epoch. Gradient norms are the L2 norms of each weight’s gradient, averaged over ' +
      'each epoch’s steps. Leaky ReLU never outputs an exact zero, so its sparsity and dead units are 0 by construction; its ' +
      'dead-unit tests are listed for completeness. The other activations (bSiLU included, whose forward pass is ReLU’s) can die.',
    '',
  );

  lines.push('## Every test', '');
  const all = summaries.flatMap((s) => s.comparisons);
  if (all.length) {
    lines.push(
      mdTable(
        ['study', 'activation vs baseline', 'outcome', 'difference (95% CI)', 't (df)', 'p', 'Holm p', 'd_z', 'sign-flip p', 'significant'],
        all.map((c) => [
          c.study,
          `${c.activation} vs ${c.baseline}`,
          c.outcome,
          differenceWithInterval(c),
          `${Number.isFinite(c.test.t) ? c.test.t.toFixed(2) : String(c.test.t)} (${c.test.df})`,
          pFormat(c.test.p),
          pFormat(c.holmP),
          Number.isFinite(c.test.effect) ? c.test.effect.toFixed(2) : String(c.test.effect),
          pFormat(c.signFlipP),
          c.significant ? '**yes**' : 'no',
        ]),
        [4, 5, 6, 7, 8],
      ),
      '',
      'Differences are activation minus baseline, in points of accuracy or of the dead-unit fraction.',
      '',
    );
  } else lines.push('No study ran more than one activation.', '');

  for (const s of summaries) lines.push(...(await studySection(dir, s, setup.png)));

  const path = join(dir, 'report.md');
  await writeFile(path, `${lines.join('\n')}\n`);
  await writeFile(
    join(dir, 'summary.json'),
    `${JSON.stringify(
      {
        setup,
        studies: summaries.map((s) => ({
          id: s.runs.study.id,
          net: s.runs.study.net.name,
          dataset: s.runs.study.dataset,
          epochs: s.runs.epochs,
          trainExamples: s.runs.trainExamples,
          testExamples: s.runs.testExamples,
          seconds: s.runs.seconds,
          baseline: s.runs.study.baseline,
          arms: s.arms.map(({ lossCurve: _curve, ...rest }) => rest),
          comparisons: s.comparisons,
        })),
      },
      (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v),
      2,
    )}\n`,
  );
  return path;
}

/** What holds up across the studies, counted: significant differences per outcome and study. */
function plainAnswer(summaries: readonly StudySummary[], seeds: number): string[] {
  const out: string[] = [];
  for (const outcome of ['test accuracy', 'dead units'] as const) {
    const all = summaries.flatMap((s) => s.comparisons.filter((c) => c.outcome === outcome));
    const sig = all.filter((c) => c.significant);
    const perStudy = summaries
      .map((s) => ({ id: s.runs.study.id, n: s.comparisons.filter((c) => c.outcome === outcome && c.significant).length }))
      .filter((x) => x.n > 0);
    out.push(
      `- ${outcome === 'test accuracy' ? 'Test accuracy' : 'Dead units'}: ${sig.length} of ${all.length} differences from the baseline are significant ` +
        `after Holm’s correction over the report’s ${summaries.reduce((n, s) => n + s.comparisons.length, 0)} tests` +
        (perStudy.length ? ` (${perStudy.map((x) => `${x.id}: ${x.n}`).join(', ')}).` : `; ${seeds} seeds per activation.`),
    );
  }
  return out;
}

async function studySection(dir: string, s: StudySummary, png: boolean): Promise<string[]> {
  const r = s.runs;
  const net = r.study.net;
  const lines = [
    `## ${studyTitle(r)}`,
    '',
    `${r.trainExamples} training and ${r.testExamples} test images, ${r.epochs} epoch(s), ${net.optimizer} lr ${net.lr} (${net.schedule}), ` +
      `baseline ${r.study.baseline ?? 'none'}; the study took ${(r.seconds / 60).toFixed(1)} minutes.`,
    '',
    mdTable(
      [
        'activation',
        'test accuracy (all runs, 95% CI)',
        'converged runs only',
        'diverged',
        'dead units',
        'sparsity',
        '‖∇W₁‖ last 10%',
        'ms/step',
        's/run',
      ],
      s.arms.map((a) => [
        a.activation,
        ci(a.testAccuracy, pct2),
        a.convergedAccuracy.n ? pct2(a.convergedAccuracy.mean) : 'none',
        `${a.diverged}/${a.seeds}`,
        ci(a.deadUnits, pct1),
        pct1(a.sparsity.mean),
        g3(a.gradNormLate.mean),
        a.msPerStep.mean.toFixed(1),
        a.trainSeconds.mean.toFixed(1),
      ]),
      [1, 2, 3, 4, 5, 6, 7, 8],
    ),
    '',
    'Dead units per hidden layer over training (mean over seeds; epoch 0 is before training):',
    '',
    byLayerTable(s.arms, (a) => a.deadUnitsByLayer, pct1, 'layer'),
    '',
    'Sparsity per hidden layer over training:',
    '',
    byLayerTable(s.arms, (a) => a.sparsityByLayer, pct1, 'layer'),
    '',
    'Weight-gradient norm per layer, mean over each epoch’s steps:',
    '',
    byLayerTable(s.arms, (a) => a.gradNormByLayer, g3, 'weight', 1),
    '',
  ];
  for (const [name, title] of await studyCharts(dir, s, png)) lines.push(`![${title}](${name}.svg)`, '');
  return lines;
}

/** Rows activation × evaluation point, a column per layer. */
function byLayerTable(
  arms: readonly ArmSummary[],
  pick: (a: ArmSummary) => number[][],
  f: (v: number) => string,
  word: string,
  firstPoint?: number,
): string {
  const layers = Math.max(0, ...arms.flatMap((a) => pick(a).map((row) => row.length)));
  return mdTable(
    ['activation', 'epoch', ...Array.from({ length: layers }, (_, i) => `${word} ${i + 1}`)],
    arms.flatMap((a) =>
      pick(a).map((row, i) => [
        i === 0 ? a.activation : '',
        String(firstPoint === undefined ? (a.evaluatedAt[i] ?? i) : firstPoint + i),
        ...row.map(f),
      ]),
    ),
    Array.from({ length: layers + 1 }, (_, i) => i + 1),
  );
}

/** Per-layer rows (a row per evaluation or epoch) as one panel per layer. */
function panels(
  arms: readonly ArmSummary[],
  pick: (a: ArmSummary) => number[][],
  word: string,
  x: (a: ArmSummary, row: number) => number,
): PanelPoint[] {
  return arms.flatMap((a) =>
    pick(a).flatMap((row, i) => row.map((y, layer) => ({ panel: `${word} ${layer + 1}`, x: x(a, i), y, series: a.activation }))),
  );
}

async function studyCharts(dir: string, s: StudySummary, png: boolean): Promise<[string, string][]> {
  const id = s.runs.study.id;
  const title = studyTitle(s.runs);
  const arms = s.arms;
  const steps = arms[0]?.lossCurve.length ?? 0;
  const window = Math.max(1, Math.round(steps / 40));
  const loss: SeriesPoint[] = arms.flatMap((a) => windowMeans(a.lossCurve, window).map((p) => ({ ...p, series: a.activation })));
  const charts: [string, string, Parameters<typeof writeChart>[2]][] = [
    [
      `${id}-accuracy`,
      `test accuracy per seed, ${title}`,
      pairedDotChart(
        'Test accuracy per seed (dots, joined by seed) with mean and 95% CI',
        'test accuracy',
        s.runs.arms.flatMap((a) => a.runs.map((run, seed) => ({ series: a.activation, seed, value: run.final.accuracy }))),
        arms.map((a) => ({
          series: a.activation,
          mean: a.testAccuracy.mean,
          lo: Number.isNaN(a.testAccuracy.ci95[0]) ? a.testAccuracy.mean : a.testAccuracy.ci95[0],
          hi: Number.isNaN(a.testAccuracy.ci95[1]) ? a.testAccuracy.mean : a.testAccuracy.ci95[1],
        })),
        { percent: true },
      ),
    ],
    [
      `${id}-dead-units`,
      `dead units per layer over training, ${title}`,
      panelLineChart(
        'Dead units per hidden layer over training (mean over seeds)',
        'epoch',
        'dead units',
        panels(
          arms,
          (a) => a.deadUnitsByLayer,
          'layer',
          (a, i) => a.evaluatedAt[i] ?? i,
        ),
        { percent: true },
      ),
    ],
    [
      `${id}-grad-norm`,
      `weight-gradient norm per layer over training, ${title}`,
      panelLineChart(
        'Weight-gradient norm per layer, mean over each epoch (and seeds)',
        'epoch',
        '‖∇W‖',
        panels(
          arms,
          (a) => a.gradNormByLayer,
          'weight',
          (_a, i) => i + 1,
        ),
        { logY: true },
      ),
    ],
    [
      `${id}-loss`,
      `training loss, ${title}`,
      lineChart(`Training loss, mean over seeds${window > 1 ? ` and windows of ${window} steps` : ''}`, 'step', 'loss', loss, {
        logY: true,
      }),
    ],
  ];
  for (const [name, , spec] of charts) await writeChart(dir, name, spec, png);
  return charts.map(([name, t]) => [name, t]);
}
