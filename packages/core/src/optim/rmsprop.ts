import type { Tensor } from '../tensor.js';
import { checkHyper, Optimizer } from './optimizer.js';

/** Hyperparameters of {@link RMSprop}, as `torch.optim.RMSprop`'s. */
export interface RMSpropOptions {
  /** Learning rate (default 1e-2). */
  lr?: number;
  /** Smoothing constant of the squared-gradient average (default 0.99). */
  alpha?: number;
  /** Added to the denominator (default 1e-8). */
  eps?: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay?: number;
  /** Momentum factor (default 0). */
  momentum?: number;
  /** Normalize by the gradient's estimated variance instead of its second moment (default false). */
  centered?: boolean;
}

/** RMSprop with PyTorch's update (eps outside the square root; optional momentum and centering). */
export class RMSprop extends Optimizer {
  /** The hyperparameters in use, defaults filled in. */
  readonly options: Required<RMSpropOptions>;

  constructor(params: Iterable<Tensor>, options: RMSpropOptions = {}) {
    super(params, 'RMSprop');
    this.options = { lr: 1e-2, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false, ...options };
    for (const k of ['lr', 'alpha', 'eps', 'weightDecay', 'momentum'] as const) checkHyper('RMSprop', k, this.options[k]);
  }

  protected update(p: Tensor, grad: Tensor, state: Record<string, Tensor>): Tensor {
    const { lr, alpha, eps, weightDecay, momentum, centered } = this.options;
    const g = weightDecay ? grad.add(p.mul(weightDecay)) : grad;
    const gg = g.mul(g).mul(1 - alpha);
    const sq = this.setState(state, 'squareAvg', state.squareAvg ? state.squareAvg.mul(alpha).add(gg) : gg);
    let avg = sq;
    if (centered) {
      const ga = this.setState(state, 'gradAvg', state.gradAvg ? state.gradAvg.mul(alpha).add(g.mul(1 - alpha)) : g.mul(1 - alpha));
      avg = sq.sub(ga.mul(ga));
    }
    const denom = avg.sqrt().add(eps);
    if (momentum > 0) {
      const step = g.div(denom);
      const buf = this.setState(state, 'momentumBuffer', state.momentumBuffer ? state.momentumBuffer.mul(momentum).add(step) : step);
      return p.sub(buf.mul(lr));
    }
    return p.sub(g.div(denom).mul(lr));
  }
}
