import { type DifferentiableFunction, defineFunction } from '../autograd/function.js';
import { isFloat } from '../dtype.js';
import { scoped } from '../scope.js';
import { fmt, tryBroadcastShapes } from '../shape.js';
import { Tensor } from '../tensor.js';
import { runKernel } from './dispatch.js';
import { reshape } from './shape-ops.js';

/**
 * C = op(A)·op(B) where op transposes the last two dims when asked. The backward pass is more
 * matmuls with the transpose flags moved around, so no transpose is ever materialized.
 */
const MatMul: DifferentiableFunction<[Tensor, Tensor, boolean, boolean], Tensor> = defineFunction({
  name: 'MatMul',
  forward(ctx, a: Tensor, b: Tensor, transposeA: boolean, transposeB: boolean) {
    ctx.saveForBackward(a, b);
    ctx.tA = transposeA;
    ctx.tB = transposeB;
    return runKernel('MatMul', [a, b], { transposeA, transposeB });
  },
  backward(ctx, dC): (Tensor | null)[] {
    const [a, b] = ctx.savedTensors as [Tensor, Tensor];
    const [needA, needB] = ctx.needsInputGrad;
    const mm = (x: Tensor, y: Tensor, tx: boolean, ty: boolean): Tensor => MatMul(x, y, tx, ty);
    let dA: Tensor | null = null;
    let dB: Tensor | null = null;
    if (!ctx.tA && !ctx.tB) {
      if (needA) dA = mm(dC, b, false, true);
      if (needB) dB = mm(a, dC, true, false);
    } else if (!ctx.tA && ctx.tB) {
      if (needA) dA = mm(dC, b, false, false);
      if (needB) dB = mm(dC, a, true, false);
    } else if (ctx.tA && !ctx.tB) {
      if (needA) dA = mm(b, dC, false, true);
      if (needB) dB = mm(a, dC, false, false);
    } else {
      if (needA) dA = mm(b, dC, true, true);
      if (needB) dB = mm(dC, a, true, true);
    }
    // Broadcast batch dims are summed back to each input's shape by the Function mechanism.
    return [dA, dB, null, null];
  },
  // d(AB) = dA·B + A·dB, with the same transpose flags.
  materializeGrads: false,
  jvp(ctx, tA, tB) {
    const [a, b] = ctx.savedTensors as [Tensor, Tensor];
    const left = tA === null ? null : MatMul(tA, b, ctx.tA, ctx.tB);
    const right = tB === null ? null : MatMul(a, tB, ctx.tA, ctx.tB);
    return left && right ? left.add(right) : (left ?? right);
  },
});

/** Transpose flags for {@link matmul}, applied to the last two dims without a copy. */
export interface MatmulOptions {
  /** Use the transpose of `a`'s last two dims. */
  transposeA?: boolean;
  /** Use the transpose of `b`'s last two dims. */
  transposeB?: boolean;
}

/**
 * Matrix product with numpy's rules: 1-D operands are promoted to a row/column and squeezed back,
 * batch dimensions broadcast. `transposeA`/`transposeB` transpose the last two dims for free.
 */
export function matmul(a: Tensor, b: Tensor, options: MatmulOptions = {}): Tensor {
  if (!(a instanceof Tensor) || !(b instanceof Tensor)) throw new TypeError('matmul: both operands must be Tensors');
  a.assertAlive('matmul');
  b.assertAlive('matmul');
  const tA = options.transposeA ?? false;
  const tB = options.transposeB ?? false;
  if (a.rank === 0 || b.rank === 0)
    throw new Error(`matmul: operands must have at least 1 dimension, got ${fmt(a.shape)} and ${fmt(b.shape)}`);
  if (!isFloat(a.dtype) || a.dtype !== b.dtype)
    throw new TypeError(`matmul: operands must share a float dtype, got ${a.dtype} and ${b.dtype}`);
  return scoped(() => {
    const a2 = a.rank === 1 ? reshape(a, [1, a.shape[0] as number]) : a;
    const b2 = b.rank === 1 ? reshape(b, [b.shape[0] as number, 1]) : b;
    const ka = a2.shape[a2.rank - (tA ? 2 : 1)];
    const kb = b2.shape[b2.rank - (tB ? 1 : 2)];
    const batch = tryBroadcastShapes(a2.shape.slice(0, -2), b2.shape.slice(0, -2));
    if (ka !== kb || batch === null) {
      throw new Error(
        `matmul: shapes ${fmt(a.shape)}${tA ? 'ᵀ' : ''} and ${fmt(b.shape)}${tB ? 'ᵀ' : ''} are not aligned` +
          (ka !== kb ? ` (inner dimensions ${ka} ≠ ${kb})` : ' (batch dimensions do not broadcast)'),
      );
    }
    const c = MatMul(a2, b2, a.rank === 1 ? false : tA, b.rank === 1 ? false : tB);
    if (a.rank > 1 && b.rank > 1) return c;
    const shape = [...c.shape];
    if (b.rank === 1) shape.splice(shape.length - 1, 1);
    if (a.rank === 1) shape.splice(shape.length - (b.rank === 1 ? 1 : 2), 1);
    return reshape(c, shape);
  });
}
