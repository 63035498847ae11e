import { readFile, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { imageShape } from '../data/mnist.js';
import { activationLabel, parseActivation } from '../model/activations.js';
import { type Classifier, createModel, describeModel } from '../model/classifier.js';
import { isSafetensors, loadCnnWeights, saveCnnWeights } from '../model/cnn-weights.js';
import { loadWeights, saveWeights } from '../model/weights.js';
import { epochTable, writeRunReport } from '../report/run-report.js';
import { backendDetail, selectBackend } from '../train/backends.js';
import { parseHidden } from '../train/config.js';
import { type RunResult, runSummary, runTraining } from '../train/run.js';
import { pct, perLayer } from './format.js';
import { Interrupt } from './interrupt.js';
import { type DataFlags, datasetLabel, loadData } from './load-data.js';
import { nodeImporter } from './node-importer.js';
import { EpochProgress } from './progress.js';
import { configFromFlags, type TrainFlags } from './train-options.js';

export interface TrainCommandFlags extends TrainFlags, DataFlags {
  backend: string;
  json?: boolean;
  save?: string;
  load?: string;
  report?: string;
  /** Which flags the user typed (the rest are defaults), so --load can keep the saved architecture. */
  explicit: Set<string>;
}

export async function trainCommand(flags: TrainCommandFlags): Promise<RunResult> {
  // With --json, stdout carries only the JSON line; everything for people goes to stderr.
  const started = performance.now();
  const say = (line: string) => (flags.json ? process.stderr : process.stdout).write(`${line}\n`);
  const backend = await selectBackend(flags.backend, nodeImporter);
  const data = await loadData(flags);

  let model: Classifier | undefined;
  if (flags.load) {
    const path = resolve(flags.load);
    const bytes = await readFile(path).catch((err) => {
      throw new Error(`--load ${path}: ${(err as Error).message}`);
    });
    const activation = flags.explicit.has('activation') ? parseActivation(flags.activation) : undefined;
    if (isSafetensors(bytes)) model = loadCnnWeights(new Uint8Array(bytes), path, activation);
    else {
      let saved: unknown;
      try {
        saved = JSON.parse(bytes.toString('utf8'));
      } catch (err) {
        throw new Error(`--load ${path}: neither a safetensors file nor valid JSON (${(err as Error).message}); was the file truncated?`);
      }
      model = loadWeights(saved, path, activation);
    }
    if (flags.explicit.has('model') && flags.model !== model.kind) {
      model.dispose();
      throw new Error(`--load ${path}: the weights are of a ${model.kind}, --model asks for a ${flags.model}`);
    }
    if (model.kind === 'mlp' && flags.explicit.has('hidden') && parseHidden(flags.hidden).join() !== model.hiddenSizes.join()) {
      const sizes = model.hiddenSizes.join(',');
      model.dispose();
      throw new Error(`--load ${path}: the weights have hidden layers ${sizes}, --hidden asks for ${flags.hidden}`);
    }
  }
  const config0 = configFromFlags(
    model ? { ...flags, model: model.kind } : flags,
    model?.activation,
    model?.kind === 'mlp' ? model.hiddenSizes : undefined,
  );
  const config = { ...config0, dataset: flags.dataset ?? 'mnist' };
  say(
    `${datasetLabel(flags.dataset)} on '${backend}'${backendDetail(backend) ? ` (${backendDetail(backend)})` : ''}${flags.backend === 'auto' ? ' (fastest CPU backend available)' : ''}: ${describeModel(config.model ?? 'mlp', config.hidden, imageShape(data.train))}, ` +
      `${activationLabel(config.activation)}, ${config.optimizer} lr ${config.lr} (${config.schedule}), batch ${config.batch}, ${config.epochs} epoch(s), seed ${config.seed}, ` +
      `${data.train.count} training / ${data.test.count} test images${flags.load ? `, weights from ${flags.load}` : ''}`,
  );

  const net =
    model ?? createModel(config.model ?? 'mlp', config.hidden, config.activation, config.seed, imageShape(data.train), config.encoding);
  const progress = new EpochProgress(config.epochs, config.batch);
  const interrupt = new Interrupt().listen();
  let result: RunResult;
  try {
    result = await runTraining(backend, data, config, {
      model: net,
      onEpochStart: (epoch, steps) => progress.start(epoch, steps),
      onStep: (record) => progress.step(record),
      onEpoch: (e) => {
        progress.stop();
        say(
          `epoch ${e.epoch}: train loss ${e.trainLoss.toFixed(4)}, test accuracy ${pct(e.test.accuracy)}, test loss ${e.test.loss.toFixed(4)}, ` +
            `sparsity ${perLayer(e.test.sparsity)}, dead units ${perLayer(e.test.deadUnits)}, ${Math.round(e.imagesPerSecond)} img/s`,
        );
      },
      shouldStop: () => interrupt.requested,
    });
  } catch (err) {
    net.dispose();
    throw err;
  } finally {
    progress.stop();
    interrupt.close();
  }

  if (result.epochs.length) say(`\n${epochTable(result)}\n`);
  say(
    `${result.stopped ? 'Stopped early — result so far' : 'Result'}: test accuracy ${pct(result.final.accuracy)}, test loss ${result.final.loss.toFixed(4)}, ` +
      `${result.msPerStep.toFixed(1)} ms/step, sparsity ${perLayer(result.final.sparsity)}, dead units ${perLayer(result.final.deadUnits)}, ` +
      `${((performance.now() - started) / 1000).toFixed(1)} s in all (loading, training, evaluating)` +
      `${result.diverged ? ' (diverged: the loss blew up, training stopped; lower --lr)' : ''}`,
  );
  if (flags.save) {
    const path = resolve(flags.save);
    await writeFile(path, net.kind === 'mlp' ? JSON.stringify(await saveWeights(net)) : await saveCnnWeights(net));
    say(`Weights saved to ${path}`);
  }
  net.dispose();
  if (flags.report) say(`Report: ${await writeRunReport(resolve(flags.report), result)}`);
  if (flags.json) process.stdout.write(`${JSON.stringify(runSummary(result))}\n`);
  return result;
}
