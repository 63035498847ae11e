/** MaxPool2d (core's FusedKernels): assembly/pool.ts's loop, one pass over each window, its first maximum's index kept for backward. */
import type { KernelFn, MaxPool2dAttrs, TensorInfo } from '@surrograd/core';
import { fmt } from '@surrograd/core';
import type { WasmBackend } from '../wasm-backend.js';

/** [x float32 [N, C, H, W]] → [y [N, C, oh, ow], indices int32 [N, C, oh, ow]]. */
export const maxPool2d: KernelFn<WasmBackend, MaxPool2dAttrs> = ({ inputs, attrs, backend }) => {
  const [x] = inputs as [TensorInfo];
  if (x.dtype !== 'float32' || x.shape.length !== 4)
    throw new TypeError(`MaxPool2d: expected a float32 4-d tensor, got ${x.dtype} ${fmt(x.shape)}`);
  const [n, c, h, w] = x.shape as [number, number, number, number];
  const [oh, ow] = attrs.output;
  const y = backend.output([n, c, oh, ow], 'float32', 'MaxPool2d');
  const indices = backend.output([n, c, oh, ow], 'int32', 'MaxPool2d');
  if (y.dataId.bytes === 0) return [y, indices];
  backend.kernels.maxPool2dF32(
    backend.ptr(x, 'MaxPool2d'),
    y.dataId.ptr,
    indices.dataId.ptr,
    n * c,
    h,
    w,
    attrs.kernel[0],
    attrs.kernel[1],
    attrs.stride[0],
    attrs.stride[1],
    attrs.padding[0][0],
    attrs.padding[1][0],
    attrs.dilation[0],
    attrs.dilation[1],
    oh,
    ow,
  );
  return [y, indices];
};
