import type { Backend, BackendMemory, DataId, DType, Shape, TensorInfo, TypedArray } from '@surrograd/core';
import { allocArray, bytesPerElement, fmt, sizeOf } from '@surrograd/core';
import * as tf from '@tensorflow/tfjs-core';

/** The tfjs backend's handle to a buffer: a tfjs tensor this backend owns (kept, so no tf.tidy frees it). */
export interface TfjsData {
  readonly tensor: tf.Tensor;
}

/** tfjs has no float64; core rejects it with a clear error naming these. */
export const TFJS_DTYPES: readonly DType[] = ['float32', 'int32', 'bool'];

/**
 * Holds surrograd's buffers as tfjs tensors on whatever tfjs backend is active (cpu, wasm, webgl,
 * webgpu, node). Kernels (registered separately) compute with tf ops; every tensor a kernel makes
 * is handed over with `adopt`, so each buffer is disposed exactly once, when core releases it.
 */
export class TfjsBackend implements Backend {
  readonly name = 'tfjs';
  readonly dtypes: readonly DType[] = TFJS_DTYPES;

  // A Set, not a WeakSet: a tfjs tensor is not garbage collected, so destroy() must reach them all.
  private readonly live = new Set<TfjsData>();
  private readonly owned = new WeakSet<tf.Tensor>();
  private numBytes = 0;

  write(values: TypedArray, shape: Shape, dtype: DType): DataId {
    const size = sizeOf(shape);
    if (values.length !== size) {
      throw new RangeError(`tfjs.write: ${values.length} values cannot fill shape ${fmt(shape)} of ${size} elements`);
    }
    // tfjs backends may keep the array they are given: always hand over a copy.
    const tensor = tf.tensor(copyAs(values, dtype), [...shape], dtype as tf.DataType);
    return this.register(tensor);
  }

  async read(dataId: DataId, dtype: DType): Promise<TypedArray> {
    const tensor = this.tensorOf(dataId, 'tfjs.read');
    return copyAs((await tensor.data()) as TypedArray, dtype);
  }

  readSync(dataId: DataId, dtype: DType): TypedArray {
    const tensor = this.tensorOf(dataId, 'tfjs.readSync');
    // dataSync may return the tfjs backend's own array: copy before anyone can write to it.
    return copyAs(tensor.dataSync() as TypedArray, dtype);
  }

  dispose(dataId: DataId): void {
    const data = dataId as TfjsData;
    if (!this.live.delete(data)) return;
    this.numBytes -= bytesOf(data.tensor);
    this.owned.delete(data.tensor);
    data.tensor.dispose();
  }

  memory(): BackendMemory {
    const tfMemory = tf.memory();
    return {
      numDataBuffers: this.live.size,
      numBytes: this.numBytes,
      // What tfjs itself holds, ours and everyone else's: a leak on either side shows here.
      tfNumTensors: tfMemory.numTensors,
      tfNumBytes: tfMemory.numBytes,
      tfBackend: tf.getBackend(),
    };
  }

  /** Disposes every buffer still held (core calls this when the backend is removed). */
  destroy(): void {
    for (const data of this.live) data.tensor.dispose();
    this.live.clear();
    this.numBytes = 0;
  }

  /** The tfjs tensor behind a kernel input. Kernels must not dispose it. */
  tensorOf(info: TensorInfo | DataId, op = 'tfjs kernel'): tf.Tensor {
    const dataId = 'dataId' in info ? (info as TensorInfo).dataId : info;
    const data = dataId as TfjsData;
    if (!this.live.has(data)) {
      throw new Error(`${op}: the buffer was disposed or does not belong to the tfjs backend`);
    }
    return data.tensor;
  }

  /**
   * Takes ownership of a tfjs tensor a kernel made (kept, so an enclosing tf.tidy cannot free it).
   * A tensor this backend already holds is cloned: each buffer must be released exactly once.
   */
  adopt(tensor: tf.Tensor): TensorInfo {
    const fresh = this.owned.has(tensor) ? tf.clone(tensor) : tensor;
    const dataId = this.register(fresh);
    return { dataId, shape: [...fresh.shape], dtype: fresh.dtype as DType };
  }

  private register(tensor: tf.Tensor): TfjsData {
    if (!TFJS_DTYPES.includes(tensor.dtype as DType)) {
      tensor.dispose();
      throw new TypeError(`tfjs backend: a kernel produced a ${tensor.dtype} tensor; expected one of ${TFJS_DTYPES.join(', ')}`);
    }
    tf.keep(tensor);
    this.owned.add(tensor);
    const data: TfjsData = { tensor };
    this.live.add(data);
    this.numBytes += bytesOf(tensor);
    return data;
  }
}

function bytesOf(tensor: tf.Tensor): number {
  return tensor.size * bytesPerElement(tensor.dtype as DType);
}

/** A copy of `values` as `dtype`'s array kind; bool keeps only 0 and 1. */
function copyAs(values: TypedArray, dtype: DType): TypedArray {
  const out = allocArray(dtype, values.length);
  if (dtype === 'bool') {
    for (let i = 0; i < values.length; i++) out[i] = +(values[i] !== 0);
  } else {
    out.set(values);
  }
  return out;
}
