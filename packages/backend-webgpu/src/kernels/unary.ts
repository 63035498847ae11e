import type { DType, KernelFn, TensorInfo, UnaryAttrs, UnaryOp } from '@surrograd/core';
import type { WebGpuBackend } from '../backend.js';
import { F32_TO_I32 } from '../wgsl/int-math.js';
import { mathHelpers } from '../wgsl/math.js';
import { pick } from './common.js';
import { donatedOperand, elementwise, wordType } from './elementwise.js';

/** f32 forms: [WGSL expression of the value `$`, the helpers it needs]. */
const FLOAT: Record<UnaryOp, [string, string[]]> = {
  neg: ['f_neg($)', ['bits']],
  exp: ['f_exp($)', ['exp']],
  log: ['f_log($)', ['log']],
  sqrt: ['f_sqrt($)', ['sqrt']],
  rsqrt: ['1.0 / f_sqrt($)', ['sqrt']],
  abs: ['f_abs($)', ['bits']],
  sign: ['f_sign($)', ['sign']],
  reciprocal: ['1.0 / $', []],
  square: ['$ * $', []],
  sin: ['f_sin($)', ['trig']],
  cos: ['f_cos($)', ['trig']],
  floor: ['f_floor($)', ['round']],
  ceil: ['f_ceil($)', ['round']],
  round: ['f_round($)', ['round']],
  erf: ['f_erf($)', ['erf']],
  log1p: ['f_log1p($)', ['log1p']],
  expm1: ['f_expm1($)', ['expm1']],
  logicalNot: ['select(0u, 1u, !is_nan($) && $ == 0.0)', ['bits']],
};

/** i32 forms that stay in integers (wrapping like the cpu's typed arrays); the rest go through f32. */
const INT: Partial<Record<UnaryOp, string>> = {
  neg: '-$',
  abs: 'abs($)',
  sign: 'select(select(0, -1, $ < 0), 1, $ > 0)',
  square: '$ * $',
  floor: '$',
  ceil: '$',
  round: '$',
  logicalNot: 'select(0u, 1u, $ == 0)',
};

function expression(op: UnaryOp, dtype: DType): { expr: string; helpers: string } {
  const [floatExpr, helpers] = FLOAT[op];
  if (dtype === 'float32') return { expr: floatExpr.replaceAll('$', 'v0'), helpers: mathHelpers(helpers) };
  // int32 and bool (0/1 words read as integers).
  const asInt = dtype === 'bool' ? 'i32(v0)' : 'v0';
  const intExpr = INT[op];
  const result = intExpr ? intExpr.replaceAll('$', asInt) : `f32_to_i32(${floatExpr.replaceAll('$', `f32(${asInt})`)})`;
  const intHelpers = intExpr ? '' : `${mathHelpers(helpers)}\n${F32_TO_I32}`;
  if (op === 'logicalNot' || dtype === 'int32') return { expr: result, helpers: intHelpers };
  return { expr: `select(0u, 1u, ${result} != 0)`, helpers: intHelpers };
}

/** [x] → op(x), dtype of x (logicalNot: bool). */
export const unary: KernelFn<WebGpuBackend, UnaryAttrs> = (args) => {
  const { inputs, attrs, backend } = args;
  const [x] = inputs as [TensorInfo];
  pick('Unary', 'op', FLOAT, attrs.op);
  const outDType = attrs.op === 'logicalNot' ? 'bool' : x.dtype;
  const { expr, helpers } = expression(attrs.op, x.dtype);
  return elementwise(backend, {
    key: `Unary:${attrs.op}:${x.dtype}`,
    operands: [{ data: backend.dataOf(x, 'Unary'), shape: x.shape, type: wordType(x.dtype) }],
    outShape: x.shape,
    outDType,
    outType: wordType(outDType),
    expr,
    helpers,
    donated: donatedOperand(args, x.shape, outDType),
  });
};
