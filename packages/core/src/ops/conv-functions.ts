/**
 * Convolution's three linear maps as Functions, each the others' gradient:
 *
 *   conv(x, w)            = y   (Conv2d)
 *   backpropInput(dy, w)  = dx  (Conv2dBackpropInput: a transposed conv)
 *   backpropFilter(x, dy) = dw  (Conv2dBackpropFilter)
 *
 * Each is bilinear, so its vjp to one argument is another of the three with the cotangent in that
 * argument's place, and its jvp is itself applied to each tangent in turn. A backend that
 * registers the fused kernel (kernels.ts's FusedKernels) runs it; elsewhere each is composed of
 * im2col (one gather), a batched matmul and fold (one scatter-add) — holding the whole unfolded
 * input, which a fused kernel need not.
 */
import { type DifferentiableFunction, defineFunction } from '../autograd/function.js';
import { type Conv2dAttrs, type Conv2dBackpropFilterAttrs, type Conv2dBackpropInputAttrs, FusedKernels } from '../kernels.js';
import { convWindow, type Pair, type Window2d } from '../plan/window.js';
import { hasKernel } from '../registry.js';
import type { Tensor } from '../tensor.js';
import { runKernel } from './dispatch.js';
import { foldColumns, windowColumns } from './im2col.js';
import { matmul } from './matmul.js';
import { reshape, slice } from './shape-ops.js';

type Shape4 = [number, number, number, number];

const plane = (shape: readonly number[]): Pair => [shape[2] as number, shape[3] as number];

function fused(name: string, t: Tensor): boolean {
  return hasKernel(name, t.backend.name);
}

/** y [N, O, oh, ow] from x [N, C, H, W] and w [O, C / g, kh, kw]: im2col, then one GEMM per group. */
function convComposite(x: Tensor, w: Tensor, attrs: Conv2dAttrs): Tensor {
  const [n] = x.shape as Shape4;
  const [o, cg] = w.shape as Shape4;
  const win: Window2d = convWindow(attrs, plane(x.shape), plane(w.shape));
  const g = attrs.groups;
  const K = win.kernel[0] * win.kernel[1];
  const L = win.output[0] * win.output[1];
  const cols = reshape(windowColumns(x, win), [n, g, cg * K, L]);
  return reshape(matmul(reshape(w, [g, o / g, cg * K]), cols), [n, o, ...win.output]);
}

/** dx [N, C, H, W] from dy [N, O, oh, ow] and w: one GEMM per group (wᵀ·dy), then fold. */
function backpropInputComposite(dy: Tensor, w: Tensor, attrs: Conv2dBackpropInputAttrs): Tensor {
  const [n, , oh, ow] = dy.shape as Shape4;
  const [o, cg] = w.shape as Shape4;
  const win = convWindow(attrs, plane(attrs.inputShape), plane(w.shape), [oh, ow]);
  const g = attrs.groups;
  const K = win.kernel[0] * win.kernel[1];
  const cols = matmul(reshape(w, [g, o / g, cg * K]), reshape(dy, [n, g, o / g, oh * ow]), { transposeA: true });
  return foldColumns(reshape(cols, [n, g * cg, K, oh * ow]), win);
}

/** dw [O, C / g, kh, kw] from x and dy: one GEMM per image and group (dy·colsᵀ), summed over the batch. */
function backpropFilterComposite(x: Tensor, dy: Tensor, attrs: Conv2dBackpropFilterAttrs): Tensor {
  const [n, , oh, ow] = dy.shape as Shape4;
  const [o, cg, kh, kw] = attrs.filterShape;
  const win = convWindow(attrs, plane(x.shape), [kh, kw], [oh, ow]);
  const g = attrs.groups;
  const cols = reshape(windowColumns(x, win), [n, g, cg * kh * kw, oh * ow]);
  const perImage = matmul(reshape(dy, [n, g, o / g, oh * ow]), cols, { transposeB: true });
  return reshape(perImage.sum(0), attrs.filterShape);
}

const geometry = (a: Conv2dAttrs): Conv2dAttrs => ({ stride: a.stride, padding: a.padding, dilation: a.dilation, groups: a.groups });

/**
 * The conv of `g` cropped to dy's plane: the adjoint of backpropInput (and of backpropFilter in dy)
 * is the conv at dy's positions only. A transposed conv whose outputPadding reaches past the
 * stride (allowed up to the dilation) makes a plane whose conv has more positions than dy.
 */
function convAt(g: Tensor, w: Tensor, a: Conv2dAttrs, dy: Tensor): Tensor {
  const y = Conv2dFn(g, w, geometry(a));
  const [n, o, oh, ow] = dy.shape as Shape4;
  return y.shape[2] === oh && y.shape[3] === ow ? y : slice(y, [0, 0, 0, 0], [n, o, oh, ow]);
}

/** The sum of the non-null terms (a jvp with a missing tangent drops its term). */
function sumOf(terms: (Tensor | null)[]): Tensor | null {
  const present = terms.filter((t): t is Tensor => t !== null);
  return present.length === 0 ? null : present.reduce((a, b) => a.add(b));
}

export const Conv2dFn: DifferentiableFunction<[Tensor, Tensor, Conv2dAttrs], Tensor> = defineFunction({
  name: 'Conv2d',
  forward(ctx, x: Tensor, w: Tensor, attrs: Conv2dAttrs) {
    ctx.saveForBackward(x, w);
    ctx.attrs = attrs;
    return fused(FusedKernels.Conv2d, x) ? runKernel(FusedKernels.Conv2d, [x, w], attrs) : convComposite(x, w, attrs);
  },
  backward(ctx, dy) {
    const [x, w] = ctx.savedTensors as [Tensor, Tensor];
    const a = ctx.attrs as Conv2dAttrs;
    return [
      ctx.needsInputGrad[0] ? BackpropInputFn(dy, w, { ...geometry(a), inputShape: [...x.shape] as Shape4 }) : null,
      ctx.needsInputGrad[1] ? BackpropFilterFn(x, dy, { ...geometry(a), filterShape: [...w.shape] as Shape4 }) : null,
      null,
    ];
  },
  jvp(ctx, tx, tw) {
    const [x, w] = ctx.savedTensors as [Tensor, Tensor];
    const a = ctx.attrs as Conv2dAttrs;
    return sumOf([tx ? Conv2dFn(tx, w, a) : null, tw ? Conv2dFn(x, tw, a) : null]);
  },
});

export const BackpropInputFn: DifferentiableFunction<[Tensor, Tensor, Conv2dBackpropInputAttrs], Tensor> = defineFunction({
  name: 'Conv2dBackpropInput',
  forward(ctx, dy: Tensor, w: Tensor, attrs: Conv2dBackpropInputAttrs) {
    ctx.saveForBackward(dy, w);
    ctx.attrs = attrs;
    return fused(FusedKernels.Conv2dBackpropInput, dy)
      ? runKernel(FusedKernels.Conv2dBackpropInput, [dy, w], attrs)
      : backpropInputComposite(dy, w, attrs);
  },
  backward(ctx, g) {
    const [dy, w] = ctx.savedTensors as [Tensor, Tensor];
    const a = ctx.attrs as Conv2dBackpropInputAttrs;
    return [
      ctx.needsInputGrad[0] ? convAt(g, w, a, dy) : null,
      ctx.needsInputGrad[1] ? BackpropFilterFn(g, dy, { ...geometry(a), filterShape: [...w.shape] as Shape4 }) : null,
      null,
    ];
  },
  jvp(ctx, tdy, tw) {
    const [dy, w] = ctx.savedTensors as [Tensor, Tensor];
    const a = ctx.attrs as Conv2dBackpropInputAttrs;
    return sumOf([tdy ? BackpropInputFn(tdy, w, a) : null, tw ? BackpropInputFn(dy, tw, a) : null]);
  },
});

export const BackpropFilterFn: DifferentiableFunction<[Tensor, Tensor, Conv2dBackpropFilterAttrs], Tensor> = defineFunction({
  name: 'Conv2dBackpropFilter',
  forward(ctx, x: Tensor, dy: Tensor, attrs: Conv2dBackpropFilterAttrs) {
    ctx.saveForBackward(x, dy);
    ctx.attrs = attrs;
    return fused(FusedKernels.Conv2dBackpropFilter, x)
      ? runKernel(FusedKernels.Conv2dBackpropFilter, [x, dy], attrs)
      : backpropFilterComposite(x, dy, attrs);
  },
  backward(ctx, g) {
    const [x, dy] = ctx.savedTensors as [Tensor, Tensor];
    const a = ctx.attrs as Conv2dBackpropFilterAttrs;
    return [
      ctx.needsInputGrad[0] ? BackpropInputFn(dy, g, { ...geometry(a), inputShape: [...x.shape] as Shape4 }) : null,
      ctx.needsInputGrad[1] ? convAt(x, g, a, dy) : null,
      null,
    ];
  },
  jvp(ctx, tx, tdy) {
    const [x, dy] = ctx.savedTensors as [Tensor, Tensor];
    const a = ctx.attrs as Conv2dBackpropFilterAttrs;
    return sumOf([tx ? BackpropFilterFn(tx, dy, a) : null, tdy ? BackpropFilterFn(x, tdy, a) : null]);
  },
});
