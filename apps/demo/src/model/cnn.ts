import { nn, type Tensor } from '@surrograd/core';
import { type ImageShape, MNIST_SHAPE } from '../data/mnist.js';
import { type ActivationChoice, resolveActivation } from './activations.js';
import { describeModel, type ModelName } from './describe.js';
import { ResidualBlock } from './residual-block.js';

/** One activation as a module, so that forward hooks can observe its output. */
class ActivationLayer extends nn.Module {
  constructor(private readonly fn: (x: Tensor) => Tensor) {
    super();
  }

  forward(x: Tensor): Tensor {
    return this.fn(x);
  }
}

/** The convolutional nets the demo trains (on 28×28 digits and clothes, or 3×32×32 CIFAR-10 images). */
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
function lenet(a: () => nn.Module, s: number, input: ImageShape): Layout {
  const { channels, height: h, width: w } = input;
  const [h2, w2] = [Math.floor((Math.floor(h / 2) - 4) / 2), Math.floor((Math.floor(w / 2) - 4) / 2)];
  return {
    features: [
      new nn.Conv2d(channels, 6, 5, { padding: 2, seed: s }),
      a(),
      new nn.MaxPool2d(2),
      new nn.Conv2d(6, 16, 5, { seed: s + 2 }),
      a(),
      new nn.MaxPool2d(2),
    ],
    classifier: [
      new nn.Flatten(),
      new nn.Linear(16 * h2 * w2, 120, { seed: s + 4 }),
      a(),
      new nn.Linear(120, 84, { seed: s + 6 }),
      a(),
      new nn.Linear(84, 10, { seed: s + 8 }),
    ],
    hiddenSizes: [6 * h * w, 16 * (Math.floor(h / 2) - 4) * (Math.floor(w / 2) - 4), 120, 84],
  };
}

/**
 * A small VGG-style net: two blocks of two 3×3 convs (16 then 32 channels, padding 1) each followed
 * by a 2×2 max pool, then 128 and 10 units; with `batchNorm`, a BatchNorm2d after each conv (before
 * its activation), as VGG-BN. Without it, dying units can show, as SUGAR's VGG-16 setting.
 */
function vgg(a: () => nn.Module, s: number, batchNorm: boolean, input: ImageShape): Layout {
  const { channels, height: h, width: w } = input;
  const [h1, w1, h2, w2] = [Math.floor(h / 2), Math.floor(w / 2), Math.floor(h / 4), Math.floor(w / 4)];
  const block = (cin: number, cout: number, seed: number) => [
    new nn.Conv2d(cin, cout, 3, { padding: 1, seed }),
    ...(batchNorm ? [new nn.BatchNorm2d(cout)] : []),
    a(),
  ];
  return {
    features: [
      ...block(channels, 16, s),
      ...block(16, 16, s + 2),
      new nn.MaxPool2d(2),
      ...block(16, 32, s + 4),
      ...block(32, 32, s + 6),
      new nn.MaxPool2d(2),
    ],
    classifier: [new nn.Flatten(), new nn.Linear(32 * h2 * w2, 128, { seed: s + 8 }), a(), new nn.Linear(128, 10, { seed: s + 10 })],
    hiddenSizes: [16 * h * w, 16 * h * w, 32 * h1 * w1, 32 * h1 * w1, 128],
  };
}

/** The ResNet-style net's stage widths: small, so that five seeds of it train on two cores. */
export const RESNET_WIDTHS = [8, 16, 32] as const;

/**
 * A small ResNet-style net (ResNet-8 as He et al. build CIFAR ResNets, narrower): a 3×3 conv stem
 * with BatchNorm, three stages of one basic block each (the last two halve the resolution and
 * double the width), global average pooling and a linear classifier.
 */
function resnet(a: () => nn.Module, s: number, input: ImageShape): Layout {
  const { channels, height: h, width: w } = input;
  const [c1, c2, c3] = RESNET_WIDTHS;
  const [h1, w1] = [Math.ceil(h / 2), Math.ceil(w / 2)];
  const [h2, w2] = [Math.ceil(h1 / 2), Math.ceil(w1 / 2)];
  return {
    features: [
      new nn.Conv2d(channels, c1, 3, { padding: 1, bias: false, seed: s }),
      new nn.BatchNorm2d(c1),
      a(),
      new ResidualBlock(c1, c1, 1, a, s + 2),
      new ResidualBlock(c1, c2, 2, a, s + 8),
      new ResidualBlock(c2, c3, 2, a, s + 14),
      new nn.AdaptiveAvgPool2d(1),
    ],
    classifier: [new nn.Flatten(), new nn.Linear(c3, 10, { seed: s + 20 })],
    hiddenSizes: [c1 * h * w, c1 * h * w, c1 * h * w, c2 * h1 * w1, c2 * h1 * w1, c3 * h2 * w2, c3 * h2 * w2],
  };
}

/**
 * A convolutional classifier whose activations can be observed (for sparsity and dead units).
 * Inputs arrive as flat rows of channels·height·width values and are viewed as images.
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
    /** Which net: LeNet-5 ('cnn'), the VGG-style net without or with BatchNorm, or the ResNet-style net. */
    readonly kind: ConvNetName = 'cnn',
    /** The images it takes (default MNIST's 1×28×28). */
    readonly input: ImageShape = MNIST_SHAPE,
  ) {
    super();
    const act = resolveActivation(activation);
    const a = () => {
      const layer = new ActivationLayer(act);
      this.probes.push(layer);
      return layer;
    };
    const s = seed * 1009;
    const layout = kind === 'cnn' ? lenet(a, s, input) : kind === 'resnet' ? resnet(a, s, input) : vgg(a, s, kind === 'vgg-bn', input);
    this.features = new nn.Sequential(...layout.features);
    this.classifier = new nn.Sequential(...layout.classifier);
    this.hiddenSizes = layout.hiddenSizes;
  }

  /** The first layer's weight, whose gradient norm the trainer reports. */
  get firstWeight(): Tensor {
    return (this.features.layers[0] as nn.Conv2d).weight;
  }

  /** Every conv's and linear layer's weight, input to output: the trainer reports each one's gradient norm. */
  get layerWeights(): Tensor[] {
    const weights: Tensor[] = [];
    const visit = (m: nn.AnyModule) => {
      if (m instanceof nn.Conv2d || m instanceof nn.Linear) weights.push(m.weight);
      else for (const child of m.children()) visit(child);
    };
    visit(this.features);
    visit(this.classifier);
    return weights;
  }

  /** A short description for logs and reports. */
  describe(): string {
    return describeModel(this.kind, [], this.input);
  }

  forward(x: Tensor): Tensor {
    const { channels, height, width } = this.input;
    const images = x.rank === 2 ? x.reshape([x.shape[0] as number, channels, height, width]) : x;
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
