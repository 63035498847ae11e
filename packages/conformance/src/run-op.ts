/**
 * Each op name of ops.json, called through surrograd's public API with the golden's kwargs.
 * The Python side (scripts/goldens/torch_ops.py) maps the same names to PyTorch.
 */
import {
  adaptiveAvgPool2d,
  avgPool2d,
  type BinaryOpName,
  batchNorm,
  binaryOps,
  concat,
  conv1d,
  conv2d,
  convTranspose2d,
  einsum,
  embedding,
  eye,
  fold,
  gather,
  groupNorm,
  interpolate,
  layerNorm,
  leakyRelu,
  linspace,
  maximum,
  maxPool2d,
  minimum,
  nn,
  oneHot,
  type Tensor,
  tensor,
  type UnaryOpName,
  unaryOps,
  unflatten,
  unfold,
  where,
} from '@surrograd/core';

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
/** Several outputs as one tensor, as scripts/goldens/torch_ops.py's _pieces: piece i flattened, times i + 1, concatenated. */
const optional = (args: OpArg[], i: number): Tensor | undefined => (args[i] === undefined ? undefined : t(args, i));
/** A running statistic given as a list (batch norm updates it in place), or null. */
const stat = (v: unknown): Tensor | null => (Array.isArray(v) ? tensor(v as number[]) : null);
const pieces = (parts: Tensor[]): Tensor => concat(parts.map((p, i) => p.reshape([p.size]).mul(i + 1)));

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
  // The vocabulary (scripts/goldens/ops_vocabulary.py)
  narrow: (a, kw) => t(a, 0).narrow(kw.dim as number, kw.start as number, kw.length as number),
  select: (a, kw) => t(a, 0).select(kw.dim as number, kw.index as number),
  unbind: (a, kw) => pieces(t(a, 0).unbind(num(kw, 'dim'))),
  chunk: (a, kw) => pieces(t(a, 0).chunk(kw.chunks as number, num(kw, 'dim'))),
  split: (a, kw) => pieces(t(a, 0).split(kw.splitSizeOrSections as number | number[], num(kw, 'dim'))),
  expand: (a, kw) => t(a, 0).expand(kw.sizes as number[]),
  repeat: (a, kw) => t(a, 0).repeat(kw.repeats as number[]),
  indexSelect: (a, kw) => t(a, 0).indexSelect(kw.dim as number, t(a, 1)),
  flip: (a, kw) => t(a, 0).flip(kw.dims as number[]),
  roll: (a, kw) => t(a, 0).roll(kw.shifts as number | number[], kw.dims as number | number[] | undefined),
  var: (a, kw) => t(a, 0).var(axis(kw), { keepDims: keepDims(kw), correction: num(kw, 'correction') }),
  std: (a, kw) => t(a, 0).std(axis(kw), { keepDims: keepDims(kw), correction: num(kw, 'correction') }),
  norm: (a, kw) => t(a, 0).norm(kw.p === 'Infinity' ? Number.POSITIVE_INFINITY : num(kw, 'p'), axis(kw), keepDims(kw)),
  tril: (a, kw) => t(a, 0).tril(num(kw, 'diagonal')),
  triu: (a, kw) => t(a, 0).triu(num(kw, 'diagonal')),
  outer: (a) => t(a, 0).outer(t(a, 1)),
  sortValues: (a, kw) => t(a, 0).sort(num(kw, 'dim'), { descending: kw.descending as boolean | undefined })[0],
  sortIndices: (a, kw) => t(a, 0).sort(num(kw, 'dim'), { descending: kw.descending as boolean | undefined })[1],
  topkValues: (a, kw) => t(a, 0).topk(kw.k as number, num(kw, 'dim'), { largest: kw.largest as boolean | undefined })[0],
  topkIndices: (a, kw) => t(a, 0).topk(kw.k as number, num(kw, 'dim'), { largest: kw.largest as boolean | undefined })[1],
  prod: (a, kw) => t(a, 0).prod(axis(kw), keepDims(kw)),
  cumsum: (a, kw) => t(a, 0).cumsum(kw.dim as number),
  remainder: (a) => t(a, 0).remainder(operand(a)),
  hypot: (a) => t(a, 0).hypot(operand(a)),
  lerp: (a) => t(a, 0).lerp(operand(a), a[2] as OpArg),
  any: (a, kw) => t(a, 0).any(axis(kw), keepDims(kw)),
  all: (a, kw) => t(a, 0).all(axis(kw), keepDims(kw)),
  isnan: (a) => t(a, 0).isnan(),
  oneHot: (a, kw) => oneHot(t(a, 0), kw.numClasses as number),
  linspace: (_a, kw) => linspace(kw.start as number, kw.end as number, kw.steps as number),
  einsum: (a, kw) => einsum(kw.equation as string, ...a.map((_, i) => t(a, i))),
  eye: (_a, kw) => eye(kw.n as number, num(kw, 'm')),
  // The layers' functional forms (scripts/goldens/ops_layers.py)
  conv2d: (a, kw) => conv2d(t(a, 0), t(a, 1), a[2] === undefined ? null : t(a, 2), kw),
  conv1d: (a, kw) => conv1d(t(a, 0), t(a, 1), a[2] === undefined ? null : t(a, 2), kw),
  unfold: (a, kw) => unfold(t(a, 0), kw.kernelSize as number | [number, number], kw),
  maxPool2d: (a, kw) => maxPool2d(t(a, 0), kw.kernelSize as number | [number, number], kw),
  avgPool2d: (a, kw) => avgPool2d(t(a, 0), kw.kernelSize as number | [number, number], kw),
  adaptiveAvgPool2d: (a, kw) => adaptiveAvgPool2d(t(a, 0), kw.outputSize as number | [number | null, number | null]),
  layerNorm: (a, kw) =>
    layerNorm(t(a, 0), kw.normalizedShape as number[], { weight: optional(a, 1), bias: optional(a, 2), eps: num(kw, 'eps') }),
  groupNorm: (a, kw) => groupNorm(t(a, 0), kw.numGroups as number, { weight: optional(a, 1), bias: optional(a, 2), eps: num(kw, 'eps') }),
  batchNorm: (a, kw) => {
    const [mean, variance] = [stat(kw.runningMean), stat(kw.runningVar)];
    const y = batchNorm(t(a, 0), mean, variance, {
      weight: optional(a, 1),
      bias: optional(a, 2),
      training: kw.training as boolean | undefined,
      momentum: num(kw, 'momentum'),
      eps: num(kw, 'eps'),
    });
    mean?.dispose();
    variance?.dispose();
    return y;
  },
  batchNormRunningStats: (a, kw) => {
    const [mean, variance] = [stat(kw.runningMean) as Tensor, stat(kw.runningVar) as Tensor];
    batchNorm(t(a, 0), mean, variance, { training: true, momentum: num(kw, 'momentum') }).dispose();
    const both = concat([mean, variance]);
    mean.dispose();
    variance.dispose();
    return both;
  },
  embedding: (a, kw) => embedding(t(a, 0), t(a, 1), { paddingIdx: num(kw, 'paddingIdx') }),
  unflatten: (a, kw) => unflatten(t(a, 0), kw.dim as number, kw.sizes as number[]),
  convTranspose2d: (a, kw) => convTranspose2d(t(a, 0), t(a, 1), a[2] === undefined ? null : t(a, 2), kw),
  interpolate: (a, kw) => interpolate(t(a, 0), kw),
  fold: (a, kw) => fold(t(a, 0), kw.outputSize as [number, number], kw.kernelSize as number | [number, number], kw),
};

/** A row of core's elementwise table runs as its function, so a new row needs no runner here. */
function tableRunner(op: string): OpFn | undefined {
  if (Object.hasOwn(unaryOps, op)) return (a) => unaryOps[op as UnaryOpName](t(a, 0));
  if (Object.hasOwn(binaryOps, op)) return (a) => binaryOps[op as BinaryOpName](t(a, 0), operand(a));
  return undefined;
}

export function runOp(op: string, args: OpArg[], kwargs: Kwargs = {}): Tensor {
  const fn = OPS[op] ?? tableRunner(op);
  if (!fn) throw new Error(`the conformance kit has no runner for op '${op}' (golden file newer than the kit?)`);
  return fn(args, kwargs);
}
