import { describe } from '../autograd/function.js';
import { type DType, isFloat, promoteTypes } from '../dtype.js';
import { Tensor, type TensorLike } from '../tensor.js';
import { cast } from './cast.js';
import { full } from './creation.js';

/** A number as a 0-d tensor of `dtype` on the current backend. */
export function scalarOf(value: number, dtype: DType): Tensor {
  return full([], value, { dtype });
}

function dtypeOfNumber(v: number, other: DType): DType {
  if (isFloat(other)) return other;
  return Number.isInteger(v) ? (other === 'bool' ? 'int32' : other) : 'float32';
}

/**
 * Two operands as tensors of one dtype, PyTorch's promotion: a number takes the tensor's dtype
 * (float32 if the number is fractional and the tensor is not float).
 */
export function binaryOperands(op: string, a: TensorLike, b: TensorLike): [Tensor, Tensor] {
  const at = a instanceof Tensor;
  const bt = b instanceof Tensor;
  if (!at && typeof a !== 'number') throw new TypeError(`${op}: first operand is ${describe(a)}, expected a Tensor or a number`);
  if (!bt && typeof b !== 'number') throw new TypeError(`${op}: second operand is ${describe(b)}, expected a Tensor or a number`);
  if (at) a.assertAlive(op);
  if (bt) b.assertAlive(op);
  let dtype: DType;
  if (at && bt) dtype = promoteTypes(a.dtype, b.dtype);
  else if (at) dtype = promoteTypes(a.dtype, dtypeOfNumber(b as number, a.dtype));
  else if (bt) dtype = promoteTypes(b.dtype, dtypeOfNumber(a as number, b.dtype));
  else dtype = 'float32';
  return [asDType(a, dtype), asDType(b, dtype)];
}

export function asDType(v: TensorLike, dtype: DType): Tensor {
  if (typeof v === 'number') return scalarOf(v, dtype);
  return v.dtype === dtype ? v : cast(v, dtype);
}
