import type { DType, KernelName, Shape, TensorInfo, TypedArray } from '@surrograd/core';
import { allocArray } from '@surrograd/core';
import { CpuBackend, cpuKernels } from '../../src/index.js';

/** One backend for a test file, with helpers to make inputs, run a kernel and read its result. */
export class Harness {
  readonly backend = new CpuBackend();

  tensor(values: ArrayLike<number>, shape: Shape, dtype: DType = 'float32'): TensorInfo {
    const data = allocArray(dtype, values.length);
    for (let i = 0; i < values.length; i++) data[i] = values[i];
    return { dataId: this.backend.write(data, shape, dtype), shape: [...shape], dtype };
  }

  run(name: KernelName, inputs: TensorInfo[], attrs: object = {}): TensorInfo {
    const out = cpuKernels[name]({ inputs, attrs: attrs as never, backend: this.backend });
    if (Array.isArray(out)) throw new Error(`${name} returned several outputs`);
    return out;
  }

  /** Runs a kernel with several outputs and returns each one's values, shape and dtype. */
  callMany(name: KernelName, inputs: TensorInfo[], attrs: object = {}): { values: number[]; shape: number[]; dtype: DType }[] {
    const out = cpuKernels[name]({ inputs, attrs: attrs as never, backend: this.backend });
    return (Array.isArray(out) ? out : [out]).map((o) => ({ values: Array.from(this.read(o)), shape: [...o.shape], dtype: o.dtype }));
  }

  read(info: TensorInfo): TypedArray {
    return this.backend.readSync(info.dataId, info.dtype);
  }

  /** Runs a kernel and returns its output's values, shape and dtype. */
  call(name: KernelName, inputs: TensorInfo[], attrs: object = {}): { values: number[]; shape: number[]; dtype: DType } {
    const out = this.run(name, inputs, attrs);
    return { values: Array.from(this.read(out)), shape: [...out.shape], dtype: out.dtype };
  }
}

/** How a value of `dtype` is stored: the expected result of computing `v` in float64 and storing it. */
export function stored(v: number, dtype: DType): number {
  switch (dtype) {
    case 'float32':
      return Math.fround(v);
    case 'float64':
      return v;
    case 'int32':
      return v | 0;
    case 'bool':
      return v & 0xff;
  }
}

export const sizeOfShape = (shape: Shape) => shape.reduce((n, d) => n * d, 1);
