import { leakyRelu, relu, reluWithLeakyGrad, sigmoid, tanh } from '../ops/activations.js';
import type { Tensor } from '../tensor.js';
import { Module } from './module.js';

/** Wraps an activation function as a module (no parameters). */
export class Activation extends Module {
  constructor(
    readonly name: string,
    private readonly fn: (x: Tensor) => Tensor,
  ) {
    super();
  }
  forward(x: Tensor): Tensor {
    return this.fn(x);
  }
}

export class ReLU extends Activation {
  constructor() {
    super('ReLU', relu);
  }
}

export class LeakyReLU extends Activation {
  constructor(readonly options: { slope?: number } = {}) {
    super('LeakyReLU', (x) => leakyRelu(x, options));
  }
}

export class ReLUWithLeakyGrad extends Activation {
  constructor(readonly options: { slope?: number } = {}) {
    super('ReLUWithLeakyGrad', (x) => reluWithLeakyGrad(x, options));
  }
}

export class Sigmoid extends Activation {
  constructor() {
    super('Sigmoid', sigmoid);
  }
}

export class Tanh extends Activation {
  constructor() {
    super('Tanh', tanh);
  }
}
