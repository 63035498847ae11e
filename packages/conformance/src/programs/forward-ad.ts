/**
 * The programs of forward-ad.json, written as a surrograd user writes them (compare
 * scripts/goldens/make_forward_ad.py): composites of built-in ops, and custom Functions with a jvp.
 */
import { defineFunction, logSumExp, matmul, softmax, type Tensor, where } from '@surrograd/core';

/** ReLU forward; backward and jvp both use leaky ReLU's derivative (slope 0.1), as the thread asks. */
export const ReluLeakyTangent = defineFunction({
  name: 'ReluLeakyTangent',
  forward(ctx, x: Tensor) {
    ctx.saveForBackward(x);
    ctx.saveForForward(x);
    return x.clamp(0);
  },
  backward(ctx, dy: Tensor) {
    const [x] = ctx.savedTensors as [Tensor];
    return where(x.gt(0), dy, dy.mul(0.1));
  },
  jvp(ctx, t) {
    const [x] = ctx.savedTensors as [Tensor];
    return where(x.gt(0), t as Tensor, (t as Tensor).mul(0.1));
  },
});

/** x · y · scale with a number argument: jvp receives zeros for a tensor input without a tangent. */
export const Product = defineFunction({
  name: 'Product',
  forward(ctx, x: Tensor, y: Tensor, scale: number) {
    ctx.saveForForward(x, y);
    ctx.scale = scale;
    return x.mul(y).mul(scale);
  },
  backward() {
    throw new Error('Product: backward is not used by the kit');
  },
  jvp(ctx, tx, ty) {
    const [x, y] = ctx.savedTensors as [Tensor, Tensor];
    return (tx as Tensor)
      .mul(y)
      .add(x.mul(ty as Tensor))
      .mul(ctx.scale as number);
  },
});

/** A program of forward-ad.json by name; `data` holds mlpLoss's fixed inputs, weights and targets. */
export function forwardAdProgram(name: string, data: readonly Tensor[]): (...xs: Tensor[]) => Tensor {
  const [xs, v, target] = data as [Tensor, Tensor, Tensor];
  const programs: Record<string, (...xs: Tensor[]) => Tensor> = {
    tanhCubed: (x) => (x as Tensor).tanh().pow(3).sum(),
    logSumExpQuad: (x) => logSumExp((x as Tensor).mul(2).add((x as Tensor).mul(x as Tensor)), 0),
    softmaxSigmoid: (x) => softmax(x as Tensor, 0).mul((x as Tensor).sigmoid()),
    reluLeakyTangent: (x) => ReluLeakyTangent(x as Tensor).mul(x as Tensor),
    product: (x, y) => Product(x as Tensor, y as Tensor, 2),
    tanhMatVec: (w, x) => matmul(w as Tensor, x as Tensor).tanh(),
    mlpLoss: (w) =>
      matmul(matmul(xs, w as Tensor).tanh(), v)
        .sub(target)
        .pow(2)
        .mean(),
  };
  const p = programs[name];
  if (!p) throw new Error(`forward-ad.json names an unknown program '${name}'`);
  return p;
}
