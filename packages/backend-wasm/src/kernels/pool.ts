/**
 * MaxPool2d (core's FusedKernels): assembly/pool.ts's loop, one pass over each window, its first
 * maximum's index kept for backward. Threads share runs of planes, each window's scan the same.
 */
import type { KernelFn, MaxPool2dAttrs, TensorInfo } from '@surrograd/core';
import { fmt } from '@surrograd/core';
import type { WasmBackend } from '../wasm-backend.js';
import { rowParts } from './parts.js';

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
  const px = backend.ptr(x, 'MaxPool2d');
  const [kh, kw] = attrs.kernel;
  const window = [...attrs.kernel, ...attrs.stride, attrs.padding[0][0], attrs.padding[1][0], ...attrs.dilation, oh, ow];
  // Each window reads kh·kw elements: that is its work, against the size from which sharing pays.
  backend.parallel(
    'maxPool2dF32',
    rowParts(n * c, n * c * oh * ow * kh * kw, backend).map(([first, planes]) => [
      px,
      y.dataId.ptr,
      indices.dataId.ptr,
      first,
      planes,
      h,
      w,
      ...window,
    ]),
  );
  return [y, indices];
};
