/**
 * Two optional fused kernels (core's FusedKernels) that save a pass and a buffer over the ops they
 * replace, each rounded exactly as those ops:
 *   Linear     [x [M, K], w [N, K], bias [N]] → x·wᵀ + bias  (MatMul, then Binary add)
 *   AddScaled  [a, b] float32 of one shape → a + alpha·b   (Binary mul by a float32 scalar, then add)
 */
import type { AddScaledAttrs, KernelFn, TensorInfo } from '@surrograd/core';
import { allocArray, fmt, shapesEqual } from '@surrograd/core';
import type { CpuBackend } from '../cpu-backend.js';
import { matMul } from './matmul.js';

/** The product as MatMul computes it, then the bias added to each row of the fresh output. */
export const linear: KernelFn<CpuBackend> = ({ inputs, backend }) => {
  const [x, w, bias] = inputs as [TensorInfo, TensorInfo, TensorInfo];
  const n = w.shape[0] as number;
  if (bias.shape.length !== 1 || bias.shape[0] !== n) {
    throw new Error(`Linear: bias ${fmt(bias.shape)} does not match the weight ${fmt(w.shape)}`);
  }
  const y = matMul({ inputs: [x, w], attrs: { transposeA: false, transposeB: true }, backend }) as TensorInfo;
  const values = backend.valuesOf(y);
  const b = backend.valuesOf(bias);
  // Float32Array stores round each sum once, as Binary add does.
  for (let row = 0; row < values.length; row += n)
    for (let j = 0; j < n; j++) values[row + j] = (values[row + j] as number) + (b[j] as number);
  return y;
};

export const addScaled: KernelFn<CpuBackend, AddScaledAttrs> = ({ inputs, attrs, backend }) => {
  const [a, b] = inputs as [TensorInfo, TensorInfo];
  if (a.dtype !== 'float32' || b.dtype !== 'float32' || !shapesEqual(a.shape, b.shape)) {
    throw new TypeError(
      `AddScaled: expected two float32 tensors of one shape, got ${a.dtype} ${fmt(a.shape)} and ${b.dtype} ${fmt(b.shape)}`,
    );
  }
  const [av, bv] = [backend.valuesOf(a), backend.valuesOf(b)];
  const out = allocArray('float32', av.length);
  const alpha = Math.fround(attrs.alpha);
  for (let i = 0; i < av.length; i++) out[i] = (av[i] as number) + Math.fround((bv[i] as number) * alpha);
  return backend.makeOutput(out, a.shape, 'float32');
};
