import type { ActivationChoice } from '../model/activations.js';
import type { ModelName } from '../model/classifier.js';
import type { Encoding } from '../model/snn.js';

export type OptimizerName = 'sgd' | 'adam';

/** constant: lr throughout; cosine: lr·½(1 + cos(π·step/steps)), decaying to 0 at the last step. */
export type Schedule = 'constant' | 'cosine';

/** Everything that decides a training run; the same config and seed give the same run on a backend. */
export interface TrainConfig {
  /** The dataset's name, for logs and reports (default 'mnist'). */
  dataset?: 'mnist' | 'fashion-mnist' | 'cifar10';
  /** The architecture (default 'mlp'); the CNN and the spiking net ignore `hidden`. */
  model?: ModelName;
  /** The spiking net's input code (default 'rate'). */
  encoding?: Encoding;
  activation: ActivationChoice;
  /** Hidden layer widths, e.g. [256, 256]. */
  hidden: number[];
  epochs: number;
  batch: number;
  lr: number;
  optimizer: OptimizerName;
  /** SGD momentum (ignored by Adam). */
  momentum: number;
  schedule: Schedule;
  seed: number;
}

/** Parses "256,256" into widths; each a positive integer. */
export function parseHidden(spec: string): number[] {
  const widths = spec.split(',').map((s) => Number(s.trim()));
  if (spec.trim() === '' || widths.some((w) => !Number.isInteger(w) || w <= 0)) {
    throw new Error(`hidden: expected comma-separated positive integers like 256,256, got '${spec}'`);
  }
  return widths;
}

/** The learning rate for step `step` (0-based) of `totalSteps`. */
export function scheduledLr(lr: number, schedule: Schedule, step: number, totalSteps: number): number {
  if (schedule === 'constant' || totalSteps <= 1) return lr;
  return lr * 0.5 * (1 + Math.cos((Math.PI * Math.min(step, totalSteps)) / totalSteps));
}
