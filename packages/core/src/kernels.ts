/**
 * The kernel contract: every name core dispatches, with its inputs and attrs.
 * A backend implements these; `@surrograd/conformance` checks them. Broadcasting (numpy rules) is
 * done by the kernels that say so; core has already validated shapes and dtypes before dispatch.
 */
import type { DType } from './dtype.js';

export type UnaryOp =
  | 'neg'
  | 'exp'
  | 'log'
  | 'sqrt'
  | 'rsqrt'
  | 'abs'
  | 'sign'
  | 'reciprocal'
  | 'square'
  | 'sin'
  | 'cos'
  | 'floor'
  | 'ceil'
  | 'round'
  | 'erf'
  | 'log1p'
  | 'expm1'
  | 'logicalNot';

export type BinaryOp = 'add' | 'sub' | 'mul' | 'div' | 'pow' | 'maximum' | 'minimum';
export type CompareOp = 'lt' | 'le' | 'gt' | 'ge' | 'eq' | 'ne';
export type LogicalOp = 'and' | 'or' | 'xor';
export type ReduceOp = 'sum' | 'max' | 'min' | 'prod';
export type ArgReduceOp = 'argmax' | 'argmin';

/** Kernel names, with their inputs → output and attrs. */
export const Kernels = {
  /** [x] → x as `dtype`. float→int truncates toward zero; →bool is x != 0. */
  Cast: 'Cast',
  /** [x] → op(x), same dtype (logicalNot: bool). round: half to even (as PyTorch). sign(NaN)=NaN, sign(±0)=0. */
  Unary: 'Unary',
  /** [a, b] → op(a, b), broadcast; a and b have the same dtype. maximum/minimum propagate NaN. */
  Binary: 'Binary',
  /** [a, b] → bool, broadcast; same dtype. */
  Compare: 'Compare',
  /** [a, b] bool → bool, broadcast. */
  Logical: 'Logical',
  /** [cond bool, a, b] → cond ? a : b, all three broadcast; a, b same dtype. */
  Where: 'Where',
  /** [x] → reduce over `axes` (sorted, non-empty or empty = identity copy), `keepDims`. max/min propagate NaN. sum of empty = 0. */
  Reduce: 'Reduce',
  /** [x] → int32 index of the first max/min along `axis` (NaN counts as max). */
  ArgReduce: 'ArgReduce',
  /**
   * [a, b] → a·b over the last two dims, with `transposeA`/`transposeB` applied to those dims,
   * batch dims broadcast. Both inputs have rank ≥ 2 (core reshapes vectors). float dtypes.
   */
  MatMul: 'MatMul',
  /** [x] → x broadcast (numpy rules) to `shape`, materialized. */
  BroadcastTo: 'BroadcastTo',
  /** [x] → x permuted by `perm` (materialized). */
  Transpose: 'Transpose',
  /** [x] → x[begin : begin+size] per axis. */
  Slice: 'Slice',
  /** [x] → x padded with `value`, `paddings[i] = [before, after]`. */
  Pad: 'Pad',
  /** [...xs] → concatenated along `axis`; shapes agree elsewhere. */
  Concat: 'Concat',
  /** [x, indices int32] → shape x.shape[:axis] + indices.shape + x.shape[axis+1:]. Out-of-range index: throw RangeError. */
  Gather: 'Gather',
  /** [updates, indices int32] → zeros of x's shape (`shape` attr) with updates added at indices along `axis` (Gather's adjoint). */
  ScatterAdd: 'ScatterAdd',
  /** [] → `shape` filled with `value` as `dtype`. */
  Fill: 'Fill',
  /**
   * [x] → y = forward kind `kind` (see activations/kinds.ts) with `params`, elementwise, dtype of x.
   * With `mask` (a derivative kind whose `from` is 'mask'): → [y, mask], mask an int32 tensor of
   * ceil(n/32) words, bit i % 32 of word i / 32 set where the kind's predicate holds for x[i].
   */
  Activation: 'Activation',
  /**
   * [dy, saved] → dy · g(saved), g the derivative kind `kind`'s expression with `params`; saved is
   * x, y or the int32 mask, as the kind's `from` says. Fused: one read of each input, one write.
   */
  ActivationGrad: 'ActivationGrad',
} as const;

export type KernelName = (typeof Kernels)[keyof typeof Kernels];

export interface CastAttrs {
  dtype: DType;
}
export interface UnaryAttrs {
  op: UnaryOp;
}
export interface BinaryAttrs {
  op: BinaryOp;
}
export interface CompareAttrs {
  op: CompareOp;
}
export interface LogicalAttrs {
  op: LogicalOp;
}
export interface ReduceAttrs {
  op: ReduceOp;
  axes: number[];
  keepDims: boolean;
}
export interface ArgReduceAttrs {
  op: ArgReduceOp;
  axis: number;
  keepDims: boolean;
}
export interface MatMulAttrs {
  transposeA: boolean;
  transposeB: boolean;
}
export interface BroadcastToAttrs {
  shape: number[];
}
export interface TransposeAttrs {
  perm: number[];
}
export interface SliceAttrs {
  begin: number[];
  size: number[];
}
export interface PadAttrs {
  paddings: [number, number][];
  value: number;
}
export interface ConcatAttrs {
  axis: number;
}
export interface GatherAttrs {
  axis: number;
}
export interface ScatterAddAttrs {
  axis: number;
  shape: number[];
}
export interface FillAttrs {
  shape: number[];
  value: number;
  dtype: DType;
}
export interface ActivationAttrs {
  kind: string;
  params: Record<string, number>;
  /** A mask-reading derivative kind whose predicate bits to save alongside y. */
  mask?: string;
}
export interface ActivationGradAttrs {
  kind: string;
  params: Record<string, number>;
}
