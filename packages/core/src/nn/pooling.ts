import { type AvgPool2dOptions, adaptiveAvgPool2d, avgPool2d, type MaxPool2dOptions, maxPool2d } from '../ops/pool.js';
import type { Tensor } from '../tensor.js';
import { Module } from './module.js';

/** Max pooling (PyTorch's `nn.MaxPool2d`); the stride defaults to the kernel size. */
export class MaxPool2d extends Module {
  constructor(
    readonly kernelSize: number | readonly [number, number],
    readonly options: MaxPool2dOptions = {},
  ) {
    super();
  }
  /** maxPool2d(x) for x [N, C, H, W] or [C, H, W]. */
  forward(x: Tensor): Tensor {
    return maxPool2d(x, this.kernelSize, this.options);
  }
}

/** Average pooling (PyTorch's `nn.AvgPool2d`). */
export class AvgPool2d extends Module {
  constructor(
    readonly kernelSize: number | readonly [number, number],
    readonly options: AvgPool2dOptions = {},
  ) {
    super();
  }
  /** avgPool2d(x) for x [N, C, H, W] or [C, H, W]. */
  forward(x: Tensor): Tensor {
    return avgPool2d(x, this.kernelSize, this.options);
  }
}

/** Average pooling to a fixed output size (PyTorch's `nn.AdaptiveAvgPool2d`). */
export class AdaptiveAvgPool2d extends Module {
  constructor(readonly outputSize: number | readonly [number | null, number | null]) {
    super();
  }
  /** adaptiveAvgPool2d(x) for x [N, C, H, W] or [C, H, W]. */
  forward(x: Tensor): Tensor {
    return adaptiveAvgPool2d(x, this.outputSize);
  }
}
