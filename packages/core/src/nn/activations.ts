import * as A from '../activations/library.js';
import type { Tensor } from '../tensor.js';
import { Module } from './module.js';

/** Wraps an activation function as a module (no parameters). */
export class Activation extends Module {
  constructor(
    readonly name: string,
    readonly fn: (x: Tensor) => Tensor,
  ) {
    super();
  }
  forward(x: Tensor): Tensor {
    return this.fn(x);
  }
}

type Options = Readonly<Record<string, number>>;

/** A module class for one activation function taking an options object. */
function moduleFor<O extends object = Options>(name: string, fn: (x: Tensor, options?: O) => Tensor) {
  return class extends Activation {
    constructor(readonly options: O = {} as O) {
      super(name, (x) => fn(x, options));
    }
  };
}

export const ReLU = moduleFor('ReLU', A.relu);
export const LeakyReLU = moduleFor<{ slope?: number }>('LeakyReLU', A.leakyRelu);
export const ELU = moduleFor<{ alpha?: number }>('ELU', A.elu);
export const GELU = moduleFor<{ approximate?: 'none' | 'tanh' }>('GELU', A.gelu);
export const SiLU = moduleFor('SiLU', A.silu);
export const Sigmoid = moduleFor('Sigmoid', A.sigmoid);
export const Tanh = moduleFor('Tanh', A.tanh);
export const Softplus = moduleFor<{ beta?: number; threshold?: number }>('Softplus', A.softplus);
export const Hardtanh = moduleFor<{ minVal?: number; maxVal?: number }>('Hardtanh', A.hardtanh);
export const ReLUWithLeakyGrad = moduleFor<{ slope?: number }>('ReLUWithLeakyGrad', A.reluWithLeakyGrad);
export const BSiLU = moduleFor<{ alpha?: number }>('BSiLU', A.bSiLU);
export const NeLU = moduleFor<{ alpha?: number }>('NeLU', A.neLU);
export const Heaviside = moduleFor<A.HeavisideOptions>('Heaviside', A.heaviside);
export const SignSTE = moduleFor('SignSTE', A.signSTE);
export const ApproxSign = moduleFor('ApproxSign', A.approxSign);
export const RoundSTE = moduleFor<{ clip?: readonly [number, number] }>('RoundSTE', A.roundSTE);

/** A module for any forward kind paired with any derivative kind. */
export class Surrogate extends Activation {
  constructor(readonly spec: A.SurrogateSpec) {
    super(spec.name ?? 'Surrogate', A.surrogate(spec));
  }
}
