/**
 * What the fused normalization Functions (fused-layer-norm.ts, fused-batch-norm.ts) share: when a
 * backend can run them, and the differentiable form of their rules, which a recorded backward and
 * every jvp use (the saved statistics are constants to autograd, so x̂ and rstd are rebuilt from x
 * for a second derivative to reach them).
 */
import { hasKernel } from '../registry.js';
import type { Tensor } from '../tensor.js';
import { rsqrt } from './elementwise.js';

/** Whether `kernels` normalize `x` here: float32 operands, something to normalize, a backend that registers them all. */
export function hasFusedNorm(kernels: readonly string[], x: Tensor, weight: Tensor | null, bias: Tensor | null): boolean {
  return (
    x.dtype === 'float32' &&
    x.size > 0 &&
    (weight === null || weight.dtype === 'float32') &&
    (bias === null || bias.dtype === 'float32') &&
    kernels.every((k) => hasKernel(k, x.backend.name))
  );
}

/** x̂ = (x − mean)·rstd and rstd = 1/√(var + eps) over `axes` (kept), from x's own ops. */
export function standardized(x: Tensor, axes: number[], eps: number): { xhat: Tensor; rstd: Tensor } {
  const centered = x.sub(x.mean(axes, true));
  const rstd = rsqrt(centered.square().mean(axes, true).add(eps));
  return { xhat: centered.mul(rstd), rstd };
}

/** rstd·(g − mean(g) − x̂·mean(g·x̂)) over `axes`: a gradient (or, with g a tangent, the tangent) of x̂ carried back to x. */
export function throughStandardize(g: Tensor, xhat: Tensor, rstd: Tensor, axes: number[]): Tensor {
  return rstd.mul(g.sub(g.mean(axes, true)).sub(xhat.mul(g.mul(xhat).mean(axes, true))));
}
