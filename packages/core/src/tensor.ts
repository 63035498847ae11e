import type { TangentSlot } from './autograd/forward-ad.js';
import { isGradEnabled, isInferenceMode } from './autograd/grad-mode.js';
import { type GradHook, HookList, type PostAccumulateGradHook, type RemovableHandle } from './autograd/hook-list.js';
import type { Node } from './autograd/node.js';
import type { Backend, TensorInfo } from './backend.js';
import type { DType, TypedArray } from './dtype.js';
import { isFloat } from './dtype.js';
import { countTensor } from './memory.js';
import { track, untrack } from './scope.js';
import { fmt, sizeOf } from './shape.js';
import { Storage } from './storage.js';
import { formatTensor } from './tensor-format.js';

// Tensor's [Symbol.dispose]() (for `using`) is part of the published .d.ts. Declaring the symbol
// keeps that .d.ts compiling where `lib` lacks ESNext.Disposable and @types/node (which declares
// it the same way) is not loaded, e.g. a browser project with lib ["ES2022", "DOM"].
declare global {
  interface SymbolConstructor {
    readonly dispose: unique symbol;
  }
}

export type Scalar = number;
/** An operand that ops accept in place of a tensor: a number becomes a scalar of the tensor's dtype (float32 if it is fractional and the tensor is not float), as PyTorch promotes. */
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
  /** A unique, increasing number per tensor object, shown in errors. */
  readonly id = nextId++;
  /** Bumped by every in-place update; saved tensors compare it to detect stale values. */
  version = 0;
  /** Made inside `inferenceMode`: no version tracking, so it can't be saved for backward or modified in place outside it (PyTorch's `is_inference()`). */
  readonly isInference: boolean = isInferenceMode();
  /** The node that made this tensor (null for leaves). */
  gradFn: Node | null = null;
  /** Which output of gradFn this is. */
  outputIndex = 0;
  private _requiresGrad = false;
  private _grad: Tensor | null = null;
  private _retainsGrad = false;
  private _disposed = false;
  /** @internal gradient hooks of a leaf (a non-leaf's live on its node) */
  leafHooks: HookList<GradHook> | null = null;
  /** @internal */
  postAccumulateHooks: HookList<PostAccumulateGradHook> | null = null;
  /** @internal forward-mode tangents, one per open `jvp` level; owned (freed) with this tensor */
  tangents: TangentSlot | null = null;

  /** @internal this tensor's slot in the scopes' stack, or -1 when no scope tracks it. */
  trackIndex = -1;

  /** @internal use the creation functions (`tensor`, `zeros`, …) */
  constructor(
    /** @internal */ public storage: Storage,
    /** Dims, row-major. */
    readonly shape: number[],
    /** Element type. */
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
  /** The backend instance holding this tensor's buffer. */
  get backend(): Backend {
    return this.storage.backend;
  }
  /** Number of dimensions (0 for a scalar). */
  get rank(): number {
    return this.shape.length;
  }
  /** Number of elements: the product of the shape's dims. */
  get size(): number {
    return sizeOf(this.shape);
  }
  /** True after dispose(); any further use throws. */
  get isDisposed(): boolean {
    return this._disposed;
  }
  /** True for tensors not made by a recorded op (no gradFn): user-created tensors and parameters. */
  get isLeaf(): boolean {
    return this.gradFn === null;
  }

  /** Whether gradients are tracked for this tensor: set on leaves (float dtypes only); true for any output of a recorded op. */
  get requiresGrad(): boolean {
    return this._requiresGrad || this.gradFn !== null;
  }
  /** Makes a leaf track gradients (float dtypes only); a non-leaf can't be set to false (use detach()). */
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

  /** Sets requiresGrad in place and returns this tensor, as PyTorch's `requires_grad_()` (leaves only when turning it off). */
  requiresGrad_(value = true): this {
    this.assertAlive('requiresGrad_');
    this.requiresGrad = value;
    return this;
  }

  /**
   * Cuts this tensor from the graph in place and returns it, as PyTorch's `detach_()`: it becomes
   * a leaf that does not require grad (the node that made it is released if nothing else holds it).
   */
  detach_(): this {
    this.assertAlive('detach_');
    const node = this.gradFn;
    if (node && node.retainedOutputs.get(this.outputIndex) === this) node.retainedOutputs.delete(this.outputIndex);
    this.gradFn = null;
    this.outputIndex = 0;
    this._requiresGrad = false;
    this._retainsGrad = false;
    node?.release();
    return this;
  }

  /** The accumulated gradient. Setting replaces (and frees) the old one; null clears it. */
  get grad(): Tensor | null {
    return this._grad;
  }
  /**
   * Replaces (and frees) the gradient; null clears it. Checked here, not at first use: it must be
   * a live tensor other than this one (or its views), of this tensor's shape and dtype, on its backend.
   */
  set grad(value: Tensor | null) {
    if (value !== null) {
      if (!(value instanceof Tensor)) throw new TypeError(`grad: expected a Tensor or null, got ${typeof value}`);
      value.assertAlive('grad');
      this.assertAlive('grad');
      if (value === this || value.storage === this.storage) {
        throw new Error(
          `grad: tensor #${this.id} (shape ${fmt(this.shape)}) can't be assigned itself (or a tensor sharing its buffer) as its gradient; assign a clone's copy, e.g. x.detach().mul(1)`,
        );
      }
      if (!sameShape(value.shape, this.shape) || value.dtype !== this.dtype) {
        throw new Error(
          `grad: assigned gradient has shape ${fmt(value.shape)} and dtype ${value.dtype}, expected ${fmt(this.shape)} ${this.dtype}`,
        );
      }
      if (value.backend !== this.backend) {
        throw new Error(
          `grad: assigned gradient ${fmt(value.shape)} is on backend '${value.backend.name}', but the tensor is on '${this.backend.name}'; create it there`,
        );
      }
      untrack(value);
    }
    if (this._grad && this._grad !== value) this._grad.dispose();
    this._grad = value;
  }

  /**
   * Registers `hook(grad)` to run when this tensor's gradient of a backward pass is complete,
   * before it flows on (a non-leaf) or is accumulated into `.grad` (a leaf); it may return a
   * replacement of the same shape and dtype. Hooks run in registration order, as PyTorch's
   * `register_hook`; `retainGrad` sees the result of all of them.
   */
  registerHook(hook: GradHook): RemovableHandle {
    this.assertAlive('registerHook');
    if (typeof hook !== 'function') throw new TypeError(`registerHook: expected a function, got ${typeof hook}`);
    if (!this.requiresGrad) {
      throw new Error(`registerHook: tensor #${this.id} (shape ${fmt(this.shape)}) does not require grad, so a hook on it would never run`);
    }
    if (this.gradFn) {
      const hooks = (this.gradFn.hooks ??= new Map());
      let list = hooks.get(this.outputIndex);
      if (!list) hooks.set(this.outputIndex, (list = new HookList()));
      return list.add(hook);
    }
    this.leafHooks ??= new HookList();
    return this.leafHooks.add(hook);
  }

  /** Registers `hook(leaf)` to run after backward has accumulated into this leaf's `.grad` (PyTorch's `register_post_accumulate_grad_hook`). */
  registerPostAccumulateGradHook(hook: PostAccumulateGradHook): RemovableHandle {
    this.assertAlive('registerPostAccumulateGradHook');
    if (typeof hook !== 'function') throw new TypeError(`registerPostAccumulateGradHook: expected a function, got ${typeof hook}`);
    if (!this.isLeaf || !this.requiresGrad) {
      throw new Error(
        `registerPostAccumulateGradHook: tensor #${this.id} (shape ${fmt(this.shape)}) is not a leaf that requires grad; only leaves accumulate into .grad`,
      );
    }
    this.postAccumulateHooks ??= new HookList();
    return this.postAccumulateHooks.add(hook);
  }

  /** Keep `.grad` on this non-leaf tensor after backward (PyTorch's retain_grad). */
  retainGrad(): this {
    if (this.gradFn === null) return this;
    this._retainsGrad = true;
    this.gradFn.retainedOutputs.set(this.outputIndex, this);
    return this;
  }
  /** True after retainGrad() on a non-leaf, which then keeps its `.grad` after backward. */
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
    for (let s = this.tangents; s !== null; s = s.next) s.tangent.dispose();
    this.tangents = null;
  }

  /** Disposes the tensor at the end of a `using` block. */
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

  /** As array(), synchronously, on backends that can (cpu, wasm). */
  arraySync(): NestedArray {
    return toNested(this.dataSync(), this.shape, this.dtype);
  }

  /** The single value of a one-element tensor. */
  async item(): Promise<number> {
    if (this.size !== 1) throw new Error(`item: tensor has ${this.size} elements (shape ${fmt(this.shape)}), expected 1`);
    return (await this.data())[0] as number;
  }

  /** As item(), synchronously, on backends that can (cpu, wasm). */
  itemSync(): number {
    if (this.size !== 1) throw new Error(`item: tensor has ${this.size} elements (shape ${fmt(this.shape)}), expected 1`);
    return this.dataSync()[0] as number;
  }

  /**
   * As PyTorch prints: `tensor([[1, 0], [0, 3]], requiresGrad=true)`, with the dtype where it is
   * not float32, large tensors abbreviated, and the shape where values can't be read synchronously.
   */
  toString(): string {
    return formatTensor(this);
  }

  /** What `console.log(tensor)` and `util.inspect` show in Node: the same as toString(). */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return formatTensor(this);
  }
}

/** Nested JS arrays of numbers (or booleans for bool tensors), one level per dim; a scalar is a bare value. What `array()` returns and `tensor()` accepts. */
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

/** Type guard: true when `v` is a {@link Tensor} (disposed or not). */
export function isTensor(v: unknown): v is Tensor {
  return v instanceof Tensor;
}
