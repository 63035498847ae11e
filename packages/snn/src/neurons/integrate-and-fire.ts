/**
 * The integrate-and-fire neuron: a Leaky that never leaks (β = 1), as SpikingJelly's IFNode and
 * snnTorch's `Leaky(beta=1)`: U[t] = U[t−1] + I[t] − R[t]·U_thr.
 */
import { tensor } from '@surrograd/core';
import { Leaky, type LeakyOptions } from './leaky.js';

/** Options of {@link IF}: Leaky's, without β. */
export type IFOptions = Omit<LeakyOptions, 'beta' | 'learnBeta'>;

/** Integrate-and-fire: `const [spk, mem] = neuron.forward(input, mem)`. */
export class IF extends Leaky {
  constructor(options: IFOptions = {}) {
    super({ ...options, beta: tensor(1) });
  }
}
