import { zerosLike } from '../ops/creation.js';
import type { Tensor } from '../tensor.js';
import { checkHyper, Optimizer } from './optimizer.js';

/** Hyperparameters of {@link Adagrad}, as `torch.optim.Adagrad`'s. */
export interface AdagradOptions {
  /** Learning rate (default 1e-2). */
  lr?: number;
  /** The learning rate at step t is lr / (1 + (t − 1)·lrDecay) (default 0). */
  lrDecay?: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay?: number;
  /** Starting value of the squared-gradient sums (default 0). */
  initialAccumulatorValue?: number;
  /** Added to the denominator (default 1e-10). */
  eps?: number;
}

/** Adagrad as PyTorch's: each entry's step divided by the root of its summed squared gradients. */
export class Adagrad extends Optimizer {
  /** The hyperparameters in use, defaults filled in. */
  readonly options: Required<AdagradOptions>;

  constructor(params: Iterable<Tensor>, options: AdagradOptions = {}) {
    super(params, 'Adagrad');
    this.options = { lr: 1e-2, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10, ...options };
    for (const k of ['lr', 'lrDecay', 'weightDecay', 'initialAccumulatorValue', 'eps'] as const) checkHyper('Adagrad', k, this.options[k]);
  }

  protected update(p: Tensor, grad: Tensor, state: Record<string, Tensor>): Tensor {
    const { lr, lrDecay, weightDecay, initialAccumulatorValue, eps } = this.options;
    const g = weightDecay ? grad.add(p.mul(weightDecay)) : grad;
    const previous = state.sum ?? zerosLike(p).add(initialAccumulatorValue);
    const sum = this.setState(state, 'sum', previous.add(g.mul(g)));
    const clr = lr / (1 + (this.stepCount - 1) * lrDecay);
    return p.sub(g.div(sum.sqrt().add(eps)).mul(clr));
  }
}
