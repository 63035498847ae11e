import type { Backend } from '../backend.js';
import { describe } from '../describe.js';
import { type DType, isFloat, promoteTypes } from '../dtype.js';
import { currentBackend, onBackend } from '../registry.js';
import { fmt, show } from '../shape.js';
import { Tensor, type TensorLike } from '../tensor.js';
import { cast } from './cast.js';
import { full, INT32_MAX, INT32_MIN } from './creation.js';

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
  if (at && bt) assertSameBackend(op, a, b);
  let dtype: DType;
  if (at && bt) dtype = promoteTypes(a.dtype, b.dtype);
  else if (at) dtype = promoteTypes(a.dtype, dtypeOfNumber(b as number, a.dtype));
  else if (bt) dtype = promoteTypes(b.dtype, dtypeOfNumber(a as number, b.dtype));
  else dtype = 'float32';
  if (dtype === 'int32') {
    // A number that int32 can't hold is an error rather than a silent wrap (PyTorch wraps).
    const n = !at ? a : !bt ? b : undefined;
    if (n !== undefined && (n < INT32_MIN || n > INT32_MAX)) {
      throw new RangeError(
        `${op}: the number ${show(n)} does not fit the other operand's int32 (${INT32_MIN} to ${INT32_MAX}); cast the tensor to float32 first`,
      );
    }
  }
  // A number goes to the other operand's backend, whichever backend is current.
  const backend = at ? a.backend : bt ? b.backend : currentBackend();
  return [asDType(a, dtype, backend), asDType(b, dtype, backend)];
}

/** Throws naming `op`, the backends and the shapes when the tensors do not all live on one backend. */
export function assertSameBackend(op: string, ...tensors: Tensor[]): void {
  const first = tensors[0];
  for (let i = 1; i < tensors.length; i++) {
    const t = tensors[i] as Tensor;
    if (first && t.backend !== first.backend) {
      throw new Error(
        `${op}: operand ${i} ${fmt(t.shape)} is on backend '${t.backend.name}' but operand 0 ${fmt(first.shape)} is on '${first.backend.name}'; move one first (e.g. tensor(await x.data()) after setBackend)`,
      );
    }
  }
}

export function asDType(v: TensorLike, dtype: DType, backend: Backend = currentBackend()): Tensor {
  if (typeof v === 'number') return onBackend(backend, () => scalarOf(v, dtype));
  return v.dtype === dtype ? v : cast(v, dtype);
}
