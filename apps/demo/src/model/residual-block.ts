import { nn, type Tensor } from '@surrograd/core';

/**
 * ResNet's basic block: conv 3×3 (stride s) → BatchNorm → activation → conv 3×3 → BatchNorm, plus
 * the shortcut (the input itself, or a 1×1 conv with stride s and BatchNorm when the shape changes),
 * then the activation. Its two activations are modules made by `activation`, so the net's probes see them.
 */
export class ResidualBlock extends nn.Module {
  readonly conv1: nn.Conv2d;
  readonly bn1: nn.BatchNorm2d;
  readonly act1: nn.Module;
  readonly conv2: nn.Conv2d;
  readonly bn2: nn.BatchNorm2d;
  readonly shortcut: nn.Sequential | null;
  readonly act2: nn.Module;

  constructor(cin: number, cout: number, stride: number, activation: () => nn.Module, seed: number) {
    super();
    this.conv1 = new nn.Conv2d(cin, cout, 3, { stride, padding: 1, bias: false, seed });
    this.bn1 = new nn.BatchNorm2d(cout);
    this.act1 = activation();
    this.conv2 = new nn.Conv2d(cout, cout, 3, { padding: 1, bias: false, seed: seed + 2 });
    this.bn2 = new nn.BatchNorm2d(cout);
    this.shortcut =
      stride !== 1 || cin !== cout
        ? new nn.Sequential(new nn.Conv2d(cin, cout, 1, { stride, bias: false, seed: seed + 4 }), new nn.BatchNorm2d(cout))
        : null;
    this.act2 = activation();
  }

  forward(x: Tensor): Tensor {
    const h = this.act1.forward(this.bn1.forward(this.conv1.forward(x)));
    const y = this.bn2.forward(this.conv2.forward(h));
    return this.act2.forward(y.add(this.shortcut ? this.shortcut.forward(x) : x));
  }
}
