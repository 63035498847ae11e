import type { Tensor } from '../tensor.js';
import { Module } from './module.js';

/** Modules applied in order. */
export class Sequential extends Module {
  /** The modules, in the order they are applied. */
  readonly layers: Module[];

  constructor(...layers: Module[]) {
    super();
    layers.forEach((m, i) => {
      if (!(m instanceof Module)) throw new TypeError(`Sequential: argument ${i} is not a Module`);
    });
    this.layers = layers;
  }

  /** The layers, named 0, 1, … as PyTorch's Sequential names them ('0.weight'). */
  protected override namedMembers(): [string, unknown][] {
    return this.layers.map((m, i) => [String(i), m]);
  }

  /** Feeds `x` through every layer in order. */
  forward(x: Tensor): Tensor {
    let y = x;
    for (const layer of this.layers) y = layer.forward(y);
    return y;
  }
}
