/**
 * Each op name of ops.json, called through surrograd's public API with the golden's kwargs.
 * The Python side (scripts/goldens/torch_ops.py) maps the same names to PyTorch.
 */
import { concat, gather, leakyRelu, maximum, minimum, nn, type Tensor, where } from '@surrograd/core';

export type OpArg = Tensor | number;
type Kwargs = Record<string, unknown>;
type OpFn = (args: OpArg[], kw: Kwargs) => Tensor;

const t = (args: OpArg[], i: number): Tensor => {
  const a = args[i];
  if (typeof a === 'number' || a === undefined) throw new Error(`input ${i} must be a tensor`);
  return a;
};
const num = (kw: Kwargs, key: string): number | undefined => (kw[key] === undefined ? undefined : (kw[key] as number));
const axis = (kw: Kwargs): number | number[] | undefined => kw.axis as number | number[] | undefined;
const keepDims = (kw: Kwargs): boolean => (kw.keepDims as boolean | undefined) ?? false;
const shape = (kw: Kwargs): number[] => kw.shape as number[];
const operand = (args: OpArg[]): OpArg => args[1] as OpArg;

const OPS: Record<string, OpFn> = {
  add: (a) => t(a, 0).add(operand(a)),
  sub: (a) => t(a, 0).sub(operand(a)),
  mul: (a) => t(a, 0).mul(operand(a)),
  div: (a) => t(a, 0).div(operand(a)),
  pow: (a) => t(a, 0).pow(operand(a)),
  neg: (a) => t(a, 0).neg(),
  exp: (a) => t(a, 0).exp(),
  log: (a) => t(a, 0).log(),
  sqrt: (a) => t(a, 0).sqrt(),
  abs: (a) => t(a, 0).abs(),
  relu: (a) => t(a, 0).relu(),
  sigmoid: (a) => t(a, 0).sigmoid(),
  tanh: (a) => t(a, 0).tanh(),
  leakyRelu: (a, kw) => leakyRelu(t(a, 0), { slope: num(kw, 'slope') as number }),
  matmul: (a) => t(a, 0).matmul(t(a, 1)),
  sum: (a, kw) => t(a, 0).sum(axis(kw), keepDims(kw)),
  mean: (a, kw) => t(a, 0).mean(axis(kw), keepDims(kw)),
  max: (a, kw) => t(a, 0).max(axis(kw), keepDims(kw)),
  logSumExp: (a, kw) => t(a, 0).logSumExp(axis(kw), keepDims(kw)),
  softmax: (a, kw) => t(a, 0).softmax(num(kw, 'axis')),
  logSoftmax: (a, kw) => t(a, 0).logSoftmax(num(kw, 'axis')),
  reshape: (a, kw) => t(a, 0).reshape(shape(kw)),
  transpose: (a, kw) => t(a, 0).transpose(num(kw, 'dim0'), num(kw, 'dim1')),
  permute: (a, kw) => t(a, 0).permute(kw.dims as number[]),
  broadcastTo: (a, kw) => t(a, 0).broadcastTo(shape(kw)),
  sumToSize: (a, kw) => t(a, 0).sumToSize(shape(kw)),
  slice: (a, kw) => t(a, 0).slice(kw.begin as number[], kw.size as number[]),
  concat: (a, kw) =>
    concat(
      a.map((_, i) => t(a, i)),
      num(kw, 'axis') as number,
    ),
  gather: (a, kw) => gather(t(a, 0), t(a, 1), num(kw, 'axis') as number),
  clamp: (a, kw) => t(a, 0).clamp(num(kw, 'min'), num(kw, 'max')),
  where: (a) => where(t(a, 0), t(a, 1), t(a, 2)),
  maximum: (a) => maximum(t(a, 0), t(a, 1)),
  minimum: (a) => minimum(t(a, 0), t(a, 1)),
  crossEntropy: (a) => nn.crossEntropy(t(a, 0), t(a, 1)),
  mseLoss: (a) => nn.mseLoss(t(a, 0), t(a, 1)),
};

export function runOp(op: string, args: OpArg[], kwargs: Kwargs = {}): Tensor {
  const fn = OPS[op];
  if (!fn) throw new Error(`the conformance kit has no runner for op '${op}' (golden file newer than the kit?)`);
  return fn(args, kwargs);
}
