import * as activations from './activations/library.js';
import { type BackwardOptions, backward as runBackward } from './autograd/backward.js';
import { isGradEnabled } from './autograd/grad-mode.js';
import type { Node } from './autograd/node.js';
import type { Backend, TensorInfo } from './backend.js';
import type { DType, TypedArray } from './dtype.js';
import { isFloat } from './dtype.js';
import { countTensor } from './memory.js';
import * as ops from './ops/index.js';
import { track, untrack } from './scope.js';
import { fmt, type Shape, sizeOf } from './shape.js';
import { Storage } from './storage.js';

// Tensor's [Symbol.dispose]() (for `using`) is part of the published .d.ts. Declaring the symbol
// keeps that .d.ts compiling where `lib` lacks ESNext.Disposable and @types/node (which declares
// it the same way) is not loaded, e.g. a browser project with lib ["ES2022", "DOM"].
declare global {
  interface SymbolConstructor {
    readonly dispose: unique symbol;
  }
}

export type Scalar = number;
export type TensorLike = Tensor | number;

let nextId = 0;

/** The id the next tensor will get; custom Functions use it to tell new outputs from old tensors. */
export function peekNextTensorId(): number {
  return nextId;
}

/**
 * An n-dimensional array on a backend, recording the ops that made it when gradients are needed.
 * Storage is immutable; reshape/detach/clone share it, and `assign` rebinds to new storage.
 */
export class Tensor implements TensorInfo {
  readonly id = nextId++;
  /** Bumped by every in-place update; saved tensors compare it to detect stale values. */
  version = 0;
  /** The node that made this tensor (null for leaves). */
  gradFn: Node | null = null;
  /** Which output of gradFn this is. */
  outputIndex = 0;
  private _requiresGrad = false;
  private _grad: Tensor | null = null;
  private _retainsGrad = false;
  private _disposed = false;

  /** @internal use the creation functions (`tensor`, `zeros`, …) */
  constructor(
    /** @internal */ public storage: Storage,
    readonly shape: number[],
    readonly dtype: DType,
  ) {
    countTensor(storage.backend, 1);
    track(this);
  }

  /** Wraps a buffer a backend made (a kernel's output, or data adopted from another library) as a tensor that owns it. */
  static fromInfo(info: TensorInfo, backend: Backend): Tensor {
    return new Tensor(new Storage(backend, info.dataId), [...info.shape], info.dtype);
  }

  get dataId(): object {
    return this.storage.dataId;
  }
  get backend(): Backend {
    return this.storage.backend;
  }
  get rank(): number {
    return this.shape.length;
  }
  get size(): number {
    return sizeOf(this.shape);
  }
  get isDisposed(): boolean {
    return this._disposed;
  }
  get isLeaf(): boolean {
    return this.gradFn === null;
  }

  get requiresGrad(): boolean {
    return this._requiresGrad || this.gradFn !== null;
  }
  set requiresGrad(value: boolean) {
    if (this.gradFn !== null && !value) {
      throw new Error(
        'requiresGrad: you can only change requiresGrad of leaf tensors; use .detach() for a tensor that does not require grad',
      );
    }
    if (value && !isFloat(this.dtype)) {
      throw new TypeError(`requiresGrad: only floating-point tensors can require gradients, got ${this.dtype}`);
    }
    this._requiresGrad = value;
  }

  /** The accumulated gradient. Setting replaces (and frees) the old one; null clears it. */
  get grad(): Tensor | null {
    return this._grad;
  }
  set grad(value: Tensor | null) {
    if (value !== null) {
      if (!(value instanceof Tensor)) throw new TypeError('grad: expected a Tensor or null');
      value.assertAlive('grad');
      if (!sameShape(value.shape, this.shape) || value.dtype !== this.dtype) {
        throw new Error(
          `grad: assigned gradient has shape ${fmt(value.shape)} and dtype ${value.dtype}, expected ${fmt(this.shape)} ${this.dtype}`,
        );
      }
      untrack(value);
    }
    if (this._grad && this._grad !== value) this._grad.dispose();
    this._grad = value;
  }

  /** Keep `.grad` on this non-leaf tensor after backward (PyTorch's retain_grad). */
  retainGrad(): this {
    if (this.gradFn === null) return this;
    this._retainsGrad = true;
    this.gradFn.retainedOutputs.set(this.outputIndex, this);
    return this;
  }
  get retainsGrad(): boolean {
    return this._retainsGrad;
  }

  /** @internal throws a clear error if this tensor was disposed. */
  assertAlive(op: string): void {
    if (this._disposed) {
      throw new Error(`${op}: tensor #${this.id} (shape ${fmt(this.shape)}) was disposed and can no longer be used`);
    }
  }

  /** Frees this tensor (and its `.grad`). Safe to call twice. Buffers shared with live tensors stay. */
  dispose(): void {
    if (this._disposed) return;
    this._disposed = true;
    untrack(this);
    countTensor(this.storage.backend, -1);
    this.storage.release();
    if (this.gradFn) this.gradFn.release();
    this._grad?.dispose();
    this._grad = null;
  }

  [Symbol.dispose](): void {
    this.dispose();
  }

  /**
   * Replaces this tensor's values with `value`'s (same shape and dtype), bumping its version so
   * that graphs which saved the old values refuse to use them. Allowed only where it can't corrupt
   * a recorded graph: under noGrad or on tensors that don't require grad.
   */
  assign(value: Tensor): this {
    this.assertAlive('assign');
    value.assertAlive('assign');
    if (!sameShape(value.shape, this.shape) || value.dtype !== this.dtype) {
      throw new Error(`assign: value has shape ${fmt(value.shape)} ${value.dtype}, expected ${fmt(this.shape)} ${this.dtype}`);
    }
    if (value.backend !== this.backend)
      throw new Error(`assign: value is on backend '${value.backend.name}', this tensor on '${this.backend.name}'`);
    if (isGradEnabled() && this.requiresGrad) {
      throw new Error('assign: a tensor that requires grad is being modified in place; wrap the update in noGrad(() => …)');
    }
    value.storage.retain();
    this.storage.release();
    this.storage = value.storage;
    this.version++;
    return this;
  }

  // ---- reading -------------------------------------------------------------------------------

  /** The flat values (a fresh typed array). */
  async data(): Promise<TypedArray> {
    this.assertAlive('data');
    return this.backend.read(this.dataId, this.dtype);
  }

  /** As data(), synchronously, on backends that can (cpu, wasm). */
  dataSync(): TypedArray {
    this.assertAlive('dataSync');
    const b = this.backend;
    if (!b.readSync) {
      throw new Error(`dataSync: backend '${b.name}' cannot read synchronously; use await tensor.data()`);
    }
    return b.readSync(this.dataId, this.dtype);
  }

  /** Nested arrays (a number for a scalar); bool tensors give booleans. */
  async array(): Promise<NestedArray> {
    return toNested(await this.data(), this.shape, this.dtype);
  }

  arraySync(): NestedArray {
    return toNested(this.dataSync(), this.shape, this.dtype);
  }

  /** The single value of a one-element tensor. */
  async item(): Promise<number> {
    if (this.size !== 1) throw new Error(`item: tensor has ${this.size} elements (shape ${fmt(this.shape)}), expected 1`);
    return (await this.data())[0] as number;
  }

  itemSync(): number {
    if (this.size !== 1) throw new Error(`item: tensor has ${this.size} elements (shape ${fmt(this.shape)}), expected 1`);
    return this.dataSync()[0] as number;
  }

  toString(): string {
    let body = '';
    if (!this._disposed && this.backend.readSync && this.size <= 100) body = `${JSON.stringify(this.arraySync())}, `;
    return `Tensor(${body}shape=${fmt(this.shape)}, dtype=${this.dtype}${this.requiresGrad ? ', requiresGrad' : ''})`;
  }

  // ---- autograd ------------------------------------------------------------------------------

  /** Accumulates d(this)/d(leaf) into every leaf's `.grad`. A non-scalar needs `grad` (the cotangent). */
  backward(grad?: Tensor | BackwardOptions | null, options: BackwardOptions = {}): void {
    if (grad !== undefined && grad !== null && !(grad instanceof Tensor)) {
      runBackward([this], [null], grad);
      return;
    }
    runBackward([this], [grad ?? null], options);
  }

  /** A tensor sharing this one's values, cut from the graph. */
  detach(): Tensor {
    return ops.detach(this);
  }
  clone(): Tensor {
    return ops.clone(this);
  }

  // ---- elementwise ---------------------------------------------------------------------------
  add(b: TensorLike): Tensor {
    return ops.add(this, b);
  }
  sub(b: TensorLike): Tensor {
    return ops.sub(this, b);
  }
  mul(b: TensorLike): Tensor {
    return ops.mul(this, b);
  }
  div(b: TensorLike): Tensor {
    return ops.div(this, b);
  }
  pow(b: TensorLike): Tensor {
    return ops.pow(this, b);
  }
  maximum(b: TensorLike): Tensor {
    return ops.maximum(this, b);
  }
  minimum(b: TensorLike): Tensor {
    return ops.minimum(this, b);
  }
  neg(): Tensor {
    return ops.neg(this);
  }
  exp(): Tensor {
    return ops.exp(this);
  }
  log(): Tensor {
    return ops.log(this);
  }
  sqrt(): Tensor {
    return ops.sqrt(this);
  }
  rsqrt(): Tensor {
    return ops.rsqrt(this);
  }
  abs(): Tensor {
    return ops.abs(this);
  }
  sign(): Tensor {
    return ops.sign(this);
  }
  square(): Tensor {
    return ops.square(this);
  }
  reciprocal(): Tensor {
    return ops.reciprocal(this);
  }
  sin(): Tensor {
    return ops.sin(this);
  }
  cos(): Tensor {
    return ops.cos(this);
  }
  log1p(): Tensor {
    return ops.log1p(this);
  }
  expm1(): Tensor {
    return ops.expm1(this);
  }
  erf(): Tensor {
    return ops.erf(this);
  }
  floor(): Tensor {
    return ops.floor(this);
  }
  ceil(): Tensor {
    return ops.ceil(this);
  }
  round(): Tensor {
    return ops.round(this);
  }
  clamp(min?: number | null, max?: number | null): Tensor {
    return ops.clamp(this, min, max);
  }
  relu(): Tensor {
    return activations.relu(this);
  }
  sigmoid(): Tensor {
    return activations.sigmoid(this);
  }
  tanh(): Tensor {
    return activations.tanh(this);
  }

  // ---- comparisons (bool results, not differentiable) ----------------------------------------
  lt(b: TensorLike): Tensor {
    return ops.lt(this, b);
  }
  le(b: TensorLike): Tensor {
    return ops.le(this, b);
  }
  gt(b: TensorLike): Tensor {
    return ops.gt(this, b);
  }
  ge(b: TensorLike): Tensor {
    return ops.ge(this, b);
  }
  eq(b: TensorLike): Tensor {
    return ops.eq(this, b);
  }
  ne(b: TensorLike): Tensor {
    return ops.ne(this, b);
  }
  logicalNot(): Tensor {
    return ops.logicalNot(this);
  }
  logicalAnd(b: Tensor): Tensor {
    return ops.logicalAnd(this, b);
  }
  logicalOr(b: Tensor): Tensor {
    return ops.logicalOr(this, b);
  }
  isNaN(): Tensor {
    return ops.isNaN(this);
  }
  isFinite(): Tensor {
    return ops.isFinite(this);
  }
  cast(dtype: DType): Tensor {
    return ops.cast(this, dtype);
  }

  // ---- reductions ----------------------------------------------------------------------------
  sum(axis?: number | number[] | null, keepDims = false): Tensor {
    return ops.sum(this, axis, keepDims);
  }
  mean(axis?: number | number[] | null, keepDims = false): Tensor {
    return ops.mean(this, axis, keepDims);
  }
  max(axis?: number | number[] | null, keepDims = false): Tensor {
    return ops.max(this, axis, keepDims);
  }
  min(axis?: number | number[] | null, keepDims = false): Tensor {
    return ops.min(this, axis, keepDims);
  }
  logSumExp(axis?: number | number[] | null, keepDims = false): Tensor {
    return ops.logSumExp(this, axis, keepDims);
  }
  argmax(axis = -1, keepDims = false): Tensor {
    return ops.argmax(this, axis, keepDims);
  }
  argmin(axis = -1, keepDims = false): Tensor {
    return ops.argmin(this, axis, keepDims);
  }
  softmax(axis = -1): Tensor {
    return ops.softmax(this, axis);
  }
  logSoftmax(axis = -1): Tensor {
    return ops.logSoftmax(this, axis);
  }

  // ---- linear algebra and shapes -------------------------------------------------------------
  matmul(b: Tensor): Tensor {
    return ops.matmul(this, b);
  }
  reshape(shape: Shape): Tensor {
    return ops.reshape(this, shape);
  }
  flatten(startDim = 0, endDim = -1): Tensor {
    return ops.flatten(this, startDim, endDim);
  }
  squeeze(axis?: number | number[]): Tensor {
    return ops.squeeze(this, axis);
  }
  unsqueeze(axis: number): Tensor {
    return ops.unsqueeze(this, axis);
  }
  transpose(dim0 = -2, dim1 = -1): Tensor {
    return ops.transpose(this, dim0, dim1);
  }
  permute(dims: readonly number[]): Tensor {
    return ops.permute(this, dims);
  }
  broadcastTo(shape: Shape): Tensor {
    return ops.broadcastTo(this, shape);
  }
  sumToSize(shape: Shape): Tensor {
    return ops.sumToSize(this, shape);
  }
  slice(begin: readonly number[], size?: readonly number[]): Tensor {
    return ops.slice(this, begin, size);
  }
  gather(indices: Tensor | number[], axis = 0): Tensor {
    return ops.gather(this, indices, axis);
  }
}

export type NestedArray = number | boolean | NestedArray[];

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

function toNested(data: TypedArray, shape: readonly number[], dtype: DType): NestedArray {
  const asBool = dtype === 'bool';
  if (shape.length === 0) return asBool ? data[0] !== 0 : (data[0] as number);
  const build = (offset: number, dim: number): NestedArray[] => {
    const n = shape[dim] as number;
    const out: NestedArray[] = new Array(n);
    if (dim === shape.length - 1) {
      for (let i = 0; i < n; i++) out[i] = asBool ? data[offset + i] !== 0 : (data[offset + i] as number);
      return out;
    }
    let stride = 1;
    for (let d = dim + 1; d < shape.length; d++) stride *= shape[d] as number;
    for (let i = 0; i < n; i++) out[i] = build(offset + i * stride, dim + 1);
    return out;
  };
  return build(0, 0);
}

export function isTensor(v: unknown): v is Tensor {
  return v instanceof Tensor;
}
