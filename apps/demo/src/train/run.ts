import { imageShape, MNIST_SHAPE, type MnistData, shapeLabel } from '../data/mnist.js';
import { activationLabel } from '../model/activations.js';
import { type Classifier, createModel } from '../model/classifier.js';
import type { TrainConfig } from './config.js';
import { type Evaluation, evaluate } from './evaluate.js';
import { type StepRecord, Trainer } from './trainer.js';
import { yieldToEventLoop } from './yield.js';

export interface EpochRecord {
  /** 1-based. */
  epoch: number;
  /** Steps of this epoch that ran (fewer than stepsPerEpoch when stopped). */
  steps: number;
  trainLoss: number;
  test: Evaluation;
  seconds: number;
  imagesPerSecond: number;
}

export interface RunResult {
  backend: string;
  config: TrainConfig;
  trainExamples: number;
  stepsPerEpoch: number;
  steps: number;
  epochs: EpochRecord[];
  /** Per step, for curves. */
  losses: number[];
  /** Per step, the first layer's weight-gradient norm. */
  gradNorms: number[];
  /** Per step, each layer's weight-gradient norm (input to output); only the first layer's unless RunHooks.allLayerNorms. */
  layerGradNorms: number[][];
  /** The test evaluation before any training (with RunHooks.evaluateFirst). */
  initial?: Evaluation;
  final: Evaluation;
  /** Mean wall time of a training step (batch, forward, backward, update, loss read back). */
  msPerStep: number;
  trainSeconds: number;
  /** Stopped early by the caller (Ctrl-C, the page's Stop button). */
  stopped: boolean;
  /** Stopped because the loss blew up (see hasDiverged). */
  diverged: boolean;
}

export interface RunHooks {
  onEpochStart?(epoch: number, steps: number): void;
  onStep?(record: StepRecord): void;
  onEpoch?(record: EpochRecord): void;
  shouldStop?(): boolean;
  /** A model to train instead of a fresh one (e.g. loaded weights); its sizes must match. */
  model?: Classifier;
  /** Evaluate the test split before training too (the starting point of per-layer curves). */
  evaluateFirst?: boolean;
  /** Record every layer's weight-gradient norm at each step, not only the first layer's. */
  allLayerNorms?: boolean;
}

/**
 * A batch loss that is NaN, infinite, or over 20× that of guessing uniformly among 10 classes
 * (ln 10 ≈ 2.3): training has blown up, and going on only wastes time.
 */
export function hasDiverged(loss: number): boolean {
  return !Number.isFinite(loss) || loss > 20 * Math.log(10);
}

/** Trains for config.epochs over data.train, evaluating data.test after each epoch. */
export async function runTraining(backend: string, data: MnistData, config: TrainConfig, hooks: RunHooks = {}): Promise<RunResult> {
  const shape = imageShape(data.train);
  const inputSize = shape.channels * shape.height * shape.width;
  const model = hooks.model ?? createModel(config.model ?? 'mlp', config.hidden, config.activation, config.seed, shape, config.encoding);
  if (model.kind !== (config.model ?? 'mlp'))
    throw new Error(`runTraining: the model is a ${model.kind}, the config asks for a ${config.model ?? 'mlp'}`);
  if (model.kind === 'mlp') {
    const sizes = [inputSize, ...config.hidden, 10];
    if (model.sizes.join() !== sizes.join()) {
      throw new Error(`runTraining: model has sizes [${model.sizes.join(', ')}], the config asks for [${sizes.join(', ')}]`);
    }
  } else {
    // Only a caller's model can disagree with the data (a fresh one is built for it); the caller owns it.
    const takes = model.kind === 'snn' ? MNIST_SHAPE : model.input;
    if (shapeLabel(takes) !== shapeLabel(shape)) {
      throw new Error(`runTraining: the ${model.kind} net takes ${shapeLabel(takes)} images, the data has ${shapeLabel(shape)}`);
    }
  }
  const trainer = new Trainer(model, data.train, config, Math.ceil(data.train.count / config.batch) * config.epochs, hooks.allLayerNorms);
  const losses: number[] = [];
  const gradNorms: number[] = [];
  const layerGradNorms: number[][] = [];
  const epochs: EpochRecord[] = [];
  let initial: Evaluation | undefined;
  let stopped = false;
  let diverged = false;
  let trainMs = 0;
  let final: Evaluation | null = null;
  try {
    if (hooks.evaluateFirst) initial = await evaluate(model, data.test);
    for (let epoch = 1; epoch <= config.epochs && !stopped && !diverged; epoch++) {
      hooks.onEpochStart?.(epoch, trainer.stepsPerEpoch);
      let lossSum = 0;
      let steps = 0;
      let epochMs = 0;
      let images = 0;
      for (let s = 0; s < trainer.stepsPerEpoch; s++) {
        if (hooks.shouldStop?.()) {
          stopped = true;
          break;
        }
        const record = await trainer.step();
        epochMs += record.ms;
        images += Math.min(config.batch, data.train.count - s * config.batch);
        losses.push(record.loss);
        gradNorms.push(record.gradNorm);
        layerGradNorms.push(record.layerGradNorms);
        lossSum += record.loss;
        steps++;
        hooks.onStep?.(record);
        if (hasDiverged(record.loss)) {
          diverged = true;
          break;
        }
        await yieldToEventLoop();
      }
      trainMs += epochMs;
      if (steps === 0) break;
      const test = await evaluate(model, data.test);
      final = test;
      const record: EpochRecord = {
        epoch,
        steps,
        trainLoss: lossSum / steps,
        test,
        seconds: epochMs / 1000,
        imagesPerSecond: images / (epochMs / 1000),
      };
      epochs.push(record);
      hooks.onEpoch?.(record);
    }
    final ??= await evaluate(model, data.test);
  } finally {
    trainer.dispose();
    if (!hooks.model) model.dispose();
  }
  return {
    backend,
    config,
    trainExamples: data.train.count,
    stepsPerEpoch: trainer.stepsPerEpoch,
    steps: trainer.stepsDone,
    epochs,
    losses,
    gradNorms,
    layerGradNorms,
    ...(initial ? { initial } : {}),
    final,
    msPerStep: trainer.stepsDone ? trainMs / trainer.stepsDone : 0,
    trainSeconds: trainMs / 1000,
    stopped,
    diverged,
  };
}

/** The one-line JSON summary of a run (the CLI's --json), numbers rounded for reading. */
export function runSummary(result: RunResult): Record<string, unknown> {
  const r = (v: number, digits = 4) => Number(v.toFixed(digits));
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
  return {
    backend: result.backend,
    model: result.config.model ?? 'mlp',
    ...(result.config.model === 'snn' ? { encoding: result.config.encoding ?? 'rate' } : {}),
    dataset: result.config.dataset ?? 'mnist',
    activation: activationLabel(result.config.activation),
    activationName: result.config.activation.name,
    activationOptions: result.config.activation.options,
    hidden: result.config.hidden,
    optimizer: result.config.optimizer,
    lr: result.config.lr,
    schedule: result.config.schedule,
    batch: result.config.batch,
    seed: result.config.seed,
    epochs: result.config.epochs,
    epochsDone: r(result.steps / result.stepsPerEpoch, 3),
    steps: result.steps,
    trainExamples: result.trainExamples,
    testExamples: result.final.examples,
    testAccuracy: r(result.final.accuracy),
    testLoss: r(result.final.loss, 6),
    trainLoss: result.epochs.length ? r((result.epochs.at(-1) as EpochRecord).trainLoss, 6) : null,
    msPerStep: r(result.msPerStep, 2),
    trainSeconds: r(result.trainSeconds, 2),
    sparsity: result.final.sparsity.map((v) => r(v)),
    deadUnits: result.final.deadUnits.map((v) => r(v)),
    firstLayerGradNorm: { mean: r(mean(result.gradNorms)), last: r(result.gradNorms.at(-1) ?? 0) },
    perEpoch: result.epochs.map((e) => ({
      epoch: e.epoch,
      trainLoss: r(e.trainLoss, 6),
      testAccuracy: r(e.test.accuracy),
      testLoss: r(e.test.loss, 6),
    })),
    stopped: result.stopped,
    diverged: result.diverged,
  };
}
