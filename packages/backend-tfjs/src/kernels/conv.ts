/**
 * Conv2d, Conv2dBackpropInput, Conv2dBackpropFilter (core's FusedKernels) on tf's own Conv2D,
 * Conv2DBackpropInput and Conv2DBackpropFilter kernels. tf works channels-last with [kh, kw, C, O]
 * filters and has neither groups nor dilated gradients, so: NCHW is transposed in and out, each
 * group is one tf conv, and a dilated filter is spread out with zeros (tf's gradient kernels take
 * dilation 1 only; the zeros cost FLOPs, never accuracy).
 */
import type { Conv2dAttrs, Conv2dBackpropFilterAttrs, Conv2dBackpropInputAttrs, KernelFn, TensorInfo } from '@surrograd/core';
import { convWindow, sizeOf } from '@surrograd/core';
import * as tf from '@tensorflow/tfjs-core';
import type { TfjsBackend } from '../tfjs-backend.js';
import { tfKernel } from './run.js';

type Shape4 = [number, number, number, number];

/** tf's explicit padding for NHWC: [[0, 0], [top, bottom], [left, right], [0, 0]]. */
function explicitPad(a: Conv2dAttrs): tf.backend_util.ExplicitPadding {
  return [[0, 0], [...a.padding[0]], [...a.padding[1]], [0, 0]] as tf.backend_util.ExplicitPadding;
}

/** The tf kernels' common attrs: dilation is always 1 here (see dilateFilter). */
function tfAttrs(a: Conv2dAttrs) {
  return { strides: a.stride, pad: explicitPad(a), dataFormat: 'NHWC', dilations: [1, 1], dimRoundingMode: 'floor' };
}

/** [kh, kw, cg, o] with zeros between taps: the dilated filter as a dense one. */
function dilateFilter(f: tf.Tensor4D, [dh, dw]: [number, number]): tf.Tensor4D {
  if (dh === 1 && dw === 1) return f;
  const [kh, kw, cg, o] = f.shape;
  // Each tap followed by d - 1 zeros (the trailing zeros then cut off), along each axis in turn.
  const spreadH = tf.pad(tf.reshape(f, [kh, 1, kw, cg, o]), [
    [0, 0],
    [0, dh - 1],
    [0, 0],
    [0, 0],
    [0, 0],
  ]);
  const rows = tf.slice(tf.reshape(spreadH, [kh * dh, kw, cg, o]), 0, (kh - 1) * dh + 1);
  const spreadW = tf.pad(tf.reshape(rows, [(kh - 1) * dh + 1, kw, 1, cg, o]), [
    [0, 0],
    [0, 0],
    [0, dw - 1],
    [0, 0],
    [0, 0],
  ]);
  return tf.slice(tf.reshape(spreadW, [(kh - 1) * dh + 1, kw * dw, cg, o]), [0, 0, 0, 0], [-1, (kw - 1) * dw + 1, -1, -1]) as tf.Tensor4D;
}

/** The taps of a dense gradient of a dilated filter: every d-th row and column. */
function undilateFilter(f: tf.Tensor4D, [dh, dw]: [number, number], [kh, kw]: [number, number]): tf.Tensor4D {
  if (dh === 1 && dw === 1) return f;
  const [, , cg, o] = f.shape;
  return tf.stridedSlice(f, [0, 0, 0, 0], [(kh - 1) * dh + 1, (kw - 1) * dw + 1, cg, o], [dh, dw, 1, 1]) as tf.Tensor4D;
}

const toNhwc = (t: tf.Tensor) => tf.transpose(t, [0, 2, 3, 1]) as tf.Tensor4D;
const toNchw = (t: tf.Tensor) => tf.transpose(t, [0, 3, 1, 2]) as tf.Tensor4D;
/** [O, C / g, kh, kw] → [kh, kw, C / g, O], dilated. */
const toTfFilter = (w: tf.Tensor, a: Conv2dAttrs) => dilateFilter(tf.transpose(w, [2, 3, 1, 0]) as tf.Tensor4D, a.dilation);

/** Channels [g·size, (g+1)·size) of an NHWC tensor (or the filter's last axis). */
function group(t: tf.Tensor4D, axis: 3, g: number, size: number, groups: number): tf.Tensor4D {
  if (groups === 1) return t;
  const begin = [0, 0, 0, 0];
  const extent = [...t.shape];
  begin[axis] = g * size;
  extent[axis] = size;
  return tf.slice(t, begin, extent);
}

/**
 * dy [N, O, oh, ow] padded with zeros to the conv's own output plane for an input of plane `input`:
 * tf's gradient kernels derive that plane from the input, and a transposed conv's outputPadding
 * past the stride (PyTorch allows it up to the dilation) leaves dy smaller. The positions added
 * contribute nothing.
 */
function dyForInput(dy: tf.Tensor, a: Conv2dAttrs, input: [number, number], kernel: [number, number]): tf.Tensor {
  const [oh, ow] = convWindow(a, input, kernel).output;
  const [, , dh, dw] = dy.shape as Shape4;
  return oh === dh && ow === dw
    ? dy
    : tf.pad(dy, [
        [0, 0],
        [0, 0],
        [0, oh - dh],
        [0, ow - dw],
      ]);
}

/** One tf call per group, concatenated along channels (NHWC axis 3). */
function perGroup(groups: number, run: (g: number) => tf.Tensor4D): tf.Tensor4D {
  const parts = Array.from({ length: groups }, (_, g) => run(g));
  return parts.length === 1 ? (parts[0] as tf.Tensor4D) : (tf.concat(parts, 3) as tf.Tensor4D);
}

/** [x [N, C, H, W], w [O, C / g, kh, kw]] → y [N, O, oh, ow]. */
export const conv2d: KernelFn<TfjsBackend, Conv2dAttrs> = tfKernel<Conv2dAttrs>(([x, w], a, [xi, wi]) => {
  const [n, c, h, wd] = (xi as TensorInfo).shape as Shape4;
  const [o, cg, kh, kw] = (wi as TensorInfo).shape as Shape4;
  const [oh, ow] = convWindow(a, [h, wd], [kh, kw]).output;
  if (sizeOf([n, o, oh, ow]) === 0 || c === 0) return tf.zeros([n, o, oh, ow]);
  const xs = toNhwc(x as tf.Tensor);
  const fs = toTfFilter(w as tf.Tensor, a);
  const og = o / a.groups;
  const y = perGroup(
    a.groups,
    (g) =>
      tf
        .engine()
        .runKernel(
          'Conv2D',
          { x: group(xs, 3, g, cg, a.groups), filter: group(fs, 3, g, og, a.groups) },
          tfAttrs(a) as unknown as tf.NamedAttrMap,
        ) as tf.Tensor4D,
  );
  return toNchw(y);
});

/** [dy [N, O, oh, ow], w] → dx of attrs.inputShape. */
export const conv2dBackpropInput: KernelFn<TfjsBackend, Conv2dBackpropInputAttrs> = tfKernel<Conv2dBackpropInputAttrs>(
  ([dy, w], a, [dyi, wi]) => {
    const [n, , h, wd] = a.inputShape;
    const [, o] = (dyi as TensorInfo).shape as Shape4;
    const [, cg] = (wi as TensorInfo).shape as Shape4;
    if (sizeOf(a.inputShape) === 0 || sizeOf((dyi as TensorInfo).shape) === 0) return tf.zeros(a.inputShape);
    const [, , kh, kw] = (wi as TensorInfo).shape as Shape4;
    const dys = toNhwc(dyForInput(dy as tf.Tensor, a, [h, wd], [kh, kw]));
    const fs = toTfFilter(w as tf.Tensor, a);
    const og = o / a.groups;
    const dx = perGroup(
      a.groups,
      (g) =>
        tf.engine().runKernel('Conv2DBackpropInput', { dy: group(dys, 3, g, og, a.groups), filter: group(fs, 3, g, og, a.groups) }, {
          ...tfAttrs(a),
          inputShape: [n, h, wd, cg],
        } as unknown as tf.NamedAttrMap) as tf.Tensor4D,
    );
    return toNchw(dx);
  },
);

/** [x [N, C, H, W], dy [N, O, oh, ow]] → dw of attrs.filterShape, summed over the batch. */
export const conv2dBackpropFilter: KernelFn<TfjsBackend, Conv2dBackpropFilterAttrs> = tfKernel<Conv2dBackpropFilterAttrs>(
  ([x, dy], a, [xi, dyi]) => {
    const [o, cg, kh, kw] = a.filterShape;
    if ([a.filterShape, (xi as TensorInfo).shape, (dyi as TensorInfo).shape].some((s) => sizeOf(s) === 0)) return tf.zeros(a.filterShape);
    const [, , h, wd] = (xi as TensorInfo).shape as Shape4;
    const xs = toNhwc(x as tf.Tensor);
    const dys = toNhwc(dyForInput(dy as tf.Tensor, a, [h, wd], [kh, kw]));
    const og = o / a.groups;
    const dense: [number, number, number, number] = [(kh - 1) * a.dilation[0] + 1, (kw - 1) * a.dilation[1] + 1, cg, og];
    const df = perGroup(a.groups, (g) => {
      const grad = tf.engine().runKernel('Conv2DBackpropFilter', { x: group(xs, 3, g, cg, a.groups), dy: group(dys, 3, g, og, a.groups) }, {
        ...tfAttrs(a),
        filterShape: dense,
      } as unknown as tf.NamedAttrMap) as tf.Tensor4D;
      return undilateFilter(grad, a.dilation, [kh, kw]);
    });
    return tf.transpose(df, [3, 2, 0, 1]);
  },
);

/** tf's kernels each of ours runs on: a tfjs backend without one leaves ours to core's composite. */
export const TF_CONV_KERNELS = {
  Conv2d: 'Conv2D',
  Conv2dBackpropInput: 'Conv2DBackpropInput',
  Conv2dBackpropFilter: 'Conv2DBackpropFilter',
} as const;
