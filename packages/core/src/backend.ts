import type { DType, TypedArray } from './dtype.js';
import type { Shape } from './shape.js';

/** A backend's handle to one buffer. Opaque to core: only the backend that made it reads it. */
export type DataId = object;

/** What a kernel sees of a tensor: its buffer, shape and dtype. Always contiguous, row-major. */
export interface TensorInfo {
  /** The buffer, owned by the backend. */
  readonly dataId: DataId;
  /** Dims, row-major. */
  readonly shape: Shape;
  /** Element type of the buffer. */
  readonly dtype: DType;
}

/** A backend's memory report, part of {@link memory}'s result; backends may add their own counters. */
export interface BackendMemory {
  /** Buffers the backend holds now. */
  numDataBuffers: number;
  /** Bytes those buffers hold. */
  numBytes: number;
  [key: string]: number | string | boolean;
}

/**
 * A backend owns memory; kernels (registered separately, by name) do the arithmetic.
 * A name, its dtypes, four methods (write, read, dispose, memory) and three optional ones
 * (readSync, sync, destroy): everything else is a kernel.
 */
export interface Backend {
  /** The name it is registered under, e.g. 'cpu'. */
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
  /** Current buffer count and bytes, plus backend-specific counters. */
  memory(): BackendMemory;
  /** Optional: wait for queued work (GPU backends). */
  sync?(): Promise<void>;
  /** Optional: release everything (on backend removal). */
  destroy?(): void;
}

/** A kernel's non-tensor arguments, as a plain object (see the `*Attrs` interfaces of the kernel contract). */
export type Attrs = Record<string, unknown>;

/** What a kernel function receives: input tensor infos, attrs and the backend instance that owns the buffers. */
export interface KernelArgs<B extends Backend = Backend, A = Attrs> {
  /** Input tensors, in the order the kernel contract lists them. */
  inputs: readonly TensorInfo[];
  /** Non-tensor arguments, already validated by core. */
  attrs: A;
  /** The backend instance that owns the inputs' buffers and must own the outputs'. */
  backend: B;
  /**
   * An input whose buffer the kernel may overwrite with its output (of that input's shape and
   * dtype), returning that input's `dataId` as the output's; set only for the value an in-place op
   * replaces, when nothing else reads it (see in-place ops). Kernels that ignore it stay correct.
   */
  donated?: number | undefined;
}

/** A kernel implementation: reads its inputs' buffers, writes new ones through its backend and returns their infos (several for multi-output kernels). */
export type KernelFn<B extends Backend = Backend, A = Attrs> = (args: KernelArgs<B, A>) => TensorInfo | TensorInfo[];

/** A kernel registration for {@link registerKernel}: kernel `name`, `backend` name, and its `fn`. */
export interface KernelConfig<B extends Backend = Backend, A = Attrs> {
  /** One of {@link Kernels}, or the name of a backend's own fused kernel. */
  name: string;
  /** Name of the backend the kernel runs on. */
  backend: string;
  /** The implementation. */
  fn: KernelFn<B, A>;
  /**
   * Whether the kernel can run now, for a backend that wraps another engine whose kernels come and
   * go (the tfjs backend on a tfjs backend that lacks one). Core composes an optional fused kernel
   * that says false; absent means always.
   */
  available?: () => boolean;
}

/**
 * The input a kernel may write its output into: the donated one (see {@link KernelArgs.donated})
 * when it has the output's `shape` and `dtype`, else undefined (the kernel allocates).
 */
export function donatedOutput(args: KernelArgs<Backend, unknown>, shape: Shape, dtype: DType): TensorInfo | undefined {
  if (args.donated === undefined) return undefined;
  const t = args.inputs[args.donated];
  if (t === undefined || t.dtype !== dtype || t.shape.length !== shape.length) return undefined;
  for (let i = 0; i < shape.length; i++) if (t.shape[i] !== shape[i]) return undefined;
  return t;
}
