import type { Tensor } from '../tensor.js';
import { checkHyper, Optimizer } from './optimizer.js';

/** Hyperparameters of {@link Adam} and {@link AdamW}, as `torch.optim.Adam`'s. */
export interface AdamOptions {
  /** Learning rate (default 1e-3). */
  lr?: number;
  /** Decay rates of the first and second moment estimates (default [0.9, 0.999]), each in [0, 1). */
  betas?: [number, number];
  /** Added to the denominator for numerical stability (default 1e-8). */
  eps?: number;
  /** Weight decay: an L2 term in the gradient for Adam (default 0), decoupled for AdamW (default 1e-2). */
  weightDecay?: number;
}

/** Adam with PyTorch's update order (bias corrections folded into step size and denominator). */
export class Adam extends Optimizer {
  /** The hyperparameters in use, defaults filled in. */
  readonly options: Required<AdamOptions>;
  /** AdamW decays weights directly; Adam adds weightDecay·p to the gradient (L2). */
  protected readonly decoupled: boolean = false;

  constructor(params: Iterable<Tensor>, options: AdamOptions = {}, name = 'Adam') {
    super(params, name);
    this.options = { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: name === 'AdamW' ? 1e-2 : 0, ...options };
    checkHyper(name, 'lr', this.options.lr);
    checkHyper(name, 'eps', this.options.eps);
    checkHyper(name, 'weightDecay', this.options.weightDecay);
    for (const b of this.options.betas)
      if (!(b >= 0 && b < 1)) throw new RangeError(`${name}: betas must be in [0, 1), got [${this.options.betas.join(', ')}]`);
  }

  protected update(p: Tensor, grad: Tensor, state: Record<string, Tensor>): Tensor {
    const { lr, betas, eps, weightDecay } = this.options;
    const [b1, b2] = betas;
    const t = this.stepCount;
    let g = grad;
    let param = p;
    if (weightDecay) {
      if (this.decoupled) param = p.mul(1 - lr * weightDecay);
      else g = g.add(p, { alpha: weightDecay });
    }
    // alpha as PyTorch writes these updates: one fused pass each on backends with AddScaled.
    const m = this.setState(state, 'expAvg', state.expAvg ? state.expAvg.mul(b1).add(g, { alpha: 1 - b1 }) : g.mul(1 - b1));
    const gg = g.mul(g).mul(1 - b2);
    const v = this.setState(state, 'expAvgSq', state.expAvgSq ? state.expAvgSq.mul(b2).add(gg) : gg);
    const bc1 = 1 - b1 ** t;
    const bc2 = 1 - b2 ** t;
    const denom = v.sqrt().div(Math.sqrt(bc2)).add(eps);
    return param.add(m.div(denom), { alpha: -(lr / bc1) });
  }
}

/** Adam with decoupled weight decay (Loshchilov & Hutter), PyTorch's AdamW. */
export class AdamW extends Adam {
  protected override readonly decoupled: boolean = true;

  constructor(params: Iterable<Tensor>, options: AdamOptions = {}) {
    super(params, options, 'AdamW');
  }
}
