/**
 * Gather and its adjoint, scatter-add, as differentiable Functions: the data movement behind
 * `gather`, `indexSelect`, unfold (im2col) and fold. Kept out of the public exports; the ops that
 * validate their arguments (shape-ops.ts's `gather`, conv.ts's `fold`) call them.
 */
import { type DifferentiableFunction, defineFunction } from '../autograd/function.js';
import type { Tensor } from '../tensor.js';
import { runKernel } from './dispatch.js';

export const Gather: DifferentiableFunction<[Tensor, Tensor, number], Tensor> = defineFunction({
  name: 'Gather',
  forward(ctx, x: Tensor, indices: Tensor, axis: number) {
    ctx.saveForBackward(indices);
    ctx.axis = axis;
    ctx.inShape = x.shape;
    return runKernel('Gather', [x, indices], { axis });
  },
  backward(ctx, dy) {
    const [indices] = ctx.savedTensors as [Tensor];
    return [scatterAdd(dy, indices, ctx.axis, ctx.inShape), null, null];
  },
  jvp(ctx, t) {
    const [indices] = ctx.savedTensors as [Tensor];
    return Gather(t as Tensor, indices, ctx.axis);
  },
});

const ScatterAdd: DifferentiableFunction<[Tensor, Tensor, number, number[]], Tensor> = defineFunction({
  name: 'ScatterAdd',
  forward(ctx, updates: Tensor, indices: Tensor, axis: number, shape: number[]) {
    ctx.saveForBackward(indices);
    ctx.axis = axis;
    ctx.shape = shape;
    return runKernel('ScatterAdd', [updates, indices], { axis, shape });
  },
  backward(ctx, dy) {
    const [indices] = ctx.savedTensors as [Tensor];
    return [Gather(dy, indices, ctx.axis), null, null, null];
  },
  jvp(ctx, t) {
    const [indices] = ctx.savedTensors as [Tensor];
    return ScatterAdd(t as Tensor, indices, ctx.axis, ctx.shape);
  },
});

/** Zeros of `shape` with `updates` added at `indices` along `axis`: Gather's adjoint, differentiable. */
export function scatterAdd(updates: Tensor, indices: Tensor, axis: number, shape: number[]): Tensor {
  return ScatterAdd(updates, indices, axis, [...shape]);
}
