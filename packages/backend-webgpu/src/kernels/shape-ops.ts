/** Transpose, Slice, BroadcastTo, Pad and Concat: strided copies (Pad after a fill). */
import type { BroadcastToAttrs, ConcatAttrs, KernelFn, PadAttrs, SliceAttrs, TensorInfo, TransposeAttrs } from '@surrograd/core';
import { broadcastStrides, concatShape, fmt, padShape, shapesEqual, sliceShape, stridesOf, tryBroadcastShapes } from '@surrograd/core';
import type { WebGpuBackend } from '../backend.js';
import { fillWords, wordOf } from './fill.js';
import { stridedCopy } from './strided-copy.js';

/** [x] → x permuted by `perm`, materialized. */
export const transpose: KernelFn<WebGpuBackend, TransposeAttrs> = ({ inputs, attrs, backend }) => {
  const [x] = inputs as [TensorInfo];
  const perm = attrs.perm;
  const rank = x.shape.length;
  const seen = new Set(perm.filter((p) => Number.isInteger(p) && p >= 0 && p < rank));
  if (perm.length !== rank || seen.size !== rank) {
    throw new RangeError(`Transpose: perm [${perm.join(', ')}] is not a permutation of the axes of x ${fmt(x.shape)}`);
  }
  const outShape = perm.map((p) => x.shape[p] as number);
  const inStrides = stridesOf(x.shape);
  const out = backend.makeOutput(outShape, x.dtype, 'Transpose');
  stridedCopy(backend, {
    src: backend.dataOf(x, 'Transpose'),
    dst: out.data,
    dims: outShape,
    srcStrides: perm.map((p) => inStrides[p] as number),
    dstStrides: stridesOf(outShape),
  });
  return out.info;
};

/** [x] → x[begin : begin+size] per axis. */
export const slice: KernelFn<WebGpuBackend, SliceAttrs> = ({ inputs, attrs, backend }) => {
  const [x] = inputs as [TensorInfo];
  const { begin, size } = attrs;
  sliceShape(x, begin, size);
  const inStrides = stridesOf(x.shape);
  const out = backend.makeOutput(size, x.dtype, 'Slice');
  stridedCopy(backend, {
    src: backend.dataOf(x, 'Slice'),
    dst: out.data,
    dims: size,
    srcStrides: inStrides,
    srcOffset: begin.reduce((o, b, d) => o + b * (inStrides[d] as number), 0),
    dstStrides: stridesOf(size),
  });
  return out.info;
};

/** [x] → x broadcast (numpy rules) to `shape`, materialized. */
export const broadcastTo: KernelFn<WebGpuBackend, BroadcastToAttrs> = ({ inputs, attrs, backend }) => {
  const [x] = inputs as [TensorInfo];
  const shape = attrs.shape;
  const joint = tryBroadcastShapes(x.shape, shape);
  if (joint === null || !shapesEqual(joint, shape)) {
    throw new RangeError(`BroadcastTo: x ${fmt(x.shape)} cannot be broadcast to ${fmt(shape)}`);
  }
  const out = backend.makeOutput(shape, x.dtype, 'BroadcastTo');
  stridedCopy(backend, {
    src: backend.dataOf(x, 'BroadcastTo'),
    dst: out.data,
    dims: shape,
    srcStrides: broadcastStrides(x.shape, shape),
    dstStrides: stridesOf(shape),
  });
  return out.info;
};

/** [x] → x with paddings[d] = [before, after] elements of `value` around each axis d. */
export const pad: KernelFn<WebGpuBackend, PadAttrs> = ({ inputs, attrs, backend }) => {
  const [x] = inputs as [TensorInfo];
  const { paddings, value } = attrs;
  const outShape = padShape(x, paddings);
  const out = backend.makeOutput(outShape, x.dtype, 'Pad');
  fillWords(backend, out.data, outShape, wordOf(value, x.dtype));
  const outStrides = stridesOf(outShape);
  stridedCopy(backend, {
    src: backend.dataOf(x, 'Pad'),
    dst: out.data,
    dims: x.shape,
    srcStrides: stridesOf(x.shape),
    dstStrides: outStrides,
    dstOffset: paddings.reduce((o, [before], d) => o + before * (outStrides[d] as number), 0),
  });
  return out.info;
};

/** [...xs] → joined along `axis`: one strided copy per input into its slab of the output. */
export const concat: KernelFn<WebGpuBackend, ConcatAttrs> = ({ inputs, attrs, backend }) => {
  const { axis, shape: outShape } = concatShape(inputs, attrs.axis);
  const first = inputs[0] as TensorInfo;
  const out = backend.makeOutput(outShape, first.dtype, 'Concat');
  const outStrides = stridesOf(outShape);
  let at = 0;
  for (const x of inputs) {
    stridedCopy(backend, {
      src: backend.dataOf(x, 'Concat'),
      dst: out.data,
      dims: x.shape,
      srcStrides: stridesOf(x.shape),
      dstStrides: outStrides,
      dstOffset: at * (outStrides[axis] as number),
    });
    at += x.shape[axis] as number;
  }
  return out.info;
};
