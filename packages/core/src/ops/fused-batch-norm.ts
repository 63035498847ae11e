/**
 * Batch norm in training as one Function on a backend's fused kernels (FusedKernels.BatchNorm and
 * BatchNormGrad): forward reads x twice and writes y once, backward reads dy and x once for the
 * channel sums (the weight's and bias's gradients among them) and once more to write dx, where the
 * composed ops make some fifteen passes over [N, C, H, W]. Only the channel statistics are saved.
 */
import { carriesTangents } from '../autograd/forward-ad.js';
import { defineFunction } from '../autograd/function.js';
import { isGradEnabled } from '../autograd/grad-mode.js';
import { type BatchNormAttrs, type BatchNormGradAttrs, FusedKernels } from '../kernels.js';
import type { Tensor } from '../tensor.js';
import { runKernel } from './dispatch.js';
import { hasFusedNorm, standardized, throughStandardize } from './fused-norm.js';
import { reshape } from './shape-ops.js';

/** Whether the fused kernels normalize `x` here (see hasFusedNorm). */
export const hasFusedBatchNorm = (x: Tensor, weight: Tensor | null, bias: Tensor | null): boolean =>
  hasFusedNorm([FusedKernels.BatchNorm, FusedKernels.BatchNormGrad], x, weight, bias);

/** The axes of [N, C, S] a channel's statistics run over. */
const AXES = [0, 2];

/** [C] as [1, C, 1], against [N, C, S]. */
const perChannel = (t: Tensor) => reshape(t, [1, t.shape[0] as number, 1]);

/**
 * (x [N, C, S], weight [C] | null, bias [C] | null, eps) → [y, the batch's mean [C], its biased
 * variance [C]]; the statistics are for the running ones and get no gradient.
 */
export const FusedBatchNorm = defineFunction({
  name: 'BatchNorm',
  forward(ctx, x: Tensor, weight: Tensor | null, bias: Tensor | null, eps: number) {
    const inputs = [x, ...(weight ? [weight] : []), ...(bias ? [bias] : [])];
    const attrs: BatchNormAttrs = { eps, weight: weight !== null, bias: bias !== null };
    const [y, mean, variance, rstd] = runKernel<Tensor[]>(FusedKernels.BatchNorm, inputs, attrs) as [Tensor, Tensor, Tensor, Tensor];
    ctx.eps = eps;
    ctx.hasWeight = weight !== null;
    ctx.saveForBackward(x, mean, rstd, ...(weight ? [weight] : []));
    ctx.markNonDifferentiable(mean, variance);
    return [y, mean, variance];
  },
  // Per channel: dx = w·rstd·(dy − mean(dy) − x̂·mean(dy·x̂)), dw = Σ dy·x̂, db = Σ dy.
  backward(ctx, dy) {
    const [x, mean, rstd, weight] = ctx.savedTensors as [Tensor, Tensor, Tensor, Tensor | undefined];
    const [needX, needWeight, needBias] = ctx.needsInputGrad;
    if (dy === null || !(needX || needWeight || needBias)) return [null, null, null, null];
    if (!isGradEnabled() && !carriesTangents(dy, x, ...(weight ? [weight] : []))) {
      const attrs: BatchNormGradAttrs = { weight: ctx.hasWeight };
      const [dx, dw, db] = runKernel<Tensor[]>(FusedKernels.BatchNormGrad, [dy, x, mean, rstd, ...(weight ? [weight] : [])], attrs);
      return [needX ? dx : null, needWeight ? dw : null, needBias ? db : null, null];
    }
    // Recording the backward (createGraph) or carrying tangents: the saved statistics are constants
    // to autograd, so x̂ and rstd are rebuilt from x for the second derivative to reach them.
    const { xhat, rstd: r } = standardized(x, AXES, ctx.eps);
    const g = weight ? dy.mul(perChannel(weight)) : dy;
    return [
      needX ? throughStandardize(g, xhat, r, AXES) : null,
      needWeight ? dy.mul(xhat).sum(AXES) : null,
      needBias ? dy.sum(AXES) : null,
      null,
    ];
  },
  materializeGrads: false,
  // d y = (rstd·(t − mean(t) − x̂·mean(t·x̂)))·w + x̂·t_w + t_b, from x's own ops so a tangent's tangent exists.
  jvp(ctx, tx, tWeight, tBias) {
    const [x, , , weight] = ctx.savedTensors as [Tensor, Tensor, Tensor, Tensor | undefined];
    const { xhat, rstd } = standardized(x, AXES, ctx.eps);
    let t: Tensor | null = null;
    if (tx !== null) {
      const tXhat = throughStandardize(tx, xhat, rstd, AXES);
      t = weight ? tXhat.mul(perChannel(weight)) : tXhat;
    }
    if (tWeight !== null) t = t ? t.add(xhat.mul(perChannel(tWeight))) : xhat.mul(perChannel(tWeight));
    if (tBias !== null) t = t ? t.add(perChannel(tBias)) : perChannel(tBias).broadcastTo(x.shape);
    return [t, null, null];
  },
});
