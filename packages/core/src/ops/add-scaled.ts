/**
 * PyTorch's `alpha` of add and sub: add(a, b, { alpha }) is a + alpha·b and sub(a, b, { alpha })
 * is a − alpha·b, the update every optimizer makes (SGD's p.add(d, { alpha: -lr })). On a backend
 * with the fused kernel (FusedKernels.AddScaled), float32 operands of one shape take one pass
 * instead of a multiply and an add, with the same rounding as those two.
 */
import { defineFunction } from '../autograd/function.js';
import { isFloat } from '../dtype.js';
import { FusedKernels } from '../kernels.js';
import { hasKernel } from '../registry.js';
import { scoped } from '../scope.js';
import { broadcastShapes, shapesEqual, show } from '../shape.js';
import type { Tensor, TensorLike } from '../tensor.js';
import { runKernel } from './dispatch.js';
import { binaryOps } from './elementwise.js';
import { binaryOperands } from './operands.js';

/** Options of {@link add} and {@link sub}, as torch.add's and torch.sub's. */
export interface AlphaOptions {
  /** The multiplier of the second operand (default 1): a + alpha·b, a − alpha·b. An integer for int32 operands. */
  alpha?: number;
}

/** (a, b, alpha) → a + alpha·b, a and b float32 of one shape. */
const AddScaled = defineFunction({
  name: 'AddScaled',
  forward(ctx, a: Tensor, b: Tensor, alpha: number) {
    ctx.alpha = alpha;
    return runKernel<Tensor>(FusedKernels.AddScaled, [a, b], { alpha });
  },
  backward: (ctx, dy) => [ctx.needsInputGrad[0] ? dy : null, ctx.needsInputGrad[1] ? dy.mul(ctx.alpha as number) : null, null],
  materializeGrads: false,
  jvp(ctx, ta, tb) {
    const scaled = tb === null ? null : tb.mul(ctx.alpha as number);
    return ta && scaled ? ta.add(scaled) : (ta ?? scaled);
  },
});

/**
 * Elementwise a + b with numpy broadcasting; a number operand takes the tensor's dtype, and mixed
 * dtypes promote as in PyTorch (see {@link TensorLike}). With `alpha`, a + alpha·b, as torch.add.
 */
export function add(a: TensorLike, b: TensorLike, options?: AlphaOptions): Tensor {
  return options === undefined ? binaryOps.add(a, b) : withAlpha('add', a, b, options);
}

/** Elementwise a - b with numpy broadcasting. With `alpha`, a - alpha·b, as torch.sub. */
export function sub(a: TensorLike, b: TensorLike, options?: AlphaOptions): Tensor {
  return options === undefined ? binaryOps.sub(a, b) : withAlpha('sub', a, b, options);
}

/** a + alpha·b (`op` 'add') or a − alpha·b ('sub'), with PyTorch's promotion and its rules for alpha. */
function withAlpha(op: 'add' | 'sub', a: TensorLike, b: TensorLike, options: AlphaOptions): Tensor {
  const plain = binaryOps[op];
  // torch.add(a, b, 2) is an error too (alpha is keyword-only): never a silently ignored number.
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`${op}: the third argument must be options such as { alpha: 2 }, got ${show(options)}`);
  }
  if (options.alpha === undefined) return plain(a, b);
  const { alpha } = options;
  if (typeof alpha !== 'number') throw new TypeError(`${op}: alpha must be a number, got ${show(alpha)}`);
  if (alpha === 1) return plain(a, b);
  return scoped(() => {
    const [x, y] = binaryOperands(op, a, b);
    if (x.dtype === 'bool')
      throw new TypeError(`${op}: alpha is not supported for bool operands (got alpha ${show(alpha)}); cast them first`);
    if (!isFloat(x.dtype) && !Number.isInteger(alpha)) {
      throw new TypeError(`${op}: alpha must be an integer for ${x.dtype} operands, got ${show(alpha)}; cast them to float32 first`);
    }
    broadcastShapes(op, x.shape, y.shape);
    const scale = op === 'sub' ? -alpha : alpha;
    if (x.dtype === 'float32' && shapesEqual(x.shape, y.shape) && hasKernel(FusedKernels.AddScaled, x.backend.name)) {
      return AddScaled(x, y, scale);
    }
    return binaryOps.add(x, binaryOps.mul(y, scale));
  });
}
