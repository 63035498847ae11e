import { nn, type Tensor } from '@surrograd/core';
import { type ActivationChoice, resolveActivation } from './activations.js';

/**
 * A multilayer perceptron whose hidden activations can be observed: `forwardWithHidden` returns
 * each hidden layer's output (after the activation) with the logits, for sparsity and dead units.
 */
export class MLP extends nn.Module {
  readonly layers: nn.Linear[] = [];
  private readonly act: (x: Tensor) => Tensor;

  constructor(
    /** Layer widths from input to output, e.g. [784, 256, 256, 10]. */
    readonly sizes: readonly number[],
    readonly activation: ActivationChoice,
    seed: number,
  ) {
    super();
    if (sizes.length < 2) throw new Error(`MLP: needs at least input and output sizes, got [${sizes.join(', ')}]`);
    this.act = resolveActivation(activation);
    for (let i = 0; i + 1 < sizes.length; i++) {
      // Linear seeds its bias with seed + 1, so layers step by 2 to draw independent numbers.
      this.layers.push(new nn.Linear(sizes[i] as number, sizes[i + 1] as number, { seed: seed * 1009 + 2 * i }));
    }
  }

  get hiddenSizes(): number[] {
    return this.sizes.slice(1, -1);
  }

  forward(x: Tensor): Tensor {
    return this.forwardWithHidden(x).logits;
  }

  forwardWithHidden(x: Tensor): { logits: Tensor; hidden: Tensor[] } {
    const hidden: Tensor[] = [];
    let h = x;
    this.layers.forEach((layer, i) => {
      h = layer.forward(h);
      if (i + 1 < this.layers.length) {
        h = this.act(h);
        hidden.push(h);
      }
    });
    return { logits: h, hidden };
  }
}
