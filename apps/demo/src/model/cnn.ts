import { nn, type Tensor } from '@surrograd/core';
import { type ActivationChoice, resolveActivation } from './activations.js';

/** One activation as a module, so that forward hooks can observe its output. */
class ActivationLayer extends nn.Module {
  constructor(private readonly fn: (x: Tensor) => Tensor) {
    super();
  }

  forward(x: Tensor): Tensor {
    return this.fn(x);
  }
}

/**
 * LeNet-5 for 28×28 images, as PyTorch users write it: conv 6@5×5 (padding 2), pool, conv 16@5×5,
 * pool, then 120, 84 and 10 units, the chosen activation after each conv and hidden layer. Inputs
 * arrive as flat rows of 784 pixels and are viewed as [N, 1, 28, 28].
 */
export class CNN extends nn.Module {
  readonly kind = 'cnn';
  readonly features: nn.Sequential;
  readonly classifier: nn.Sequential;
  /** The activations, in order, for the hidden-activity probes. */
  private readonly probes: nn.Module[];

  constructor(
    readonly activation: ActivationChoice,
    seed: number,
  ) {
    super();
    const act = resolveActivation(activation);
    const a = () => new ActivationLayer(act);
    const s = seed * 1009;
    this.features = new nn.Sequential(
      new nn.Conv2d(1, 6, 5, { padding: 2, seed: s }),
      a(),
      new nn.MaxPool2d(2),
      new nn.Conv2d(6, 16, 5, { seed: s + 2 }),
      a(),
      new nn.MaxPool2d(2),
    );
    this.classifier = new nn.Sequential(
      new nn.Flatten(),
      new nn.Linear(400, 120, { seed: s + 4 }),
      a(),
      new nn.Linear(120, 84, { seed: s + 6 }),
      a(),
      new nn.Linear(84, 10, { seed: s + 8 }),
    );
    this.probes = [this.features.layers[1], this.features.layers[4], this.classifier.layers[2], this.classifier.layers[4]] as nn.Module[];
  }

  /** Units per example after each activation: two feature maps, then the two hidden layers. */
  get hiddenSizes(): number[] {
    return [6 * 28 * 28, 16 * 10 * 10, 120, 84];
  }

  /** The first layer's weight, whose gradient norm the trainer reports. */
  get firstWeight(): Tensor {
    return (this.features.layers[0] as nn.Conv2d).weight;
  }

  /** A short description for logs and reports. */
  describe(): string {
    return 'CNN LeNet-5 (conv 6@5×5, pool, conv 16@5×5, pool, 120, 84, 10)';
  }

  forward(x: Tensor): Tensor {
    const images = x.rank === 2 ? x.reshape([x.shape[0] as number, 1, 28, 28]) : x;
    return this.classifier.forward(this.features.forward(images));
  }

  /** The logits and each activation's output as [n, units], recorded by forward hooks for this one call. */
  forwardWithHidden(x: Tensor): { logits: Tensor; hidden: Tensor[] } {
    const hidden: Tensor[] = [];
    const hooks = this.probes.map((m) =>
      m.registerForwardHook((_module, _inputs, output) => {
        hidden.push(output.reshape([output.shape[0] as number, -1]));
      }),
    );
    try {
      return { logits: this.forward(x), hidden };
    } finally {
      for (const h of hooks) h.remove();
    }
  }
}
