/**
 * Layer norm over the last axis as one Function on a backend's fused kernels (FusedKernels.LayerNorm
 * and LayerNormGrad): forward reads each row twice and writes it once, backward reads dy and x once
 * each, where the composed ops (mean, subtract, square, mean, rsqrt, multiply, then the affine)
 * make some ten passes and as many temporaries. Only the row statistics are saved, as PyTorch's
 * native_layer_norm saves them.
 */
import { carriesTangents } from '../autograd/forward-ad.js';
import { defineFunction } from '../autograd/function.js';
import { isGradEnabled } from '../autograd/grad-mode.js';
import { FusedKernels, type LayerNormAttrs, type LayerNormGradAttrs } from '../kernels.js';
import type { Tensor } from '../tensor.js';
import { runKernel } from './dispatch.js';
import { hasFusedNorm, standardized, throughStandardize } from './fused-norm.js';

/** Whether the fused kernels normalize `x` here (see hasFusedNorm). */
export const hasFusedLayerNorm = (x: Tensor, weight: Tensor | null, bias: Tensor | null): boolean =>
  hasFusedNorm([FusedKernels.LayerNorm, FusedKernels.LayerNormGrad], x, weight, bias);

/** A row's values: the axis of [R, N] its statistics run over. */
const ROW = [1];

/** (x [R, N], weight [N] | null, bias [N] | null, eps) → layer norm of each row, then the affine. */
export const FusedLayerNorm = defineFunction({
  name: 'LayerNorm',
  forward(ctx, x: Tensor, weight: Tensor | null, bias: Tensor | null, eps: number) {
    const inputs = [x, ...(weight ? [weight] : []), ...(bias ? [bias] : [])];
    const attrs: LayerNormAttrs = { eps, weight: weight !== null, bias: bias !== null };
    const [y, mean, rstd] = runKernel<Tensor[]>(FusedKernels.LayerNorm, inputs, attrs) as [Tensor, Tensor, Tensor];
    ctx.eps = eps;
    ctx.hasWeight = weight !== null;
    ctx.saveForBackward(x, mean, rstd, ...(weight ? [weight] : []));
    return y;
  },
  // dx = rstd·(g − mean(g) − x̂·mean(g·x̂)) with g = dy·w; dw = Σ_rows dy·x̂; db = Σ_rows dy.
  backward(ctx, dy) {
    const [x, mean, rstd, weight] = ctx.savedTensors as [Tensor, Tensor, Tensor, Tensor | undefined];
    const [needX, needWeight, needBias] = ctx.needsInputGrad;
    const db = needBias ? dy.sum(0) : null;
    if (!needX && !needWeight) return [null, null, db, null];
    if (!isGradEnabled() && !carriesTangents(dy, x, ...(weight ? [weight] : []))) {
      const attrs: LayerNormGradAttrs = { weight: ctx.hasWeight, weightGrad: !!needWeight };
      const out = runKernel<Tensor | Tensor[]>(FusedKernels.LayerNormGrad, [dy, x, mean, rstd, ...(weight ? [weight] : [])], attrs);
      const [dx, dyXhat] = Array.isArray(out) ? (out as [Tensor, Tensor]) : [out, null];
      return [needX ? dx : null, dyXhat ? dyXhat.sum(0) : null, db, null];
    }
    // Recording the backward (createGraph) or carrying tangents: the saved statistics are constants
    // to autograd, so x̂ and rstd are rebuilt from x for the second derivative to reach them.
    const { xhat, rstd: r } = standardized(x, ROW, ctx.eps);
    const g = weight ? dy.mul(weight) : dy;
    return [needX ? throughStandardize(g, xhat, r, ROW) : null, needWeight ? dy.mul(xhat).sum(0) : null, db, null];
  },
  materializeGrads: false,
  // d y = (rstd·(t − mean(t) − x̂·mean(t·x̂)))·w + x̂·t_w + t_b, from x's own ops so a tangent's tangent exists.
  jvp(ctx, tx, tWeight, tBias) {
    const [x, , , weight] = ctx.savedTensors as [Tensor, Tensor, Tensor, Tensor | undefined];
    const { xhat, rstd } = standardized(x, ROW, ctx.eps);
    let t: Tensor | null = null;
    if (tx !== null) {
      const tXhat = throughStandardize(tx, xhat, rstd, ROW);
      t = weight ? tXhat.mul(weight) : tXhat;
    }
    if (tWeight !== null) t = t ? t.add(xhat.mul(tWeight)) : xhat.mul(tWeight);
    if (tBias !== null) t = t ? t.add(tBias) : tBias.broadcastTo(x.shape);
    return t;
  },
});
