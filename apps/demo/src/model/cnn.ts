import { nn, type Tensor } from '@surrograd/core';
import { type ActivationChoice, resolveActivation } from './activations.js';
import { describeModel, type ModelName } from './describe.js';

/** One activation as a module, so that forward hooks can observe its output. */
class ActivationLayer extends nn.Module {
  constructor(private readonly fn: (x: Tensor) => Tensor) {
    super();
  }

  forward(x: Tensor): Tensor {
    return this.fn(x);
  }
}

/** The convolutional nets the demo trains on 28×28 images. */
export type ConvNetName = Exclude<ModelName, 'mlp' | 'snn'>;

interface Layout {
  features: nn.Module[];
  classifier: nn.Module[];
  /** Units per example after each activation. */
  hiddenSizes: number[];
}

/**
 * LeNet-5, as PyTorch users write it: conv 6@5×5 (padding 2), pool, conv 16@5×5, pool, then 120,
 * 84 and 10 units.
 */
function lenet(a: () => nn.Module, s: number): Layout {
  return {
    features: [
      new nn.Conv2d(1, 6, 5, { padding: 2, seed: s }),
      a(),
      new nn.MaxPool2d(2),
      new nn.Conv2d(6, 16, 5, { seed: s + 2 }),
      a(),
      new nn.MaxPool2d(2),
    ],
    classifier: [
      new nn.Flatten(),
      new nn.Linear(400, 120, { seed: s + 4 }),
      a(),
      new nn.Linear(120, 84, { seed: s + 6 }),
      a(),
      new nn.Linear(84, 10, { seed: s + 8 }),
    ],
    hiddenSizes: [6 * 28 * 28, 16 * 10 * 10, 120, 84],
  };
}

/**
 * A small VGG-style net: two blocks of two 3×3 convs (16 then 32 channels, padding 1) each followed
 * by a 2×2 max pool, then 128 and 10 units; with `batchNorm`, a BatchNorm2d after each conv (before
 * its activation), as VGG-BN. Without it, dying units can show, as SUGAR's VGG-16 setting.
 */
function vgg(a: () => nn.Module, s: number, batchNorm: boolean): Layout {
  const block = (cin: number, cout: number, seed: number) => [
    new nn.Conv2d(cin, cout, 3, { padding: 1, seed }),
    ...(batchNorm ? [new nn.BatchNorm2d(cout)] : []),
    a(),
  ];
  return {
    features: [
      ...block(1, 16, s),
      ...block(16, 16, s + 2),
      new nn.MaxPool2d(2),
      ...block(16, 32, s + 4),
      ...block(32, 32, s + 6),
      new nn.MaxPool2d(2),
    ],
    classifier: [new nn.Flatten(), new nn.Linear(32 * 7 * 7, 128, { seed: s + 8 }), a(), new nn.Linear(128, 10, { seed: s + 10 })],
    hiddenSizes: [16 * 784, 16 * 784, 32 * 196, 32 * 196, 128],
  };
}

/**
 * A convolutional classifier for 28×28 digits whose activations can be observed (for sparsity and
 * dead units). Inputs arrive as flat rows of 784 pixels and are viewed as [N, 1, 28, 28].
 */
export class CNN extends nn.Module {
  readonly features: nn.Sequential;
  readonly classifier: nn.Sequential;
  readonly hiddenSizes: number[];
  /** The activations, in order, for the hidden-activity probes. */
  private readonly probes: nn.Module[] = [];

  constructor(
    readonly activation: ActivationChoice,
    seed: number,
    /** Which net: LeNet-5 ('cnn'), or the VGG-style net without or with BatchNorm. */
    readonly kind: ConvNetName = 'cnn',
  ) {
    super();
    const act = resolveActivation(activation);
    const a = () => {
      const layer = new ActivationLayer(act);
      this.probes.push(layer);
      return layer;
    };
    const layout = kind === 'cnn' ? lenet(a, seed * 1009) : vgg(a, seed * 1009, kind === 'vgg-bn');
    this.features = new nn.Sequential(...layout.features);
    this.classifier = new nn.Sequential(...layout.classifier);
    this.hiddenSizes = layout.hiddenSizes;
  }

  /** The first layer's weight, whose gradient norm the trainer reports. */
  get firstWeight(): Tensor {
    return (this.features.layers[0] as nn.Conv2d).weight;
  }

  /** A short description for logs and reports. */
  describe(): string {
    return describeModel(this.kind, []);
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
