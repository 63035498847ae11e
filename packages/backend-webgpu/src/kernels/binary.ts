import type { BinaryAttrs, BinaryOp, KernelFn, TensorInfo } from '@surrograd/core';
import { broadcastShapes } from '@surrograd/core';
import type { WebGpuBackend } from '../backend.js';
import { I32_DIV, I32_POW } from '../wgsl/int-math.js';
import { mathHelpers } from '../wgsl/math.js';
import { pick } from './common.js';
import { donatedOperand, elementwise, wordType } from './elementwise.js';

/** f32: [expression of a and b, helpers]. maximum/minimum propagate NaN, pow has JavaScript's special cases. */
const FLOAT: Record<BinaryOp, [string, string[]]> = {
  add: ['a + b', []],
  sub: ['a - b', []],
  mul: ['a * b', []],
  div: ['a / b', []],
  pow: ['f_pow(a, b)', ['pow']],
  maximum: ['f_max(a, b)', ['compare']],
  minimum: ['f_min(a, b)', ['compare']],
};

/** i32, wrapping as typed arrays do; division truncates and x / 0 is 0. */
const INT: Record<BinaryOp, [string, string]> = {
  add: ['a + b', ''],
  sub: ['a - b', ''],
  mul: ['a * b', ''],
  div: ['i32_div(a, b)', I32_DIV],
  pow: ['i32_pow(a, b)', I32_POW],
  maximum: ['max(a, b)', ''],
  minimum: ['min(a, b)', ''],
};

const fill = (expr: string, a: string, b: string) => expr.replace(/\ba\b/g, a).replace(/\bb\b/g, b);

/** [a, b] → op(a, b), broadcast, dtype of a. bool computes as integers and stores x != 0. */
export const binary: KernelFn<WebGpuBackend, BinaryAttrs> = (args) => {
  const { inputs, attrs, backend } = args;
  const [a, b] = inputs as [TensorInfo, TensorInfo];
  const [floatExpr, floatHelpers] = pick('Binary', 'op', FLOAT, attrs.op);
  const shape = broadcastShapes('Binary', a.shape, b.shape);
  let expr: string;
  let helpers: string;
  if (a.dtype === 'float32') {
    expr = fill(floatExpr, 'v0', 'v1');
    helpers = mathHelpers(floatHelpers);
  } else {
    const [intExpr, intHelpers] = INT[attrs.op];
    helpers = intHelpers;
    expr = a.dtype === 'bool' ? `select(0u, 1u, ${fill(intExpr, 'i32(v0)', 'i32(v1)')} != 0)` : fill(intExpr, 'v0', 'v1');
  }
  const type = wordType(a.dtype);
  return elementwise(backend, {
    key: `Binary:${attrs.op}:${a.dtype}`,
    operands: [
      { data: backend.dataOf(a, 'Binary'), shape: a.shape, type },
      { data: backend.dataOf(b, 'Binary'), shape: b.shape, type: wordType(b.dtype) },
    ],
    outShape: shape,
    outDType: a.dtype,
    outType: type,
    expr,
    helpers,
    donated: donatedOperand(args, shape, a.dtype),
  });
};
