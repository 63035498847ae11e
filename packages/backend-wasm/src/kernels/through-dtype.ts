/**
 * Rows of the elementwise table whose kernels take one dtype (a float row: float32; a logical
 * row: bool). Core casts before dispatch; a direct kernel call may not, so the host casts here.
 */
import type { DType, TensorInfo } from '@surrograd/core';
import type { WasmBackend } from '../wasm-backend.js';
import { cast } from './cast.js';

/** `run` on the inputs cast to `dtype`, its output cast to `outDType`; the temporaries are freed. */
export function throughDType(
  backend: WasmBackend,
  inputs: readonly TensorInfo[],
  dtype: DType,
  outDType: DType,
  run: (inputs: TensorInfo[]) => TensorInfo,
): TensorInfo {
  const temps: TensorInfo[] = [];
  try {
    const cast_ = (x: TensorInfo, to: DType) => {
      const t = cast({ inputs: [x], attrs: { dtype: to }, backend }) as TensorInfo;
      temps.push(t);
      return t;
    };
    const out = run(inputs.map((x) => cast_(x, dtype)));
    if (out.dtype === outDType) return out;
    temps.push(out);
    return cast({ inputs: [out], attrs: { dtype: outDType }, backend }) as TensorInfo;
  } finally {
    for (const t of temps) backend.dispose(t.dataId);
  }
}
