import type { Backend, BackendMemory, DataId, DType, Shape, TensorInfo, TypedArray } from '@surrograd/core';
import { allocArray, sizeOf } from '@surrograd/core';

/** The cpu backend's handle to a buffer: the typed array itself, of the dtype's kind. */
export interface CpuData {
  /** The buffer's elements, in the typed array of its dtype. */
  values: TypedArray;
}

export const CPU_DTYPES: readonly DType[] = ['float32', 'float64', 'int32', 'bool'];

// Which backend a buffer is live on (null once disposed): tells a live buffer from a disposed or
// foreign one. A symbol-keyed field, not a WeakSet: membership checks are on every kernel's path.
const OWNER = Symbol('cpu.owner');
interface Owned {
  [OWNER]: CpuBackend | null;
}

/** Holds buffers as typed arrays; kernels (registered separately) do the arithmetic. */
export class CpuBackend implements Backend {
  readonly name = 'cpu';
  readonly dtypes: readonly DType[] = CPU_DTYPES;

  private numDataBuffers = 0;
  private numBytes = 0;
  // Freed large arrays by kind and length, for kernels that overwrite every element: a fresh
  // 16 MiB Float32Array costs as much as a copy of it (zeroing), a reused one nothing.
  private readonly pool = new Map<string, TypedArray[]>();
  private pooledBytes = 0;

  write(values: TypedArray, shape: Shape, dtype: DType): DataId {
    const size = sizeOf(shape);
    if (values.length !== size) {
      throw new RangeError(`cpu.write: ${values.length} values cannot fill shape [${shape.join(', ')}] of ${size} elements`);
    }
    return this.register(copyAs(values, dtype));
  }

  async read(dataId: DataId, dtype: DType): Promise<TypedArray> {
    return this.readSync(dataId, dtype);
  }

  readSync(dataId: DataId, dtype: DType): TypedArray {
    const values = this.dataOf(dataId, 'cpu.read').values;
    return copyAs(values, dtype);
  }

  dispose(dataId: DataId): void {
    const data = dataId as CpuData & Owned;
    if (data[OWNER] !== this) return;
    data[OWNER] = null;
    this.numDataBuffers--;
    this.numBytes -= data.values.byteLength;
    const bytes = data.values.byteLength;
    if (bytes >= POOL_MIN_BYTES && this.pooledBytes + bytes <= POOL_MAX_BYTES) {
      const key = poolKey(data.values);
      const list = this.pool.get(key);
      if (list) list.push(data.values);
      else this.pool.set(key, [data.values]);
      this.pooledBytes += bytes;
    }
  }

  /**
   * An array of `dtype` and `length` whose contents are garbage: only for a kernel that writes
   * every element before anyone reads it. Reuses a freed array of the same kind and length.
   */
  allocUninitialized(dtype: DType, length: number): TypedArray {
    const reused = this.pool.get(`${dtype}:${length}`)?.pop();
    if (reused) {
      this.pooledBytes -= reused.byteLength;
      return reused;
    }
    return allocArray(dtype, length);
  }

  /** Drops the pool of freed arrays (they are not counted by memory()). */
  destroy(): void {
    this.pool.clear();
    this.pooledBytes = 0;
  }

  memory(): BackendMemory {
    return { numDataBuffers: this.numDataBuffers, numBytes: this.numBytes };
  }

  /** A new buffer that takes `values` without copying: kernels allocate their result and hand it over. */
  makeOutput(values: TypedArray, shape: Shape, dtype: DType): TensorInfo {
    return { dataId: this.register(values), shape: [...shape], dtype };
  }

  /** The typed array behind a tensor; kernels read it in place and must not write to it. */
  valuesOf(info: TensorInfo): TypedArray {
    return this.dataOf(info.dataId, 'cpu kernel').values;
  }

  private register(values: TypedArray): CpuData {
    const data: CpuData & Owned = { values, [OWNER]: this };
    this.numDataBuffers++;
    this.numBytes += values.byteLength;
    return data;
  }

  private dataOf(dataId: DataId, op: string): CpuData {
    const data = dataId as CpuData & Owned;
    if (data[OWNER] !== this) {
      throw new Error(`${op}: the buffer was disposed or does not belong to the cpu backend`);
    }
    return data;
  }
}

const POOL_MIN_BYTES = 1 << 20;
const POOL_MAX_BYTES = 64 << 20;

function poolKey(values: TypedArray): string {
  const dtype: DType =
    values instanceof Float32Array
      ? 'float32'
      : values instanceof Float64Array
        ? 'float64'
        : values instanceof Int32Array
          ? 'int32'
          : 'bool';
  return `${dtype}:${values.length}`;
}

/** A copy of `values` as an array of `dtype`'s kind; bool keeps only 0 and 1 so logical kernels can use bit ops. */
function copyAs(values: TypedArray, dtype: DType): TypedArray {
  if (dtype === 'bool') {
    const out = new Uint8Array(values.length);
    for (let i = 0; i < values.length; i++) out[i] = +(values[i] !== 0);
    return out;
  }
  const out = allocArray(dtype, values.length);
  out.set(values);
  return out;
}
