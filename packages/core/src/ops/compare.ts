/** Comparisons and logic: bool results, outside the graph (as PyTorch's, they have no gradient). */
import { isFloat } from '../dtype.js';
import type { CompareOp, LogicalOp } from '../kernels.js';
import { scoped } from '../scope.js';
import { broadcastShapes } from '../shape.js';
import { Tensor, type TensorLike } from '../tensor.js';
import { cast } from './cast.js';
import { runKernel } from './dispatch.js';
import { unaryOps } from './elementwise.js';
import { assertSameBackend, binaryOperands } from './operands.js';

function compare(op: CompareOp, a: TensorLike, b: TensorLike): Tensor {
  return scoped(() => {
    const [x, y] = binaryOperands(op, a, b);
    broadcastShapes(op, x.shape, y.shape);
    return runKernel('Compare', [x, y], { op });
  });
}

/** Elementwise a < b with broadcasting, as a bool tensor with no gradient. */
export const lt = (a: TensorLike, b: TensorLike): Tensor => compare('lt', a, b);
/** Elementwise a <= b with broadcasting, as a bool tensor with no gradient. */
export const le = (a: TensorLike, b: TensorLike): Tensor => compare('le', a, b);
/** Elementwise a > b with broadcasting, as a bool tensor with no gradient. */
export const gt = (a: TensorLike, b: TensorLike): Tensor => compare('gt', a, b);
/** Elementwise a >= b with broadcasting, as a bool tensor with no gradient. */
export const ge = (a: TensorLike, b: TensorLike): Tensor => compare('ge', a, b);
/** Elementwise a == b with broadcasting, as a bool tensor with no gradient. */
export const eq = (a: TensorLike, b: TensorLike): Tensor => compare('eq', a, b);
/** Elementwise a != b with broadcasting, as a bool tensor with no gradient (true where either is NaN). */
export const ne = (a: TensorLike, b: TensorLike): Tensor => compare('ne', a, b);

function asBool(op: string, t: Tensor): Tensor {
  if (!(t instanceof Tensor)) throw new TypeError(`${op}: expected a Tensor`);
  return t.dtype === 'bool' ? t : cast(t, 'bool');
}

function logical(op: LogicalOp, a: Tensor, b: Tensor): Tensor {
  const name = `logical${op[0]?.toUpperCase()}${op.slice(1)}`;
  return scoped(() => {
    const x = asBool(name, a);
    const y = asBool(name, b);
    assertSameBackend(name, x, y);
    broadcastShapes(name, x.shape, y.shape);
    return runKernel('Logical', [x, y], { op });
  });
}

/** Elementwise AND with broadcasting; non-bool inputs are cast to bool (nonzero is true) first. */
export const logicalAnd = (a: Tensor, b: Tensor): Tensor => logical('and', a, b);
/** Elementwise OR with broadcasting; non-bool inputs are cast to bool (nonzero is true) first. */
export const logicalOr = (a: Tensor, b: Tensor): Tensor => logical('or', a, b);
/** Elementwise XOR with broadcasting; non-bool inputs are cast to bool (nonzero is true) first. */
export const logicalXor = (a: Tensor, b: Tensor): Tensor => logical('xor', a, b);
/** Elementwise NOT; a non-bool input is cast to bool (nonzero is true) first. */
export const logicalNot = (a: Tensor): Tensor => unaryOps.logicalNot(a);

/** True where x is NaN (x != x). */
// biome-ignore lint/suspicious/noShadowRestrictedNames: the tensor op, as PyTorch's isnan
export const isNaN = (x: Tensor): Tensor =>
  isFloat(x.dtype) ? ne(x, x) : runKernel('Fill', [], { shape: [...x.shape], value: 0, dtype: 'bool' });
/** PyTorch's spelling of {@link isNaN}: true where x is NaN. */
export const isnan = (x: Tensor): Tensor => isNaN(x);

/** True where x is neither NaN nor ±Inf. */
// biome-ignore lint/suspicious/noShadowRestrictedNames: the tensor op, as PyTorch's isfinite
export const isFinite = (x: Tensor): Tensor =>
  isFloat(x.dtype) ? scoped(() => x.sub(x).eq(0)) : runKernel('Fill', [], { shape: [...x.shape], value: 1, dtype: 'bool' });
