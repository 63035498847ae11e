/**
 * A Linear layer's x·Wᵀ + b as one Function over a backend's fused kernel (FusedKernels.Linear):
 * the bias is added where the product is still in the cache of the thread that computed it,
 * instead of by a second pass over the output. Backward is the product's and the bias's own rules.
 */
import { defineFunction } from '../autograd/function.js';
import { FusedKernels } from '../kernels.js';
import { runKernel } from '../ops/dispatch.js';
import { matmul } from '../ops/matmul.js';
import { broadcastTo } from '../ops/shape-ops.js';
import { hasKernel } from '../registry.js';
import type { Tensor } from '../tensor.js';

/** Whether the fused kernel computes `x`·`w`ᵀ + `bias` here: float32 operands on a backend that registers it. */
export function hasFusedLinear(x: Tensor, w: Tensor, bias: Tensor): boolean {
  return x.dtype === 'float32' && w.dtype === 'float32' && bias.dtype === 'float32' && hasKernel(FusedKernels.Linear, x.backend.name);
}

/** (x [M, K], w [N, K], bias [N]) → x·wᵀ + bias [M, N]. */
export const FusedLinear = defineFunction({
  name: 'Linear',
  forward(ctx, x: Tensor, w: Tensor, bias: Tensor) {
    ctx.saveForBackward(x, w);
    return runKernel<Tensor>(FusedKernels.Linear, [x, w, bias]);
  },
  // dx = dy·W, dW = dyᵀ·x, db = the column sums of dy: MatMul's and a broadcast add's rules.
  backward(ctx, dy) {
    const [x, w] = ctx.savedTensors as [Tensor, Tensor];
    const [needX, needW, needBias] = ctx.needsInputGrad;
    return [needX ? matmul(dy, w) : null, needW ? matmul(dy, x, { transposeA: true }) : null, needBias ? dy.sum(0) : null];
  },
  materializeGrads: false,
  // d(x·Wᵀ + b) = dx·Wᵀ + x·dWᵀ + db.
  jvp(ctx, tx, tw, tBias) {
    const [x, w] = ctx.savedTensors as [Tensor, Tensor];
    let t = tx === null ? null : matmul(tx, w, { transposeB: true });
    if (tw !== null) {
      const right = matmul(x, tw, { transposeB: true });
      t = t ? t.add(right) : right;
    }
    if (tBias !== null) t = t ? t.add(tBias) : broadcastTo(tBias, [x.shape[0] as number, w.shape[0] as number]);
    return t;
  },
});
