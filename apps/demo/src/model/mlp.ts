import { nn, type Tensor } from '@surrograd/core';
import { type ActivationChoice, resolveActivation } from './activations.js';

/** One hidden activation as a module, so that forward hooks can observe its output. */
class ActivationLayer extends nn.Module {
  constructor(private readonly fn: (x: Tensor) => Tensor) {
    super();
  }

  forward(x: Tensor): Tensor {
    return this.fn(x);
  }
}

/**
 * A multilayer perceptron whose hidden activations can be observed: `forwardWithHidden` returns
 * each hidden layer's output (after the activation) with the logits, for sparsity and dead units,
 * read by forward hooks on the activation modules (as a PyTorch user probes a model).
 */
export class MLP extends nn.Module {
  readonly layers: nn.Linear[] = [];
  /** The activation after each hidden layer, as modules. */
  readonly activations: nn.Module[] = [];

  constructor(
    /** Layer widths from input to output, e.g. [784, 256, 256, 10]. */
    readonly sizes: readonly number[],
    readonly activation: ActivationChoice,
    seed: number,
  ) {
    super();
    if (sizes.length < 2) throw new Error(`MLP: needs at least input and output sizes, got [${sizes.join(', ')}]`);
    const act = resolveActivation(activation);
    for (let i = 0; i + 2 < sizes.length; i++) this.activations.push(new ActivationLayer(act));
    for (let i = 0; i + 1 < sizes.length; i++) {
      // Linear seeds its bias with seed + 1, so layers step by 2 to draw independent numbers.
      this.layers.push(new nn.Linear(sizes[i] as number, sizes[i + 1] as number, { seed: seed * 1009 + 2 * i }));
    }
  }

  readonly kind = 'mlp';

  get hiddenSizes(): number[] {
    return this.sizes.slice(1, -1);
  }

  /** The first layer's weight, whose gradient norm the trainer reports. */
  get firstWeight(): Tensor {
    return (this.layers[0] as nn.Linear).weight;
  }

  /** Each layer's weight, input to output: the trainer reports each one's gradient norm. */
  get layerWeights(): Tensor[] {
    return this.layers.map((l) => l.weight);
  }

  /** A short description for logs and reports. */
  describe(): string {
    return `MLP ${this.sizes.join('-')}`;
  }

  forward(x: Tensor): Tensor {
    let h = x;
    this.layers.forEach((layer, i) => {
      h = layer.forward(h);
      const act = this.activations[i];
      if (act) h = act.forward(h);
    });
    return h;
  }

  /** The logits and each hidden activation, recorded by forward hooks for this one call. */
  forwardWithHidden(x: Tensor): { logits: Tensor; hidden: Tensor[] } {
    const hidden: Tensor[] = [];
    const probes = this.activations.map((m) =>
      m.registerForwardHook((_module, _inputs, output) => {
        hidden.push(output);
      }),
    );
    try {
      return { logits: this.forward(x), hidden };
    } finally {
      for (const probe of probes) probe.remove();
    }
  }
}
