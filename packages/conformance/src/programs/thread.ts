/**
 * The programs of the forum thread "ReLU forward, leaky ReLU backward", written with
 * defineFunction exactly as a surrograd user writes them (compare scripts/goldens/make_thread.py).
 */
import { AutogradFunction, defineFunction, type FunctionCtx, type Tensor, where } from '@surrograd/core';

/** Forward ReLU; backward scales the gradient by 0.1 where x < 0 (x == 0 passes it whole). */
export const NSReLU = defineFunction({
  name: 'NSReLU',
  forward(ctx, x: Tensor) {
    ctx.saveForBackward(x);
    return x.relu();
  },
  backward(ctx, dy: Tensor) {
    const [x] = ctx.savedTensors as [Tensor];
    return where(x.lt(0), dy.mul(0.1), dy);
  },
});

/**
 * NSReLU exactly as the thread writes it: the mask kept on ctx (`self.neg = x < 0`) and the
 * backward's in-place masked multiply on a clone (`grad_input[self.neg] *= 0.1`).
 */
export const NSReLUAsWritten = defineFunction({
  name: 'NSReLU',
  forward(ctx, x: Tensor) {
    ctx.neg = x.lt(0);
    return x.clamp(0);
  },
  backward(ctx, dy: Tensor) {
    const g = dy.clone();
    g.mul_(where(ctx.neg as Tensor, 0.1, 1));
    return g;
  },
});

/** The value of xForward, the gradient to xBackward: summed to its shape by hand. */
export const FWBWMismatch = defineFunction({
  name: 'FWBWMismatch',
  forward(ctx, xForward: Tensor, xBackward: Tensor) {
    ctx.backwardShape = xBackward.shape;
    return xForward.clone();
  },
  backward(ctx, dy: Tensor) {
    return [null, dy.sumToSize(ctx.backwardShape as number[])];
  },
});

/** As FWBWMismatch, but leaving the summing to defineFunction (a gradient of the broadcast shape). */
export const FWBWMismatchAutoSum = defineFunction({
  name: 'FWBWMismatchAutoSum',
  forward(_ctx, xForward: Tensor, _xBackward: Tensor) {
    return xForward.clone();
  },
  backward(_ctx, dy: Tensor) {
    return [null, dy];
  },
});

/** As FWBWMismatch, but forward returns its input itself, as the thread's code does. */
export const FWBWMismatchIdentity = defineFunction({
  name: 'FWBWMismatchIdentity',
  forward(ctx, xForward: Tensor, xBackward: Tensor) {
    ctx.backwardShape = xBackward.shape;
    return xForward;
  },
  backward(ctx, dy: Tensor) {
    return [null, dy.sumToSize(ctx.backwardShape as number[])];
  },
});

/** A hand-written leaky ReLU with a non-tensor slope; derivative x > 0 ? 1 : slope, as PyTorch's. */
export const LeakyReLU = defineFunction({
  name: 'LeakyReLU',
  forward(ctx, x: Tensor, negativeSlope: number) {
    ctx.saveForBackward(x);
    ctx.negativeSlope = negativeSlope;
    return where(x.gt(0), x, x.mul(negativeSlope));
  },
  backward(ctx, dy: Tensor) {
    const [x] = ctx.savedTensors as [Tensor];
    return [where(x.gt(0), dy, dy.mul(ctx.negativeSlope as number)), null];
  },
});

/** LeakyReLU in torch 2.x's style: forward without ctx, then setupContext saves what backward needs. */
export const LeakyReLUSetupContext = defineFunction({
  name: 'LeakyReLU',
  forward: (x: Tensor, negativeSlope: number) => where(x.gt(0), x, x.mul(negativeSlope)),
  setupContext(ctx, [x, negativeSlope]) {
    ctx.saveForBackward(x);
    ctx.negativeSlope = negativeSlope;
  },
  backward(ctx, dy: Tensor) {
    const [x] = ctx.savedTensors as [Tensor];
    return [where(x.gt(0), dy, dy.mul(ctx.negativeSlope as number)), null];
  },
});

/** The same as a class with a static setupContext. */
export class LeakyReLUSetupContextClass extends AutogradFunction {
  static override forward(x: Tensor, negativeSlope: number): Tensor {
    return where(x.gt(0), x, x.mul(negativeSlope));
  }
  static setupContext(ctx: FunctionCtx, [x, negativeSlope]: [Tensor, number]): void {
    ctx.saveForBackward(x);
    ctx.negativeSlope = negativeSlope;
  }
  static override backward(ctx: FunctionCtx, dy: Tensor): (Tensor | null)[] {
    const [x] = ctx.savedTensors as [Tensor];
    return [where(x.gt(0), dy, dy.mul(ctx.negativeSlope as number)), null];
  }
}

/** LeakyReLU whose forward also returns non-tensor values: they pass through, and backward gets the one tensor output's gradient. */
export const LeakyReLUWithInfo = defineFunction({
  name: 'LeakyReLUWithInfo',
  forward(ctx, x: Tensor, negativeSlope: number) {
    ctx.saveForBackward(x);
    ctx.negativeSlope = negativeSlope;
    return [negativeSlope, where(x.gt(0), x, x.mul(negativeSlope)), 'leaky'] as const;
  },
  backward(ctx, dy: Tensor, ...rest: Tensor[]) {
    if (rest.length !== 0) throw new Error(`LeakyReLUWithInfo: backward got ${1 + rest.length} gradients, expected 1`);
    const [x] = ctx.savedTensors as [Tensor];
    return [where(x.gt(0), dy, dy.mul(ctx.negativeSlope as number)), null];
  },
});
