/** The 2-layer MLP of mlp.json, written functionally: parameters are leaf tensors (PyTorch layout). */
import { nn, optim, type Tensor } from '@surrograd/core';
import type { SchedulerSpec } from '../goldens.js';

export interface MlpParams {
  W1: Tensor;
  b1: Tensor;
  W2: Tensor;
  b2: Tensor;
}

export const PARAM_NAMES = ['W1', 'b1', 'W2', 'b2'] as const;

export function mlpLoss(p: MlpParams, x: Tensor, labels: Tensor): Tensor {
  const hidden = x.matmul(p.W1.transpose()).add(p.b1).relu();
  const logits = hidden.matmul(p.W2.transpose()).add(p.b2);
  return nn.crossEntropy(logits, labels);
}

export interface Optimizer {
  step(): void;
  zeroGrad(): void;
  options: { lr: number };
}

/** The schedule an mlp.json run names, on `opt`. */
export function makeScheduler(spec: SchedulerSpec, opt: Optimizer): optim.LRScheduler {
  const o = spec.options as never;
  switch (spec.kind) {
    case 'StepLR':
      return new optim.StepLR(opt, o);
    case 'CosineAnnealingLR':
      return new optim.CosineAnnealingLR(opt, o);
    case 'LinearLR':
      return new optim.LinearLR(opt, o);
    case 'OneCycleLR':
      return new optim.OneCycleLR(opt, o);
    case 'SequentialLR': {
      const { schedulers, milestones } = spec.options as { schedulers: SchedulerSpec[]; milestones: number[] };
      return new optim.SequentialLR(opt, { schedulers: schedulers.map((s) => makeScheduler(s, opt)), milestones });
    }
  }
}

export function makeOptimizer(kind: string, params: Tensor[], options: Record<string, unknown>): Optimizer {
  switch (kind) {
    case 'SGD':
      return new optim.SGD(params, options as unknown as ConstructorParameters<typeof optim.SGD>[1]);
    case 'Adam':
      return new optim.Adam(params, options as unknown as ConstructorParameters<typeof optim.Adam>[1]);
    case 'AdamW':
      return new optim.AdamW(params, options as unknown as ConstructorParameters<typeof optim.AdamW>[1]);
    case 'RMSprop':
      return new optim.RMSprop(params, options as unknown as ConstructorParameters<typeof optim.RMSprop>[1]);
    case 'Adagrad':
      return new optim.Adagrad(params, options as unknown as ConstructorParameters<typeof optim.Adagrad>[1]);
    default:
      throw new Error(`the conformance kit has no optimizer '${kind}'`);
  }
}
