import * as A from '../activations/library.js';
import type { Tensor } from '../tensor.js';
import { Module } from './module.js';

/** Wraps an activation function as a module (no parameters). */
export class Activation extends Module {
  constructor(
    /** The module's name, e.g. 'ReLU'. */
    readonly name: string,
    /** The wrapped function, options already bound. */
    readonly fn: (x: Tensor) => Tensor,
  ) {
    super();
  }
  /** Applies the activation to `x` elementwise. */
  forward(x: Tensor): Tensor {
    return this.fn(x);
  }
}

/** Numeric options by name, for activations without a dedicated options type. */
export type Options = Readonly<Record<string, number>>;

/** Options of the activations with a slope: LeakyReLU (negative side) and ReLUWithLeakyGrad (its gradient's). */
export type SlopeOptions = {
  /** The slope for x < 0 (default 0.01). */
  slope?: number;
};
/** Options of ELU, BSiLU and NeLU. */
export type AlphaOptions = {
  /** ELU's saturation value, or the surrogate's scale (see each function for its default). */
  alpha?: number;
};
/** Options of GELU. */
export interface GELUOptions {
  /** 'none' (erf, the default) or 'tanh' (the tanh approximation). */
  approximate?: 'none' | 'tanh';
}
/** Options of Softplus (PyTorch's). */
export type SoftplusOptions = {
  /** Sharpness: softplus(x) = log(1 + exp(beta·x)) / beta (default 1). */
  beta?: number;
  /** Above beta·x > threshold the function is linear (default 20). */
  threshold?: number;
};
/** Options of Hardtanh. */
export type HardtanhOptions = {
  /** Lower bound (default -1). */
  minVal?: number;
  /** Upper bound (default 1). */
  maxVal?: number;
};
/** Options of RoundSTE. */
export interface RoundSTEOptions {
  /** Pass the gradient only for x inside [lo, hi] (default: everywhere). */
  clip?: readonly [number, number];
}

/** An activation module that keeps the options it was made with. */
export interface ActivationModule<O extends object = Options> extends Activation {
  /** The options passed to the constructor, applied on every call. */
  readonly options: O;
}

/** A module class for one activation (`new nn.ReLU()`, `new nn.LeakyReLU({ slope: 0.1 })`). */
export type ActivationModuleClass<O extends object = Options> = new (options?: O) => ActivationModule<O>;

/** A module class for one activation function taking an options object. */
function moduleFor<O extends object = Options>(name: string, fn: (x: Tensor, options?: O) => Tensor): ActivationModuleClass<O> {
  return class extends Activation {
    constructor(readonly options: O = {} as O) {
      super(name, (x) => fn(x, options));
    }
  };
}

/** Module form of {@link relu} (`torch.nn.ReLU`). */
export const ReLU = moduleFor('ReLU', A.relu);
/** Module form of {@link leakyRelu} (`torch.nn.LeakyReLU`); options `{ slope }`. */
export const LeakyReLU = moduleFor<SlopeOptions>('LeakyReLU', A.leakyRelu);
/** Module form of {@link elu} (`torch.nn.ELU`); options `{ alpha }`. */
export const ELU = moduleFor<AlphaOptions>('ELU', A.elu);
/** Module form of {@link gelu} (`torch.nn.GELU`); options `{ approximate: 'none' | 'tanh' }`. */
export const GELU = moduleFor<GELUOptions>('GELU', A.gelu);
/** Module form of {@link silu} (`torch.nn.SiLU`). */
export const SiLU = moduleFor('SiLU', A.silu);
/** Module form of {@link sigmoid} (`torch.nn.Sigmoid`). */
export const Sigmoid = moduleFor('Sigmoid', A.sigmoid);
/** Module form of {@link tanh} (`torch.nn.Tanh`). */
export const Tanh = moduleFor('Tanh', A.tanh);
/** Module form of {@link softplus} (`torch.nn.Softplus`); options `{ beta, threshold }`. */
export const Softplus = moduleFor<SoftplusOptions>('Softplus', A.softplus);
/** Module form of {@link hardtanh} (`torch.nn.Hardtanh`); options `{ minVal, maxVal }`. */
export const Hardtanh = moduleFor<HardtanhOptions>('Hardtanh', A.hardtanh);
/** Module form of {@link reluWithLeakyGrad}: ReLU forward, LeakyReLU gradient; options `{ slope }`. */
export const ReLUWithLeakyGrad = moduleFor<SlopeOptions>('ReLUWithLeakyGrad', A.reluWithLeakyGrad);
/** Module form of {@link bSiLU}: ReLU forward, B-SiLU surrogate gradient; options `{ alpha, where }`. */
export const BSiLU = moduleFor<A.BSiLUOptions>('BSiLU', A.bSiLU);
/** Module form of {@link neLU}: ReLU forward, NeLU surrogate gradient; options `{ alpha }`. */
export const NeLU = moduleFor<AlphaOptions>('NeLU', A.neLU);
/** Module form of {@link heaviside}: a spike forward with a surrogate gradient; options {@link HeavisideOptions}. */
export const Heaviside = moduleFor<A.HeavisideOptions>('Heaviside', A.heaviside);
/** Module form of {@link signSTE}: sign forward, straight-through gradient inside |x| <= 1. */
export const SignSTE = moduleFor('SignSTE', A.signSTE);
/** Module form of {@link approxSign}: sign forward, Bi-Real Net's polynomial gradient. */
export const ApproxSign = moduleFor('ApproxSign', A.approxSign);
/** Module form of {@link roundSTE}: round forward, identity gradient (or only inside `clip`). */
export const RoundSTE = moduleFor<RoundSTEOptions>('RoundSTE', A.roundSTE);

/** A module for any forward kind paired with any derivative kind. */
export class Surrogate extends Activation {
  constructor(
    /** The forward/backward kinds and parameters it was built from. */
    readonly spec: A.SurrogateSpec,
  ) {
    super(spec.name ?? 'Surrogate', A.surrogate(spec));
  }
}
