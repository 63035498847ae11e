/** The comparison's report.md and charts: the thread's question answered with measured numbers. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { table } from '../cli/format.js';
import type { GroupSummary, MeanSd } from '../compare/aggregate.js';
import type { NetPlan } from '../compare/plan.js';
import { type BarPoint, groupedBarChart, lineChart, type SeriesPoint, windowMeans, writeChart } from './charts.js';

export interface CompareSetup {
  backend: string;
  seeds: number;
  epochs: number;
  batch: number;
  trainExamples: number;
  testExamples: number;
  command: string;
  skipped: string[];
  stoppedEarly: boolean;
}

const p1 = (v: number) => `${(v * 100).toFixed(1)}%`;
const pm = (m: MeanSd, f: (v: number) => string) => `${f(m.mean)} ± ${f(m.sd)}`;
const g3 = (v: number) => (Number.isFinite(v) ? v.toPrecision(3) : String(v));
/** Four decimals, or three significant digits once a blown-up loss makes decimals unreadable. */
const f4 = (v: number) => (Math.abs(v) < 1000 ? v.toFixed(4) : v.toExponential(2));

export async function writeCompareReport(dir: string, setup: CompareSetup, nets: NetPlan[], groups: GroupSummary[]): Promise<string> {
  await mkdir(dir, { recursive: true });
  const lines: string[] = [
    '# ReLU forward, leaky gradient backward: sparsity and non-saturating gradients? Measured on MNIST',
    '',
    `Backend \`${setup.backend}\`, ${setup.seeds} seed(s) per activation and net, ${setup.epochs} epoch(s), batch ${setup.batch}, ` +
      `${setup.trainExamples} training and ${setup.testExamples} test images. Made by \`${setup.command}\`.`,
    '',
    'Sparsity is the fraction of exact zeros in each hidden layer’s activations on the test set; a dead unit is a hidden unit ' +
      'that is zero on every test image; ‖∇W₁‖ is the norm of the first layer’s weight gradient, the signal that reaches the input layer.',
    '',
  ];
  if (setup.stoppedEarly) lines.push('**Stopped early (Ctrl-C): only the runs that finished are reported.**', '');
  for (const note of setup.skipped) lines.push(`- Skipped ${note}`);
  if (setup.skipped.length) lines.push('');

  lines.push('## The answer, in numbers', '');
  for (const net of nets) {
    const here = groups.filter((g) => g.net === net.name);
    if (here.length) lines.push(`**${net.description}** (${netLabel(net)}):`, '', ...answer(here), '');
  }

  for (const net of nets) {
    const here = groups.filter((g) => g.net === net.name);
    if (!here.length) continue;
    lines.push(`## ${net.description}: ${netLabel(net)}`, '', '```', groupTable(here), '```', '');
    lines.push(`Per layer (mean over seeds), sparsity / dead units:`, '', '```', perLayerTable(here), '```', '');
    for (const [name, title] of await netCharts(dir, net, here)) lines.push(`![${title}](${name}.svg)`, '');
    lines.push(
      `PNG versions: ${['loss', 'grad-norm', 'dead-units', 'sparsity'].map((k) => `[${net.name}-${k}.png](${net.name}-${k}.png)`).join(', ')}.`,
      '',
    );
  }
  const path = join(dir, 'report.md');
  await writeFile(path, lines.join('\n'));
  await writeFile(join(dir, 'summary.json'), `${JSON.stringify({ setup, nets, groups: groups.map(withoutCurves) }, null, 2)}\n`);
  return path;
}

function netLabel(net: NetPlan): string {
  return `MLP 784-${net.hidden.join('-')}-10, ${net.optimizer}${net.momentum ? ` momentum ${net.momentum}` : ''} lr ${net.lr}`;
}

function withoutCurves(g: GroupSummary): Omit<GroupSummary, 'lossCurve' | 'gradNormCurve'> {
  const { lossCurve: _l, gradNormCurve: _g, ...rest } = g;
  return rest;
}

function groupTable(groups: GroupSummary[]): string {
  return table(
    [
      'activation',
      'test accuracy',
      'test loss',
      'final train loss',
      'sparsity',
      'dead units',
      '‖∇W₁‖ mean',
      '‖∇W₁‖ last 10%',
      'ms/step',
      'diverged',
    ],
    groups.map((g) => [
      g.activation,
      pm(g.testAccuracy, (v) => `${(v * 100).toFixed(2)}%`),
      pm(g.testLoss, f4),
      pm(g.finalTrainLoss, f4),
      pm(g.meanSparsity, p1),
      pm(g.meanDeadUnits, p1),
      pm(g.gradNormMean, g3),
      pm(g.gradNormLate, g3),
      g.msPerStep.mean.toFixed(1),
      `${g.diverged}/${g.seeds}`,
    ]),
  );
}

function perLayerTable(groups: GroupSummary[]): string {
  const layers = groups[0]?.sparsity.length ?? 0;
  return table(
    ['activation', ...Array.from({ length: layers }, (_, i) => `layer ${i + 1}`)],
    groups.map((g) => [g.activation, ...g.sparsity.map((s, i) => `${p1(s)} / ${p1(g.deadUnits[i] as number)}`)]),
  );
}

async function netCharts(dir: string, net: NetPlan, groups: GroupSummary[]): Promise<[string, string][]> {
  const steps = groups[0]?.lossCurve.length ?? 0;
  const window = Math.max(1, Math.round(steps / 40));
  const curve = (pick: (g: GroupSummary) => number[]): SeriesPoint[] =>
    groups.flatMap((g) => windowMeans(pick(g), window).map((p) => ({ ...p, series: g.activation })));
  const perLayer = (pick: (g: GroupSummary) => number[]): BarPoint[] =>
    groups.flatMap((g) => pick(g).map((value, i) => ({ group: `layer ${i + 1}`, series: g.activation, value })));
  const charts: [string, string, Parameters<typeof writeChart>[2]][] = [
    [
      `${net.name}-loss`,
      `training loss, ${net.description}`,
      lineChart(
        `Training loss, mean over seeds${window > 1 ? ` and windows of ${window} steps` : ''}`,
        'step',
        'cross-entropy',
        curve((g) => g.lossCurve),
        { logY: true },
      ),
    ],
    [
      `${net.name}-grad-norm`,
      `first-layer gradient norm, ${net.description}`,
      lineChart(
        `First-layer gradient norm ‖∇W₁‖, mean over seeds`,
        'step',
        '‖∇W₁‖',
        curve((g) => g.gradNormCurve),
        { logY: true },
      ),
    ],
    [
      `${net.name}-dead-units`,
      `dead units per layer, ${net.description}`,
      groupedBarChart(
        'Dead units per hidden layer (test set)',
        'hidden layer',
        'dead units',
        perLayer((g) => g.deadUnits),
      ),
    ],
    [
      `${net.name}-sparsity`,
      `sparsity per layer, ${net.description}`,
      groupedBarChart(
        'Sparsity per hidden layer (exact zeros, test set)',
        'hidden layer',
        'sparsity',
        perLayer((g) => g.sparsity),
      ),
    ],
  ];
  for (const [name, , spec] of charts) await writeChart(dir, name, spec);
  return charts.map(([name, title]) => [name, title]);
}

/** Bullets comparing the thread's activation with ReLU and leaky ReLU, from the measured numbers. */
export function answer(groups: GroupSummary[]): string[] {
  const find = (prefix: string) => groups.filter((g) => g.activation === prefix || g.activation.startsWith(`${prefix}(`));
  const relu = find('relu')[0];
  const leaky = find('leakyRelu')[0];
  const mixed = find('reluWithLeakyGrad');
  const bullets: string[] = [];
  const list = (pick: (g: GroupSummary) => string) => groups.map((g) => `${g.activation} ${pick(g)}`).join(', ');
  bullets.push(`- Sparsity (exact zeros): ${list((g) => p1(g.meanSparsity.mean))}.`);
  bullets.push(`- Dead units: ${list((g) => p1(g.meanDeadUnits.mean))}.`);
  bullets.push(`- First-layer gradient norm, last 10% of training: ${list((g) => g3(g.gradNormLate.mean))}.`);
  bullets.push(`- Test accuracy: ${list((g) => pm(g.testAccuracy, (v) => `${(v * 100).toFixed(2)}%`))}.`);
  const diverged = groups.filter((g) => g.diverged);
  if (diverged.length)
    bullets.push(
      `- Diverged (loss blew up, run stopped): ${diverged.map((g) => `${g.activation} ${g.diverged}/${g.seeds} seeds`).join(', ')}.`,
    );
  if (relu) {
    for (const m of mixed) {
      const sparse = m.meanSparsity.mean / Math.max(relu.meanSparsity.mean, 1e-9);
      const dead = m.meanDeadUnits.mean - relu.meanDeadUnits.mean;
      const deadWord =
        Math.abs(dead) < 0.005
          ? 'about as many dead units as'
          : dead < 0
            ? `${(-dead * 100).toFixed(1)} points fewer dead units than`
            : `${(dead * 100).toFixed(1)} points more dead units than`;
      const acc = m.testAccuracy.mean - relu.testAccuracy.mean;
      const noise = Math.max(m.testAccuracy.sd, relu.testAccuracy.sd);
      const accWord =
        Math.abs(acc) <= noise
          ? 'within the seed-to-seed spread'
          : acc > 0
            ? 'better, beyond the seed-to-seed spread'
            : 'worse, beyond the seed-to-seed spread';
      const grad = m.gradNormLate.mean / Math.max(relu.gradNormLate.mean, 1e-12);
      const blewUp = [m, relu].filter((g) => g.diverged).map((g) => `${g.activation} diverged in ${g.diverged} of ${g.seeds} seeds`);
      bullets.push(
        `- **${m.activation} vs relu:** ${(sparse * 100).toFixed(0)}% of ReLU's sparsity` +
          `${leaky ? ` (leakyRelu: ${p1(leaky.meanSparsity.mean)})` : ''}; ${deadWord} relu; ${g3(grad)}× its late first-layer gradient norm; ` +
          `accuracy ${acc >= 0 ? '+' : ''}${(acc * 100).toFixed(2)} points (${accWord})${blewUp.length ? `; ${blewUp.join(', ')}` : ''}.`,
      );
    }
  }
  return bullets;
}
