import type { CompareAttrs, CompareOp, KernelFn, LogicalAttrs, LogicalOp, TensorInfo } from '@surrograd/core';
import { broadcastShapes } from '@surrograd/core';
import type { WebGpuBackend } from '../backend.js';
import { mathHelpers } from '../wgsl/math.js';
import { pick } from './common.js';
import { elementwise, wordType } from './elementwise.js';

/** f32 comparisons go through NaN-aware helpers: NaN compares false except under ne (IEEE). */
const FLOAT: Record<CompareOp, string> = {
  lt: 'f_lt(v0, v1)',
  le: 'f_le(v0, v1)',
  gt: 'f_gt(v0, v1)',
  ge: 'f_ge(v0, v1)',
  eq: 'f_eq(v0, v1)',
  ne: 'f_ne(v0, v1)',
};

const INT: Record<CompareOp, string> = {
  lt: 'v0 < v1',
  le: 'v0 <= v1',
  gt: 'v0 > v1',
  ge: 'v0 >= v1',
  eq: 'v0 == v1',
  ne: 'v0 != v1',
};

/** [a, b] → bool, broadcast. */
export const compare: KernelFn<WebGpuBackend, CompareAttrs> = ({ inputs, attrs, backend }) => {
  const [a, b] = inputs as [TensorInfo, TensorInfo];
  const floatExpr = pick('Compare', 'op', FLOAT, attrs.op);
  const isFloat = a.dtype === 'float32';
  const type = wordType(a.dtype);
  return elementwise(backend, {
    key: `Compare:${attrs.op}:${a.dtype}`,
    operands: [
      { data: backend.dataOf(a, 'Compare'), shape: a.shape, type },
      { data: backend.dataOf(b, 'Compare'), shape: b.shape, type },
    ],
    outShape: broadcastShapes('Compare', a.shape, b.shape),
    outDType: 'bool',
    outType: 'u32',
    expr: `select(0u, 1u, ${isFloat ? floatExpr : INT[attrs.op]})`,
    helpers: isFloat ? mathHelpers(['compare']) : '',
  });
};

const LOGICAL: Record<LogicalOp, string> = { and: 'v0 & v1', or: 'v0 | v1', xor: 'v0 ^ v1' };

/** [a, b] bool → bool, broadcast; bool words hold only 0 and 1, so bitwise ops suffice. */
export const logical: KernelFn<WebGpuBackend, LogicalAttrs> = ({ inputs, attrs, backend }) => {
  const [a, b] = inputs as [TensorInfo, TensorInfo];
  const expr = pick('Logical', 'op', LOGICAL, attrs.op);
  return elementwise(backend, {
    key: `Logical:${attrs.op}`,
    operands: [
      { data: backend.dataOf(a, 'Logical'), shape: a.shape, type: 'u32' },
      { data: backend.dataOf(b, 'Logical'), shape: b.shape, type: 'u32' },
    ],
    outShape: broadcastShapes('Logical', a.shape, b.shape),
    outDType: 'bool',
    outType: 'u32',
    expr,
  });
};
