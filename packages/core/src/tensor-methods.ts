/**
 * Tensor's op methods (`x.add(y)`, `x.sum()`, `x.relu_()`, `x.backward()`), installed on its
 * prototype here rather than written in tensor.ts, as tfjs's chained ops: the class then depends
 * on no op, so ops, autograd and Tensor don't form one import cycle. Each is a one-line forward to
 * the function of the same name.
 */
import * as activations from './activations/library.js';
import { type BackwardOptions, backward as runBackward } from './autograd/backward.js';
import type { DType } from './dtype.js';
import type { BinaryOpName, UnaryOpName } from './elementwise/table.js';
import * as ops from './ops/index.js';
import type { Shape } from './shape.js';
import { Tensor, type TensorLike } from './tensor.js';

/** A method per unary op of the elementwise table: `x.exp()` is `exp(x)`. */
export type UnaryOpMethods = { [K in UnaryOpName]: () => Tensor };
/** A method per binary op of the elementwise table, with this tensor as the first operand: `a.add(b)` is `add(a, b)`. */
export type BinaryOpMethods = { [K in BinaryOpName]: (b: TensorLike) => Tensor };

declare module './tensor.js' {
  interface Tensor extends UnaryOpMethods, BinaryOpMethods {
    /** Accumulates d(this)/d(leaf) into every leaf's `.grad`. A non-scalar needs `grad` (the cotangent). */
    backward(grad?: Tensor | BackwardOptions | null, options?: BackwardOptions): void;
    /** A tensor sharing this one's values, cut from the graph. */
    detach(): Tensor;
    /** Method form of {@link ops.clone | clone}: a new tensor that stays in the graph, as `torch.clone`; buffers are immutable, so no bytes are copied. */
    clone(): Tensor;

    // ---- elementwise ---------------------------------------------------------------------------
    /** Method form of {@link ops.add | add}: this + b, or this + alpha·b with `alpha` (torch.add). */
    add(b: TensorLike, options?: ops.AlphaOptions): Tensor;
    /** Method form of {@link ops.sub | sub}: this - b, or this - alpha·b with `alpha` (torch.sub). */
    sub(b: TensorLike, options?: ops.AlphaOptions): Tensor;
    /** Method form of {@link ops.clamp | clamp}, with this tensor as the first operand. */
    clamp(min?: number | null, max?: number | null): Tensor;
    /** Method form of {@link activations.relu | relu}. */
    relu(): Tensor;
    /** Method form of {@link activations.sigmoid | sigmoid}. */
    sigmoid(): Tensor;
    /** Method form of {@link activations.tanh | tanh}. */
    tanh(): Tensor;

    // ---- in place (PyTorch's trailing underscore; see ops/in-place.ts) --------------------------
    /** Method form of {@link ops.add_ | add_}: this += b (alpha·b with `alpha`) in place; returns this tensor. */
    add_(b: TensorLike, options?: ops.AlphaOptions): this;
    /** Method form of {@link ops.sub_ | sub_}: this -= b (alpha·b with `alpha`) in place. */
    sub_(b: TensorLike, options?: ops.AlphaOptions): this;
    /** Method form of {@link ops.mul_ | mul_}: this *= b in place. */
    mul_(b: TensorLike): this;
    /** Method form of {@link ops.div_ | div_}: this /= b in place. */
    div_(b: TensorLike): this;
    /** Method form of {@link ops.pow_ | pow_}: this **= b in place. */
    pow_(b: TensorLike): this;
    /** Method form of {@link ops.neg_ | neg_}. */
    neg_(): this;
    /** Method form of {@link ops.clamp_ | clamp_}. */
    clamp_(min?: number | null, max?: number | null): this;
    /** relu in place, as PyTorch's `relu_`. */
    relu_(): this;
    /** Method form of {@link ops.zero_ | zero_}. */
    zero_(): this;
    /** Method form of {@link ops.fill_ | fill_}. */
    fill_(value: number): this;
    /** Method form of {@link ops.copy_ | copy_}. */
    copy_(src: Tensor): this;
    /** Method form of {@link ops.maskedFill | maskedFill}. */
    maskedFill(mask: Tensor, value: number | Tensor): Tensor;
    /** Method form of {@link ops.maskedFill_ | maskedFill_}. */
    maskedFill_(mask: Tensor, value: number | Tensor): this;

    // ---- comparisons (bool results, not differentiable) ----------------------------------------
    /** Method form of {@link ops.lt | lt}, with this tensor as the first operand. */
    lt(b: TensorLike): Tensor;
    /** Method form of {@link ops.le | le}, with this tensor as the first operand. */
    le(b: TensorLike): Tensor;
    /** Method form of {@link ops.gt | gt}, with this tensor as the first operand. */
    gt(b: TensorLike): Tensor;
    /** Method form of {@link ops.ge | ge}, with this tensor as the first operand. */
    ge(b: TensorLike): Tensor;
    /** Method form of {@link ops.eq | eq}, with this tensor as the first operand. */
    eq(b: TensorLike): Tensor;
    /** Method form of {@link ops.ne | ne}, with this tensor as the first operand. */
    ne(b: TensorLike): Tensor;
    /** Method form of {@link ops.logicalAnd | logicalAnd}, with this tensor as the first operand. */
    logicalAnd(b: Tensor): Tensor;
    /** Method form of {@link ops.logicalOr | logicalOr}, with this tensor as the first operand. */
    logicalOr(b: Tensor): Tensor;
    /** Method form of {@link ops.isNaN | isNaN}. */
    isNaN(): Tensor;
    /** Method form of {@link ops.isFinite | isFinite}. */
    isFinite(): Tensor;
    /** Method form of {@link ops.cast | cast}, with this tensor as the first operand. */
    cast(dtype: DType): Tensor;

    // ---- reductions ----------------------------------------------------------------------------
    /** Method form of {@link ops.sum | sum}, with this tensor as the first operand. */
    sum(axis?: number | number[] | null, keepDims?: boolean): Tensor;
    /** Method form of {@link ops.mean | mean}, with this tensor as the first operand. */
    mean(axis?: number | number[] | null, keepDims?: boolean): Tensor;
    /** Method form of {@link ops.max | max}, with this tensor as the first operand. */
    max(axis?: number | number[] | null, keepDims?: boolean): Tensor;
    /** Method form of {@link ops.min | min}, with this tensor as the first operand. */
    min(axis?: number | number[] | null, keepDims?: boolean): Tensor;
    /** Method form of {@link ops.logSumExp | logSumExp}, with this tensor as the first operand. */
    logSumExp(axis?: number | number[] | null, keepDims?: boolean): Tensor;
    /** Method form of {@link ops.argmax | argmax}, with this tensor as the first operand. */
    argmax(axis?: number, keepDims?: boolean): Tensor;
    /** Method form of {@link ops.argmin | argmin}, with this tensor as the first operand. */
    argmin(axis?: number, keepDims?: boolean): Tensor;
    /** Method form of {@link ops.softmax | softmax}, with this tensor as the first operand. */
    softmax(axis?: number): Tensor;
    /** Method form of {@link ops.logSoftmax | logSoftmax}, with this tensor as the first operand. */
    logSoftmax(axis?: number): Tensor;

    // ---- linear algebra and shapes -------------------------------------------------------------
    /** Method form of {@link ops.matmul | matmul}, with this tensor as the first operand. */
    matmul(b: Tensor): Tensor;
    /** Method form of {@link ops.reshape | reshape}, with this tensor as the first operand. */
    reshape(shape: Shape): Tensor;
    /** Method form of {@link ops.flatten | flatten}, with this tensor as the first operand. */
    flatten(startDim?: number, endDim?: number): Tensor;
    /** Method form of {@link ops.squeeze | squeeze}, with this tensor as the first operand. */
    squeeze(axis?: number | number[]): Tensor;
    /** Method form of {@link ops.unsqueeze | unsqueeze}, with this tensor as the first operand. */
    unsqueeze(axis: number): Tensor;
    /** Method form of {@link ops.transpose | transpose}, with this tensor as the first operand. */
    transpose(dim0?: number, dim1?: number): Tensor;
    /** Method form of {@link ops.permute | permute}, with this tensor as the first operand. */
    permute(dims: readonly number[]): Tensor;
    /** Method form of {@link ops.broadcastTo | broadcastTo}, with this tensor as the first operand. */
    broadcastTo(shape: Shape): Tensor;
    /** Method form of {@link ops.sumToSize | sumToSize}, with this tensor as the first operand. */
    sumToSize(shape: Shape): Tensor;
    /** Method form of {@link ops.slice | slice}, with this tensor as the first operand. */
    slice(begin: readonly number[], size?: readonly number[]): Tensor;
    /** Method form of {@link ops.gather | gather}, with this tensor as the first operand. */
    gather(indices: Tensor | number[], axis?: number): Tensor;
    // ---- the PyTorch vocabulary (ops/views.ts, statistics.ts, structured.ts) -------------------
    /** Method form of {@link ops.narrow | narrow}. */
    narrow(dim: number, start: number, length: number): Tensor;
    /** Method form of {@link ops.select | select}. */
    select(dim: number, index: number): Tensor;
    /** Method form of {@link ops.unbind | unbind}. */
    unbind(dim?: number): Tensor[];
    /** Method form of {@link ops.chunk | chunk}. */
    chunk(chunks: number, dim?: number): Tensor[];
    /** Method form of {@link ops.split | split}. */
    split(splitSizeOrSections: number | readonly number[], dim?: number): Tensor[];
    /** Method form of {@link ops.expand | expand}. */
    expand(sizes: readonly number[]): Tensor;
    /** Method form of {@link ops.repeat | repeat}. */
    repeat(repeats: readonly number[]): Tensor;
    /** Method form of {@link ops.indexSelect | indexSelect}. */
    indexSelect(dim: number, index: Tensor | readonly number[]): Tensor;
    /** Method form of {@link ops.flip | flip}. */
    flip(dims: readonly number[]): Tensor;
    /** Method form of {@link ops.roll | roll}. */
    roll(shifts: number | readonly number[], dims?: number | readonly number[]): Tensor;
    /** Method form of {@link ops.variance | var}. */
    var(axis?: ops.Axes, options?: ops.VarianceOptions): Tensor;
    /** Method form of {@link ops.std | std}. */
    std(axis?: ops.Axes, options?: ops.VarianceOptions): Tensor;
    /** Method form of {@link ops.norm | norm}. */
    norm(p?: number | 'fro', axis?: ops.Axes, keepDims?: boolean): Tensor;
    /** Method form of {@link ops.tril | tril}. */
    tril(diagonal?: number): Tensor;
    /** Method form of {@link ops.triu | triu}. */
    triu(diagonal?: number): Tensor;
    /** Method form of {@link ops.outer | outer}. */
    outer(b: Tensor): Tensor;
    /** Method form of {@link ops.any | any}. */
    any(axis?: ops.Axes, keepDims?: boolean): Tensor;
    /** Method form of {@link ops.all | all}. */
    all(axis?: ops.Axes, keepDims?: boolean): Tensor;
    /** Method form of {@link ops.hypot | hypot}. */
    hypot(b: TensorLike): Tensor;
    /** Method form of {@link ops.lerp | lerp}. */
    lerp(end: TensorLike, weight: TensorLike): Tensor;
    /** Method form of {@link ops.cumsum | cumsum}. */
    cumsum(dim: number): Tensor;
    /** Method form of {@link ops.isnan | isnan}. */
    isnan(): Tensor;
    /** Method form of {@link ops.prod | prod}. */
    prod(axis?: ops.Axes, keepDims?: boolean): Tensor;
    /** Method form of {@link ops.sort | sort}: [values, int32 indices]. */
    sort(dim?: number, options?: ops.SortOptions): [Tensor, Tensor];
    /** Method form of {@link ops.argsort | argsort}. */
    argsort(dim?: number, options?: ops.SortOptions): Tensor;
    /** Method form of {@link ops.topk | topk}: [values, int32 indices]. */
    topk(k: number, dim?: number, options?: ops.TopkOptions): [Tensor, Tensor];
  }
}

const methods = {
  backward(this: Tensor, grad?: Tensor | BackwardOptions | null, options: BackwardOptions = {}): void {
    if (grad !== undefined && grad !== null && !(grad instanceof Tensor)) {
      runBackward([this], [null], grad);
      return;
    }
    runBackward([this], [grad ?? null], options);
  },
  detach(this: Tensor): Tensor {
    return ops.detach(this);
  },
  clone(this: Tensor): Tensor {
    return ops.clone(this);
  },
  clamp(this: Tensor, min?: number | null, max?: number | null): Tensor {
    return ops.clamp(this, min, max);
  },
  relu(this: Tensor): Tensor {
    return activations.relu(this);
  },
  sigmoid(this: Tensor): Tensor {
    return activations.sigmoid(this);
  },
  tanh(this: Tensor): Tensor {
    return activations.tanh(this);
  },
  add(this: Tensor, b: TensorLike, options?: ops.AlphaOptions): Tensor {
    return ops.add(this, b, options);
  },
  sub(this: Tensor, b: TensorLike, options?: ops.AlphaOptions): Tensor {
    return ops.sub(this, b, options);
  },
  add_(this: Tensor, b: TensorLike, options?: ops.AlphaOptions): Tensor {
    return ops.add_(this, b, options);
  },
  sub_(this: Tensor, b: TensorLike, options?: ops.AlphaOptions): Tensor {
    return ops.sub_(this, b, options);
  },
  mul_(this: Tensor, b: TensorLike): Tensor {
    return ops.mul_(this, b);
  },
  div_(this: Tensor, b: TensorLike): Tensor {
    return ops.div_(this, b);
  },
  pow_(this: Tensor, b: TensorLike): Tensor {
    return ops.pow_(this, b);
  },
  neg_(this: Tensor): Tensor {
    return ops.neg_(this);
  },
  clamp_(this: Tensor, min?: number | null, max?: number | null): Tensor {
    return ops.clamp_(this, min, max);
  },
  relu_(this: Tensor): Tensor {
    return ops.inPlace('relu_', this, (c) => activations.relu(c), []);
  },
  zero_(this: Tensor): Tensor {
    return ops.zero_(this);
  },
  fill_(this: Tensor, value: number): Tensor {
    return ops.fill_(this, value);
  },
  copy_(this: Tensor, src: Tensor): Tensor {
    return ops.copy_(this, src);
  },
  maskedFill(this: Tensor, mask: Tensor, value: number | Tensor): Tensor {
    return ops.maskedFill(this, mask, value);
  },
  maskedFill_(this: Tensor, mask: Tensor, value: number | Tensor): Tensor {
    return ops.maskedFill_(this, mask, value);
  },
  lt(this: Tensor, b: TensorLike): Tensor {
    return ops.lt(this, b);
  },
  le(this: Tensor, b: TensorLike): Tensor {
    return ops.le(this, b);
  },
  gt(this: Tensor, b: TensorLike): Tensor {
    return ops.gt(this, b);
  },
  ge(this: Tensor, b: TensorLike): Tensor {
    return ops.ge(this, b);
  },
  eq(this: Tensor, b: TensorLike): Tensor {
    return ops.eq(this, b);
  },
  ne(this: Tensor, b: TensorLike): Tensor {
    return ops.ne(this, b);
  },
  logicalAnd(this: Tensor, b: Tensor): Tensor {
    return ops.logicalAnd(this, b);
  },
  logicalOr(this: Tensor, b: Tensor): Tensor {
    return ops.logicalOr(this, b);
  },
  isNaN(this: Tensor): Tensor {
    return ops.isNaN(this);
  },
  isFinite(this: Tensor): Tensor {
    return ops.isFinite(this);
  },
  cast(this: Tensor, dtype: DType): Tensor {
    return ops.cast(this, dtype);
  },
  sum(this: Tensor, axis?: number | number[] | null, keepDims = false): Tensor {
    return ops.sum(this, axis, keepDims);
  },
  mean(this: Tensor, axis?: number | number[] | null, keepDims = false): Tensor {
    return ops.mean(this, axis, keepDims);
  },
  max(this: Tensor, axis?: number | number[] | null, keepDims = false): Tensor {
    return ops.max(this, axis, keepDims);
  },
  min(this: Tensor, axis?: number | number[] | null, keepDims = false): Tensor {
    return ops.min(this, axis, keepDims);
  },
  logSumExp(this: Tensor, axis?: number | number[] | null, keepDims = false): Tensor {
    return ops.logSumExp(this, axis, keepDims);
  },
  argmax(this: Tensor, axis = -1, keepDims = false): Tensor {
    return ops.argmax(this, axis, keepDims);
  },
  argmin(this: Tensor, axis = -1, keepDims = false): Tensor {
    return ops.argmin(this, axis, keepDims);
  },
  softmax(this: Tensor, axis = -1): Tensor {
    return ops.softmax(this, axis);
  },
  logSoftmax(this: Tensor, axis = -1): Tensor {
    return ops.logSoftmax(this, axis);
  },
  matmul(this: Tensor, b: Tensor): Tensor {
    return ops.matmul(this, b);
  },
  reshape(this: Tensor, shape: Shape): Tensor {
    return ops.reshape(this, shape);
  },
  flatten(this: Tensor, startDim = 0, endDim = -1): Tensor {
    return ops.flatten(this, startDim, endDim);
  },
  squeeze(this: Tensor, axis?: number | number[]): Tensor {
    return ops.squeeze(this, axis);
  },
  unsqueeze(this: Tensor, axis: number): Tensor {
    return ops.unsqueeze(this, axis);
  },
  transpose(this: Tensor, dim0 = -2, dim1 = -1): Tensor {
    return ops.transpose(this, dim0, dim1);
  },
  permute(this: Tensor, dims: readonly number[]): Tensor {
    return ops.permute(this, dims);
  },
  broadcastTo(this: Tensor, shape: Shape): Tensor {
    return ops.broadcastTo(this, shape);
  },
  sumToSize(this: Tensor, shape: Shape): Tensor {
    return ops.sumToSize(this, shape);
  },
  slice(this: Tensor, begin: readonly number[], size?: readonly number[]): Tensor {
    return ops.slice(this, begin, size);
  },
  gather(this: Tensor, indices: Tensor | number[], axis = 0): Tensor {
    return ops.gather(this, indices, axis);
  },
  narrow(this: Tensor, dim: number, start: number, length: number): Tensor {
    return ops.narrow(this, dim, start, length);
  },
  select(this: Tensor, dim: number, index: number): Tensor {
    return ops.select(this, dim, index);
  },
  unbind(this: Tensor, dim = 0): Tensor[] {
    return ops.unbind(this, dim);
  },
  chunk(this: Tensor, chunks: number, dim = 0): Tensor[] {
    return ops.chunk(this, chunks, dim);
  },
  split(this: Tensor, splitSizeOrSections: number | readonly number[], dim = 0): Tensor[] {
    return ops.split(this, splitSizeOrSections, dim);
  },
  expand(this: Tensor, sizes: readonly number[]): Tensor {
    return ops.expand(this, sizes);
  },
  repeat(this: Tensor, repeats: readonly number[]): Tensor {
    return ops.repeat(this, repeats);
  },
  indexSelect(this: Tensor, dim: number, index: Tensor | readonly number[]): Tensor {
    return ops.indexSelect(this, dim, index);
  },
  flip(this: Tensor, dims: readonly number[]): Tensor {
    return ops.flip(this, dims);
  },
  roll(this: Tensor, shifts: number | readonly number[], dims?: number | readonly number[]): Tensor {
    return ops.roll(this, shifts, dims);
  },
  var(this: Tensor, axis?: ops.Axes, options?: ops.VarianceOptions): Tensor {
    return ops.variance(this, axis, options);
  },
  std(this: Tensor, axis?: ops.Axes, options?: ops.VarianceOptions): Tensor {
    return ops.std(this, axis, options);
  },
  norm(this: Tensor, p: number | 'fro' = 2, axis?: ops.Axes, keepDims = false): Tensor {
    return ops.norm(this, p, axis, keepDims);
  },
  tril(this: Tensor, diagonal = 0): Tensor {
    return ops.tril(this, diagonal);
  },
  triu(this: Tensor, diagonal = 0): Tensor {
    return ops.triu(this, diagonal);
  },
  outer(this: Tensor, b: Tensor): Tensor {
    return ops.outer(this, b);
  },
  any(this: Tensor, axis?: ops.Axes, keepDims = false): Tensor {
    return ops.any(this, axis, keepDims);
  },
  all(this: Tensor, axis?: ops.Axes, keepDims = false): Tensor {
    return ops.all(this, axis, keepDims);
  },
  hypot(this: Tensor, b: TensorLike): Tensor {
    return ops.hypot(this, b);
  },
  lerp(this: Tensor, end: TensorLike, weight: TensorLike): Tensor {
    return ops.lerp(this, end, weight);
  },
  cumsum(this: Tensor, dim: number): Tensor {
    return ops.cumsum(this, dim);
  },
  isnan(this: Tensor): Tensor {
    return ops.isnan(this);
  },
  prod(this: Tensor, axis?: ops.Axes, keepDims = false): Tensor {
    return ops.prod(this, axis, keepDims);
  },
  sort(this: Tensor, dim = -1, options: ops.SortOptions = {}): [Tensor, Tensor] {
    return ops.sort(this, dim, options);
  },
  argsort(this: Tensor, dim = -1, options: ops.SortOptions = {}): Tensor {
    return ops.argsort(this, dim, options);
  },
  topk(this: Tensor, k: number, dim = -1, options: ops.TopkOptions = {}): [Tensor, Tensor] {
    return ops.topk(this, k, dim, options);
  },
};

// The elementwise table's ops, one method each.
const tableMethods: Record<string, (this: Tensor, b?: TensorLike) => Tensor> = {};
for (const [name, op] of Object.entries(ops.unaryOps)) {
  tableMethods[name] = function (this: Tensor) {
    return op(this);
  };
}
for (const [name, op] of Object.entries(ops.binaryOps)) {
  tableMethods[name] = function (this: Tensor, b?: TensorLike) {
    return op(this, b as TensorLike);
  };
}

for (const [name, fn] of Object.entries({ ...tableMethods, ...methods })) {
  // Non-enumerable, as class methods are.
  Object.defineProperty(Tensor.prototype, name, { value: fn, writable: true, configurable: true, enumerable: false });
}
