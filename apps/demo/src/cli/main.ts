#!/usr/bin/env node
/**
 * surrograd-demo: train an MLP on MNIST with any backend and activation (`train`), compare
 * activations over seeds (`compare`), or run the default job (`main`).
 */
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { NETS, plannedNets } from '../compare/plan.js';
import { activationLabel, activationRegistry } from '../model/activations.js';
import { type CompareFlags, compareCommand } from './compare-command.js';
import { DEFAULT_RESULTS_DIR, type ReportFlags, reportCommand } from './report-command.js';
import { type TrainCommandFlags, trainCommand } from './train-command.js';
import { nonNegativeInt, positiveInt, sharedOptions, trainOptions } from './train-options.js';

const DEFAULT_MAIN_REPORT = fileURLToPath(new URL('../../reports/main', import.meta.url));
const DEFAULT_COMPARE_REPORT = fileURLToPath(new URL('../../reports/compare', import.meta.url));

const program = new Command('surrograd-demo')
  .description('MNIST with surrograd: any backend, any activation; measures sparsity and dead units')
  .showHelpAfterError();

function explicitFlags(cmd: Command): Set<string> {
  return new Set(cmd.options.map((o) => o.attributeName()).filter((name) => cmd.getOptionValueSource(name) === 'cli'));
}

function addTrainCommand(name: string, description: string, reportDefault?: string): void {
  const cmd = program.command(name).description(description);
  for (const o of [...sharedOptions(), ...trainOptions()]) cmd.addOption(o);
  cmd
    .option('--json', 'print one JSON summary as the last line of stdout (human output goes to stderr)')
    .option('--save <file>', 'save the trained weights (JSON)')
    .option('--load <file>', 'start from saved weights (their architecture and activation unless --activation is given)')
    .option('--report <dir>', 'write report.md, summary.json and charts there', reportDefault)
    .action(async (flags: Omit<TrainCommandFlags, 'explicit'>, self: Command) => {
      await trainCommand({ ...flags, explicit: explicitFlags(self) });
    });
}

addTrainCommand('train', 'train one MLP, CNN or spiking net and report test accuracy, loss, sparsity and dead units');
addTrainCommand('main', 'the default run on the fastest CPU backend, with a report (what `pnpm demo` runs)', DEFAULT_MAIN_REPORT);

const compare = program
  .command('compare')
  .description(
    'activations over seeds on nets × datasets, each tested against the baseline (paired t-tests, Holm-corrected): a report with charts',
  );
for (const o of sharedOptions()) if (o.attributeName() !== 'dataset') compare.addOption(o);
compare
  .option('--seeds <n>', 'seeds per activation, net and dataset', positiveInt('seeds'), 5)
  .option('--epochs <n>', 'epochs per run', nonNegativeInt('epochs'), 1)
  .option('--activations <specs>', "semicolon-separated activation specs (default: each net's own list)")
  .option('--nets <names>', `comma-separated nets: ${Object.keys(NETS).join(', ')} (snn compares heaviside surrogates)`, 'default,deep')
  .option('--datasets <names>', 'comma-separated datasets: mnist, fashion-mnist, cifar10 (from --data-dir)', 'mnist')
  .option('--out <dir>', 'where to write report.md and the charts', DEFAULT_COMPARE_REPORT)
  .option('--no-png', 'write the charts as SVG only')
  .option('--json', 'print one JSON summary as the last line of stdout')
  .action(async (flags: CompareFlags) => {
    await compareCommand(flags, plannedNets(flags.nets));
  });

const report = program
  .command('report')
  .description(
    'the statistical report of docs/results: every net over 5 seeds, with the answer to the thread (what `pnpm report` runs; --preset tiny is its smoke test)',
  );
for (const o of sharedOptions()) {
  if (['backend', 'data', 'dataDir'].includes(o.attributeName())) report.addOption(o);
}
report
  .option('--preset <name>', 'full (the committed report, under an hour on two cores) or tiny (a minute)', 'full')
  .option('--seeds <n>', "seeds per activation (default: the preset's)", positiveInt('seeds'))
  .option('--out <dir>', 'where to write report.md, summary.json and the SVG charts', DEFAULT_RESULTS_DIR)
  .option('--save-runs <file>', "also save every run's record (gzipped JSON), to write the report again without training")
  .option('--from-runs <file>', 'write the report from runs saved by --save-runs instead of training')
  .option('--json', 'print one JSON summary as the last line of stdout')
  .action(async (flags: ReportFlags) => {
    await reportCommand(flags);
  });

program
  .command('activations')
  .description('list the activations the installed @surrograd/core exports')
  .action(() => {
    for (const [name, { defaults }] of activationRegistry()) console.log(activationLabel({ name, options: defaults }));
  });

try {
  await program.parseAsync();
} catch (err) {
  process.stderr.write(`surrograd-demo: ${(err as Error).message}\n`);
  process.exitCode = 1;
}
