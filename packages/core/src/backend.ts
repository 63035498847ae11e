import type { DType, TypedArray } from './dtype.js';
import type { Shape } from './shape.js';

/** A backend's handle to one buffer. Opaque to core: only the backend that made it reads it. */
export type DataId = object;

/** What a kernel sees of a tensor: its buffer, shape and dtype. Always contiguous, row-major. */
export interface TensorInfo {
  readonly dataId: DataId;
  readonly shape: Shape;
  readonly dtype: DType;
}

export interface BackendMemory {
  /** Buffers the backend holds now. */
  numDataBuffers: number;
  /** Bytes those buffers hold. */
  numBytes: number;
  [key: string]: number | string | boolean;
}

/**
 * A backend owns memory; kernels (registered separately, by name) do the arithmetic.
 * Five methods plus a name: everything else is a kernel.
 */
export interface Backend {
  readonly name: string;
  /** dtypes this backend stores; core rejects others with a clear error. */
  readonly dtypes: readonly DType[];
  /** Copies `values` into a new buffer. */
  write(values: TypedArray, shape: Shape, dtype: DType): DataId;
  /** The values of a buffer, as a fresh typed array of the dtype's kind. */
  read(dataId: DataId, dtype: DType): Promise<TypedArray>;
  /** As read, synchronously; absent on backends that cannot (e.g. webgpu). */
  readSync?(dataId: DataId, dtype: DType): TypedArray;
  /** Frees a buffer. Called exactly once per buffer, by core. */
  dispose(dataId: DataId): void;
  memory(): BackendMemory;
  /** Optional: wait for queued work (GPU backends). */
  sync?(): Promise<void>;
  /** Optional: release everything (on backend removal). */
  destroy?(): void;
}

export type Attrs = Record<string, unknown>;

export interface KernelArgs<B extends Backend = Backend, A = Attrs> {
  inputs: readonly TensorInfo[];
  attrs: A;
  backend: B;
}

export type KernelFn<B extends Backend = Backend, A = Attrs> = (args: KernelArgs<B, A>) => TensorInfo | TensorInfo[];

export interface KernelConfig<B extends Backend = Backend, A = Attrs> {
  name: string;
  backend: string;
  fn: KernelFn<B, A>;
}
