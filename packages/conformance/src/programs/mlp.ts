/** The 2-layer MLP of mlp.json, written functionally: parameters are leaf tensors (PyTorch layout). */
import { nn, optim, type Tensor } from '@surrograd/core';

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
}

export function makeOptimizer(kind: string, params: Tensor[], options: Record<string, unknown>): Optimizer {
  switch (kind) {
    case 'SGD':
      return new optim.SGD(params, options as unknown as ConstructorParameters<typeof optim.SGD>[1]);
    case 'Adam':
      return new optim.Adam(params, options as unknown as ConstructorParameters<typeof optim.Adam>[1]);
    case 'AdamW':
      return new optim.AdamW(params, options as unknown as ConstructorParameters<typeof optim.AdamW>[1]);
    default:
      throw new Error(`the conformance kit has no optimizer '${kind}'`);
  }
}
