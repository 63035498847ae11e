/**
 * The kernel contract: every name core dispatches, with its inputs and attrs.
 * A backend implements these; `@surrograd/conformance` checks them. Broadcasting (numpy rules) is
 * done by the kernels that say so; core has already validated shapes and dtypes before dispatch.
 */
import type { DerivativeKind, ForwardKind } from './activations/kinds.js';
import type { DType } from './dtype.js';
import type { BinaryOpName, CompareOpName, LogicalOpName, UnaryOpName } from './elementwise/table.js';

/** Elementwise ops of the `Unary` kernel, one per row of `UNARY_TABLE` (elementwise/table.ts); each keeps the input dtype except logicalNot (bool). */
export type UnaryOp = UnaryOpName;
/** Elementwise ops of the `Binary` kernel, one per row of `BINARY_TABLE`, on two operands of the same dtype. */
export type BinaryOp = BinaryOpName;
/** Comparisons of the `Compare` kernel, one per row of `COMPARE_TABLE`; the result is bool. */
export type CompareOp = CompareOpName;
/** Boolean ops of the `Logical` kernel, one per row of `LOGICAL_TABLE`, on bool operands. */
export type LogicalOp = LogicalOpName;
/** Reductions of the `Reduce` kernel; max/min propagate NaN, and reducing no elements gives sum 0, prod 1. */
export type ReduceOp = 'sum' | 'max' | 'min' | 'prod';
/** Index searches of the `ArgReduce` kernel. */
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

/**
 * Optional fused kernels: a backend may register any of them, and core uses one when the tensors'
 * backend has it, composing the kernels above otherwise. Each must equal that composition within
 * float32 rounding; the conformance kit checks it on backends that register them.
 */
export const FusedKernels = {
  /**
   * [logits float32 [N, C], labels int32 [N]] → [loss float32 [] = mean over i of
   * (logsumexp(logits[i]) - logits[i, labels[i]]), probs float32 [N, C] = softmax(logits) by row].
   * N, C ≥ 1; core has checked every label is in [0, C).
   */
  SoftmaxCrossEntropy: 'SoftmaxCrossEntropy',
  /** [dloss float32 [], probs [N, C], labels int32 [N]] → dlogits = (probs - onehot(labels)) · dloss / N. */
  SoftmaxCrossEntropyGrad: 'SoftmaxCrossEntropyGrad',
  /**
   * [x float32, rank ≥ 1, at least one element] → softmax over the last axis, x's shape: each row
   * shifted by its max (by 0 where the max is infinite or NaN, as logSumExp), e^(x − max) / Σ.
   */
  Softmax: 'Softmax',
  /** As Softmax: (x − max) − ln Σ e^(x − max) over the last axis. */
  LogSoftmax: 'LogSoftmax',
  /**
   * [x float32, float64 or int32, rank ≥ 1] → int32 indices of x's shape: along the last axis, the
   * order that sorts each row stably (PyTorch's sort with stable), NaN the largest value, -0 equal
   * to 0, with `ArgsortAttrs`. core's `argsortRows` computes it on the host.
   */
  Argsort: 'Argsort',
  /**
   * [x float32 [M, K], w [N, K], bias [N]] → x·wᵀ + bias [M, N] (PyTorch's F.linear, its addmm):
   * MatMul's product with transposeB, then the bias added to each row, rounded exactly as that
   * MatMul followed by a Binary add, so that the fused and composed paths agree bit for bit.
   * M, N or K may be 0.
   */
  Linear: 'Linear',
  /**
   * [a float32, b float32 of a's shape] → a + alpha·b, with `AddScaledAttrs` (torch.add's alpha):
   * b times alpha rounded to float32, then added, each rounded as the Binary mul by a float32
   * scalar and the Binary add it replaces (no fused multiply-add).
   */
  AddScaled: 'AddScaled',
  /**
   * [x float [N, C, H, W], w [O, C / groups, kh, kw]] → y [N, O, oh, ow], the cross-correlation of
   * PyTorch's conv2d (no bias), with `Conv2dAttrs`; oh, ow as plan/window.ts's convWindow.
   */
  Conv2d: 'Conv2d',
  /** [dy [N, O, oh, ow], w] → dx of `inputShape`: conv2d's gradient to its input (a transposed conv). */
  Conv2dBackpropInput: 'Conv2dBackpropInput',
  /** [x, dy [N, O, oh, ow]] → dw of `filterShape`: conv2d's gradient to its weight, summed over the batch. */
  Conv2dBackpropFilter: 'Conv2dBackpropFilter',
  /**
   * [x float32 [N, C, H, W]] → [y [N, C, oh, ow], indices int32 [N, C, oh, ow]]: each window's
   * maximum (padding is -Infinity) and the flat index into x of its first maximum, a NaN winning
   * (PyTorch's max_pool2d). Every window holds at least one element of x. Core's backward adds dy
   * at the indices (ScatterAdd), so no gradient kernel is needed.
   */
  MaxPool2d: 'MaxPool2d',
  /**
   * [current float [T, ...N], beta, threshold, graded] → [membranes [T, ...N], spikes [T, ...N]] of
   * a leaky integrate-and-fire neuron from zero state (snnTorch's Leaky, reset delayed a step),
   * with `LifScanAttrs`, H(v) = v > 0 (v ≥ 0 with spikeAtZero), U_{−1} = 0:
   *   R_t = H(U_{t−1} − thr)
   *   U_t = β·U_{t−1} + I_t − R_t·thr          ('subtract')
   *   U_t = β·(1 − R_t)·U_{t−1} + I_t          ('zero')
   *   U_t = β·U_{t−1} + I_t                    ('none')
   *   S_t = H(U_t − thr)·graded
   * beta, threshold and graded each have one element or the shape of one step (...N); beta is used
   * as given (the caller clamps it). One pass: each step reads I_t and writes U_t and S_t.
   */
  LifScan: 'LifScan',
  /**
   * [x float [T, ...N], a, addend?] → y [T, ...N], a first-order linear recurrence over dim 0:
   * y_0 = x_0, y_t = a_t·y_{t−1} + x_t; with `reverse`, y_{T−1} = x_{T−1}, y_t = a_t·y_{t+1} + x_t
   * (backpropagation through time: a_t = ∂U_{t+1}/∂U_t). a has one element, the shape of one step
   * (constant over time), or x's shape. An optional addend of x's shape is added to x first
   * (x_t + addend_t in place of x_t), so two gradients are summed in the same pass.
   */
  LinearScan: 'LinearScan',
  /**
   * [x float32 [R, N], weight [N] (with attrs.weight), bias [N] (with attrs.bias)] → [y [R, N],
   * mean [R], rstd [R]], with `LayerNormAttrs`; R, N ≥ 1. Per row, two passes as PyTorch's
   * F.layer_norm: mean = Σx / N, var = Σ(x − mean)² / N (the biased variance; both sums at least
   * as accurate as float32 pairwise sums), rstd = 1 / √(var + eps), each rounded to float32. Then
   * y = (x − mean)·rstd, ·weight, + bias, each step rounded to float32 as the composed ops round
   * it given those statistics, so a NaN or ±Inf in a row makes that row NaN as theirs does.
   */
  LayerNorm: 'LayerNorm',
  /**
   * [dy float32 [R, N], x [R, N], mean [R], rstd [R], weight [N] (with attrs.weight)] → [dx [R, N]],
   * and with attrs.weightGrad also dy·x̂ [R, N] (its column sums are the weight's gradient), with
   * `LayerNormGradAttrs`: x̂ = (x − mean)·rstd, g = dy·weight (dy without one), and
   * dx = rstd·(g − mean(g) − x̂·mean(g·x̂)), the row means accumulated as LayerNorm's sums.
   */
  LayerNormGrad: 'LayerNormGrad',
  /**
   * [x float32 [N, C, S], weight [C] (with attrs.weight), bias [C] (with attrs.bias)] → [y [N, C, S],
   * mean [C], var [C], rstd [C]], with `BatchNormAttrs`: batch norm with the batch's statistics
   * (training). Per channel, over its N·S values (N·S ≥ 1), as LayerNorm over a row: mean, the
   * biased variance, rstd = 1 / √(var + eps), each rounded to float32, then each y as LayerNorm's
   * with the channel's statistics, weight and bias.
   */
  BatchNorm: 'BatchNorm',
  /**
   * [dy float32 [N, C, S], x, mean [C], rstd [C], weight [C] (with attrs.weight)] → [dx [N, C, S],
   * dweight [C], dbias [C]] with `BatchNormGradAttrs`: per channel, x̂ = (x − mean)·rstd,
   * dbias = Σ dy, dweight = Σ dy·x̂ (sums as BatchNorm's), and
   * dx = weight·rstd·(dy − mean(dy) − x̂·mean(dy·x̂)) (rstd alone without a weight).
   */
  BatchNormGrad: 'BatchNormGrad',
} as const;

/** Attrs of `BatchNorm`. */
export type BatchNormAttrs = LayerNormAttrs;
/** Attrs of `BatchNormGrad`. */
export type BatchNormGradAttrs = {
  /** Whether a weight [C] follows rstd in the inputs. */
  weight: boolean;
};

/** Attrs of `LayerNorm`. */
export type LayerNormAttrs = {
  /** Added to the variance. */
  eps: number;
  /** Whether a weight [N] follows x in the inputs. */
  weight: boolean;
  /** Whether a bias [N] follows them. */
  bias: boolean;
};
/** Attrs of `LayerNormGrad`. */
export type LayerNormGradAttrs = {
  /** Whether a weight [N] follows rstd in the inputs. */
  weight: boolean;
  /** Whether to return dy·x̂ as a second output, for the weight's gradient. */
  weightGrad: boolean;
};

/** Attrs of `AddScaled`: the multiplier of b. */
export type AddScaledAttrs = {
  /** The multiplier of b, as a JavaScript number (kernels round it to float32 first, as a scalar operand is). */
  alpha: number;
};
/** Attrs of `LifScan`: the reset mechanism, and whether a membrane exactly at the threshold spikes. */
export type LifScanAttrs = {
  /** 'subtract' the threshold, set to 'zero', or 'none'. */
  reset: 'subtract' | 'zero' | 'none';
  /** Spike when U − thr ≥ 0 (SpikingJelly's convention) rather than > 0 (snnTorch's). */
  spikeAtZero: boolean;
};
/** Attrs of `Argsort`. */
export type ArgsortAttrs = {
  /** Largest first (NaN first). */
  descending: boolean;
};
/** Attrs of `LinearScan`. */
export type LinearScanAttrs = {
  /** Run from the last step back to the first. */
  reverse: boolean;
};

/** The name of a kernel in the contract, one of the values of {@link Kernels}. */
export type KernelName = (typeof Kernels)[keyof typeof Kernels];

/** Attrs of the `Conv2d` kernels: stride, [top, bottom] and [left, right] zero padding, dilation, groups. */
// (Type aliases, not interfaces: core passes them to runKernel as they are.)
export type Conv2dAttrs = {
  /** Step of the window, [h, w]. */
  stride: [number, number];
  /** Zeros added [top, bottom] and [left, right]. */
  padding: [[number, number], [number, number]];
  /** Spacing of the kernel's elements, [h, w]. */
  dilation: [number, number];
  /** Channel groups: input and output channels split into this many independent convs. */
  groups: number;
};
/** Attrs of `MaxPool2d`: the window's geometry (plan/window.ts's Window2d), output size included. */
export type MaxPool2dAttrs = {
  /** Window height and width. */
  kernel: [number, number];
  /** Step of the window, [h, w]. */
  stride: [number, number];
  /** -Infinity added [top, bottom] and [left, right] (bottom/right may be larger: ceil mode). */
  padding: [[number, number], [number, number]];
  /** Spacing of the window's elements, [h, w]. */
  dilation: [number, number];
  /** Output height and width. */
  output: [number, number];
};
/** Attrs of `Conv2dBackpropInput`: the conv's, and the input's shape [N, C, H, W]. */
export type Conv2dBackpropInputAttrs = Conv2dAttrs & {
  /** The conv's input shape [N, C, H, W]: the gradient's shape. */
  inputShape: [number, number, number, number];
};
/** Attrs of `Conv2dBackpropFilter`: the conv's, and the weight's shape [O, C / groups, kh, kw]. */
export type Conv2dBackpropFilterAttrs = Conv2dAttrs & {
  /** The conv's weight shape [O, C / groups, kh, kw]: the gradient's shape. */
  filterShape: [number, number, number, number];
};

/** Attrs of the `Cast` kernel. */
export interface CastAttrs {
  /** The dtype to convert to. */
  dtype: DType;
}
/** Attrs of the `Unary` kernel. */
export interface UnaryAttrs {
  /** Which elementwise op. */
  op: UnaryOp;
}
/** Attrs of the `Binary` kernel. */
export interface BinaryAttrs {
  /** Which elementwise op. */
  op: BinaryOp;
}
/** Attrs of the `Compare` kernel. */
export interface CompareAttrs {
  /** Which comparison. */
  op: CompareOp;
}
/** Attrs of the `Logical` kernel. */
export interface LogicalAttrs {
  /** Which boolean op. */
  op: LogicalOp;
}
/** Attrs of the `Reduce` kernel. */
export interface ReduceAttrs {
  /** Which reduction. */
  op: ReduceOp;
  /** Axes to reduce, normalized (non-negative), sorted and unique; empty means an identity copy. */
  axes: number[];
  /** Keep reduced axes as size 1 instead of dropping them. */
  keepDims: boolean;
}
/** Attrs of the `ArgReduce` kernel. */
export interface ArgReduceAttrs {
  /** argmax or argmin. */
  op: ArgReduceOp;
  /** The axis to search, normalized (non-negative). */
  axis: number;
  /** Keep the searched axis as size 1 instead of dropping it. */
  keepDims: boolean;
}
/** Attrs of the `MatMul` kernel. */
export interface MatMulAttrs {
  /** Use a's last two dims transposed. */
  transposeA: boolean;
  /** Use b's last two dims transposed. */
  transposeB: boolean;
}
/** Attrs of the `BroadcastTo` kernel. */
export interface BroadcastToAttrs {
  /** The target shape, which x broadcasts to under numpy rules. */
  shape: number[];
}
/** Attrs of the `Transpose` kernel. */
export interface TransposeAttrs {
  /** Output dim i is input dim perm[i]. */
  perm: number[];
}
/** Attrs of the `Slice` kernel. */
export interface SliceAttrs {
  /** Start index per axis, non-negative and in range. */
  begin: number[];
  /** Number of elements per axis (resolved: never -1). */
  size: number[];
}
/** Attrs of the `Pad` kernel. */
export interface PadAttrs {
  /** [before, after] element counts per axis, non-negative. */
  paddings: [number, number][];
  /** The fill value of the padding. */
  value: number;
}
/** Attrs of the `Concat` kernel. */
export interface ConcatAttrs {
  /** The axis to join along, normalized (non-negative). */
  axis: number;
}
/** Attrs of the `Gather` kernel. */
export interface GatherAttrs {
  /** The axis indexed by `indices`, normalized (non-negative). */
  axis: number;
}
/** Attrs of the `ScatterAdd` kernel. */
export interface ScatterAddAttrs {
  /** The axis indexed by `indices`, normalized (non-negative). */
  axis: number;
  /** Shape of the result: that of the gathered-from tensor. */
  shape: number[];
}
/** Attrs of the `Fill` kernel. */
export interface FillAttrs {
  /** Shape of the result. */
  shape: number[];
  /** The value every element gets, converted to `dtype`. */
  value: number;
  /** Element type of the result. */
  dtype: DType;
}
/** Attrs of the `Activation` kernel. */
export interface ActivationAttrs {
  /** A registered forward kind's name (see listForwardKinds). */
  kind: string;
  /** The kind's numeric parameters by name, e.g. { slope: 0.01 }. */
  params: Record<string, number>;
  /** A mask-reading derivative kind whose predicate bits to save alongside y. */
  mask?: string;
  /**
   * The forward kind itself, as core's activation Functions pass it, so the kernel needs no
   * lookup by name (and uses the very kind the Function was built with). Read both through
   * `activationKinds(attrs)`, which looks names up for a direct call.
   */
  forwardKind?: ForwardKind;
  /** The mask's derivative kind itself, with `mask`. */
  maskKind?: DerivativeKind;
}
/** Attrs of the `ActivationGrad` kernel. */
export interface ActivationGradAttrs {
  /** A registered derivative kind's name (see listDerivativeKinds). */
  kind: string;
  /** The kind's numeric parameters by name. */
  params: Record<string, number>;
  /** The derivative kind itself, as core's activation Functions pass it; read through `activationGradKind(attrs)`. */
  derivativeKind?: DerivativeKind;
}
