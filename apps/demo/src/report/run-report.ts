/** The report of one training run: report.md, summary.json and loss/accuracy charts. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pct, perLayer, table } from '../cli/format.js';
import { activationLabel } from '../model/activations.js';
import { describeModel } from '../model/classifier.js';
import { type RunResult, runSummary } from '../train/run.js';
import { lineChart, windowMeans, writeChart } from './charts.js';

export async function writeRunReport(dir: string, result: RunResult): Promise<string> {
  await mkdir(dir, { recursive: true });
  const label = activationLabel(result.config.activation);
  const window = Math.max(1, Math.round(result.stepsPerEpoch / 25));
  const perWindow = window > 1 ? `mean of each ${window} steps` : 'per step';
  const loss = await writeChart(
    dir,
    'training-loss',
    lineChart(
      `Training loss (${perWindow})`,
      'step',
      'cross-entropy',
      windowMeans(result.losses, window).map((p) => ({ ...p, series: label })),
      { logY: true },
    ),
  );
  const grad = await writeChart(
    dir,
    'first-layer-grad-norm',
    lineChart(
      `First-layer gradient norm (${perWindow})`,
      'step',
      '‖∂loss/∂W₁‖',
      windowMeans(result.gradNorms, window).map((p) => ({ ...p, series: label })),
    ),
  );
  const summary = runSummary(result);
  await writeFile(join(dir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  const c = result.config;
  const md = [
    `# ${c.dataset === 'fashion-mnist' ? 'Fashion-MNIST' : 'MNIST'}: ${label} on ${result.backend}`,
    '',
    `${describeModel(c.model ?? 'mlp', c.hidden)}, ${c.optimizer} lr ${c.lr} (${c.schedule} schedule), batch ${c.batch}, seed ${c.seed}, ` +
      `${result.trainExamples} training images, ${result.steps} steps${result.stopped ? ' (stopped early)' : ''}${result.diverged ? ' (diverged)' : ''}.`,
    '',
    `**Test accuracy ${pct(result.final.accuracy)}**, test loss ${result.final.loss.toFixed(4)}, ` +
      `${result.msPerStep.toFixed(1)} ms per step (${result.trainSeconds.toFixed(1)} s of training).`,
    '',
    `Sparsity (exact zeros in each hidden layer's activations on the test set): ${perLayer(result.final.sparsity)}.`,
    `Dead units (hidden units zero on every test image): ${perLayer(result.final.deadUnits)}.`,
    '',
    '```',
    epochTable(result),
    '```',
    '',
    `![training loss](${loss.svg})`,
    '',
    `![first-layer gradient norm](${grad.svg})`,
    '',
    `PNG versions: [${loss.png}](${loss.png}), [${grad.png}](${grad.png}). All numbers: [summary.json](summary.json).`,
    '',
  ].join('\n');
  const path = join(dir, 'report.md');
  await writeFile(path, md);
  return path;
}

export function epochTable(result: RunResult): string {
  return table(
    ['epoch', 'steps', 'train loss', 'test loss', 'test acc', 'sparsity', 'dead units', 'img/s', 's'],
    result.epochs.map((e) => [
      String(e.epoch),
      String(e.steps),
      e.trainLoss.toFixed(4),
      e.test.loss.toFixed(4),
      pct(e.test.accuracy),
      perLayer(e.test.sparsity),
      perLayer(e.test.deadUnits),
      Math.round(e.imagesPerSecond).toString(),
      e.seconds.toFixed(1),
    ]),
  );
}
