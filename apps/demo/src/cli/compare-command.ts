import { resolve } from 'node:path';
import { type GroupSummary, summarizeGroup } from '../compare/aggregate.js';
import { netActivations, plannedNets } from '../compare/plan.js';
import { activationLabel } from '../model/activations.js';
import { writeCompareReport } from '../report/compare-report.js';
import { selectBackend } from '../train/backends.js';
import { type RunResult, runTraining } from '../train/run.js';
import { pct, perLayer } from './format.js';
import { Interrupt } from './interrupt.js';
import { type DataFlags, loadData } from './load-data.js';
import { nodeImporter } from './node-importer.js';
import { EpochProgress } from './progress.js';
import { nonNegativeInt, positiveInt } from './train-options.js';

export interface CompareFlags extends DataFlags {
  backend: string;
  batch: number;
  seeds: string;
  epochs: string;
  activations?: string;
  nets: string;
  out: string;
  json?: boolean;
}

export async function compareCommand(flags: CompareFlags): Promise<GroupSummary[]> {
  const say = (line: string) => (flags.json ? process.stderr : process.stdout).write(`${line}\n`);
  const seeds = positiveInt('seeds')(flags.seeds);
  const epochs = nonNegativeInt('epochs')(flags.epochs);
  const nets = plannedNets(flags.nets);
  const specs = flags.activations ? flags.activations.split(';') : undefined;
  const perNet = new Map(nets.map((net) => [net.name, netActivations(net, specs)]));
  const skipped = [...new Set([...perNet.values()].flatMap((p) => p.skipped))];
  for (const note of skipped) say(`note: ${note}`);
  if ([...perNet.values()].every((p) => p.choices.length === 0)) {
    throw new Error('compare: none of the activations is exported by the installed @surrograd/core (or fits the nets asked for)');
  }
  const backend = await selectBackend(flags.backend, nodeImporter);
  const data = await loadData(flags);
  const total = [...perNet.values()].reduce((n, p) => n + p.choices.length, 0) * seeds;
  say(
    `compare on '${backend}': ${nets.map((n) => `${perNet.get(n.name)?.choices.length ?? 0} activations on ${n.name}`).join(', ')}, ${seeds} seeds = ${total} runs of ${epochs} epoch(s)`,
  );

  const interrupt = new Interrupt().listen();
  const groups: GroupSummary[] = [];
  let done = 0;
  try {
    outer: for (const net of nets) {
      for (const activation of perNet.get(net.name)?.choices ?? []) {
        const runs: RunResult[] = [];
        for (let seed = 0; seed < seeds; seed++) {
          const label = `[${++done}/${total}] ${net.name} ${activationLabel(activation)} seed ${seed}`;
          const progress = new EpochProgress(epochs, flags.batch);
          const config = {
            ...(net.model ? { model: net.model } : {}),
            activation,
            hidden: net.hidden,
            epochs,
            batch: flags.batch,
            lr: net.lr,
            optimizer: net.optimizer,
            momentum: net.momentum,
            schedule: net.schedule,
            seed,
          };
          const run = await runTraining(backend, data, config, {
            onEpochStart: (epoch, steps) => progress.start(epoch, steps),
            onStep: (r) => progress.step(r),
            shouldStop: () => interrupt.requested,
          });
          progress.stop();
          if (run.stopped) break;
          runs.push(run);
          say(
            `${label}: accuracy ${pct(run.final.accuracy)}, loss ${run.final.loss.toFixed(4)}, sparsity ${perLayer(run.final.sparsity)}, ` +
              `dead ${perLayer(run.final.deadUnits)}${run.diverged ? ', DIVERGED' : ''} (${run.trainSeconds.toFixed(1)} s)`,
          );
        }
        if (runs.length) groups.push(summarizeGroup(net.name, activationLabel(activation), runs));
        if (interrupt.requested) break outer;
      }
    }
  } finally {
    interrupt.close();
  }

  const out = resolve(flags.out);
  const path = await writeCompareReport(
    out,
    {
      backend,
      seeds,
      epochs,
      batch: flags.batch,
      trainExamples: data.train.count,
      testExamples: data.test.count,
      command: `surrograd-demo ${process.argv.slice(2).join(' ')}`,
      skipped,
      stoppedEarly: interrupt.requested,
    },
    nets,
    groups,
  );
  say(`Report: ${path}`);
  if (flags.json) {
    const r = (v: number) => Number(v.toFixed(4));
    process.stdout.write(
      `${JSON.stringify({
        report: path,
        backend,
        skipped,
        groups: groups.map((g) => ({
          net: g.net,
          activation: g.activation,
          seeds: g.seeds,
          testAccuracy: r(g.testAccuracy.mean),
          testAccuracySd: r(g.testAccuracy.sd),
          sparsity: g.sparsity.map(r),
          deadUnits: g.deadUnits.map(r),
          gradNormLate: r(g.gradNormLate.mean),
        })),
      })}\n`,
    );
  }
  return groups;
}
