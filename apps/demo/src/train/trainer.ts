import { nn, optim, stack, type Tensor, tidy } from '@surrograd/core';
import { batchTensors, permutation } from '../data/batches.js';
import type { MnistSplit } from '../data/mnist.js';
import type { Classifier } from '../model/classifier.js';
import { scheduledLr, type TrainConfig } from './config.js';
import { MemoryGuard } from './memory-guard.js';

export interface StepRecord {
  /** 1-based count of steps done. */
  step: number;
  /** 0-based epoch the step belongs to. */
  epoch: number;
  loss: number;
  /** L2 norm of the first layer's weight gradient: does signal reach the input layer? */
  gradNorm: number;
  /** L2 norm of each layer's weight gradient, input to output (the first layer's only, unless the trainer records all). */
  layerGradNorms: number[];
  /** Wall time of the step, including reading the loss back. */
  ms: number;
}

/**
 * Steps through the training split in seeded shuffled batches, one optimizer step at a time.
 * Each step runs in a tidy scope and the memory guard checks nothing outlives it.
 */
export class Trainer {
  readonly optimizer: optim.Adam | optim.SGD;
  readonly stepsPerEpoch: number;
  stepsDone = 0;
  private order: Uint32Array | null = null;
  private readonly guard = new MemoryGuard();

  constructor(
    readonly model: Classifier,
    readonly train: MnistSplit,
    readonly config: Pick<TrainConfig, 'batch' | 'lr' | 'optimizer' | 'momentum' | 'seed' | 'schedule'>,
    /** Steps the whole run will take; the schedule decays over them. */
    readonly totalSteps = Number.POSITIVE_INFINITY,
    /** Every layer's gradient norm at each step (a reduction per layer), or only the first layer's. */
    readonly allLayerNorms = false,
  ) {
    if (train.count === 0) throw new Error('Trainer: the training split is empty');
    if (!Number.isInteger(config.batch) || config.batch <= 0)
      throw new Error(`Trainer: batch must be a positive integer, got ${config.batch}`);
    this.stepsPerEpoch = Math.ceil(train.count / config.batch);
    const params = model.parameters();
    this.optimizer =
      config.optimizer === 'adam'
        ? new optim.Adam(params, { lr: config.lr })
        : new optim.SGD(params, { lr: config.lr, momentum: config.momentum });
  }

  get epoch(): number {
    return Math.floor(this.stepsDone / this.stepsPerEpoch);
  }

  async step(): Promise<StepRecord> {
    const t0 = performance.now();
    const epoch = this.epoch;
    const inEpoch = this.stepsDone % this.stepsPerEpoch;
    if (inEpoch === 0 || !this.order) this.order = permutation(this.train.count, this.config.seed * 7919 + epoch);
    const start = inEpoch * this.config.batch;
    const size = Math.min(this.config.batch, this.train.count - start);
    // Core's optimizers read options.lr at every step, as PyTorch's read param_groups' lr.
    this.optimizer.options.lr = scheduledLr(this.config.lr, this.config.schedule, this.stepsDone, this.totalSteps);
    this.model.train();
    const [loss, gradNorms] = tidy(() => {
      const { x, y } = batchTensors(this.train, this.order, start, size);
      this.optimizer.zeroGrad();
      // A model with its own training loss (the spiking net's, on its membranes over time) uses it.
      const l = 'loss' in this.model ? this.model.loss(x, y) : nn.crossEntropy(this.model.forward(x), y);
      l.backward();
      // Every layer's norm in one tensor, so one read brings them all back.
      const weights = this.allLayerNorms ? this.model.layerWeights : [this.model.firstWeight];
      const norms = weights.map((w, i) => {
        if (!w.grad) throw new Error(`Trainer: layer ${i + 1} got no gradient`);
        return w.grad.square().sum();
      });
      const stacked = stack(norms).sqrt();
      this.optimizer.step();
      return [l.detach(), stacked];
    }) as [Tensor, Tensor];
    this.stepsDone++;
    this.guard.check(this.stepsDone);
    const [l, g] = await Promise.all([loss.data(), gradNorms.data()]);
    loss.dispose();
    gradNorms.dispose();
    const layerGradNorms = Array.from(g as ArrayLike<number>);
    return {
      step: this.stepsDone,
      epoch,
      loss: l[0] as number,
      gradNorm: layerGradNorms[0] as number,
      layerGradNorms,
      ms: performance.now() - t0,
    };
  }

  dispose(): void {
    this.optimizer.dispose();
  }
}
