import type { Tensor } from '../tensor.js';
import { checkHyper, Optimizer } from './optimizer.js';

/** Hyperparameters of {@link SGD}, as `torch.optim.SGD`'s (all but `lr` default to 0/false). */
export interface SGDOptions {
  /** Learning rate (required). */
  lr: number;
  /** Momentum factor (default 0: plain SGD). */
  momentum?: number;
  /** Dampening of the momentum's gradient term (default 0). */
  dampening?: number;
  /** Use Nesterov momentum; needs momentum > 0 and dampening 0 (default false). */
  nesterov?: boolean;
  /** L2 penalty added to the gradient as weightDecay·p (default 0). */
  weightDecay?: number;
}

/** Stochastic gradient descent with PyTorch's momentum, dampening, Nesterov and weight decay. */
export class SGD extends Optimizer {
  /** The hyperparameters in use, defaults filled in. */
  readonly options: Required<SGDOptions>;

  constructor(params: Iterable<Tensor>, options: SGDOptions) {
    super(params, 'SGD');
    this.options = { momentum: 0, dampening: 0, nesterov: false, weightDecay: 0, ...options };
    for (const k of ['lr', 'momentum', 'dampening', 'weightDecay'] as const) checkHyper('SGD', k, this.options[k]);
    if (this.options.nesterov && (this.options.momentum <= 0 || this.options.dampening !== 0)) {
      throw new Error('SGD: nesterov needs momentum > 0 and dampening 0');
    }
  }

  protected update(p: Tensor, grad: Tensor, state: Record<string, Tensor>): Tensor {
    const { lr, momentum, dampening, nesterov, weightDecay } = this.options;
    // PyTorch's own update, alpha and all: one fused pass per add on backends with AddScaled.
    let d = weightDecay ? grad.add(p, { alpha: weightDecay }) : grad;
    if (momentum) {
      const prev = state.momentumBuffer;
      const buf = this.setState(state, 'momentumBuffer', prev ? prev.mul(momentum).add(d, { alpha: 1 - dampening }) : d.clone());
      d = nesterov ? d.add(buf, { alpha: momentum }) : buf;
    }
    return p.add(d, { alpha: -lr });
  }
}
