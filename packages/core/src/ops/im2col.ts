/**
 * im2col and its adjoint over a Window2d: the columns of every window of a padded plane (one
 * gather with the window table), and columns added back into the plane (one scatter-add).
 * Convolution, unfold/fold and pooling are built on them.
 */
import type { Window2d } from '../plan/window.js';
import { paddedSize, windowIndices } from '../plan/window.js';
import { onBackend } from '../registry.js';
import { scoped } from '../scope.js';
import type { Tensor } from '../tensor.js';
import { fromValues } from './creation.js';
import { scatterAdd } from './gather-scatter.js';
import { gather, pad, reshape, slice } from './shape-ops.js';

/**
 * The columns of x [N, C, H, W] under window `w`: [N, C·kh·kw, oh·ow], PyTorch's unfold layout,
 * `fill` in the padding. One gather of the padded plane.
 */
export function windowColumns(x: Tensor, w: Window2d, fill = 0): Tensor {
  return scoped(() => {
    const [n, c] = x.shape as [number, number];
    const [hp, wp] = paddedSize(w);
    const padded = w.padding.some(([a, b]) => a > 0 || b > 0) ? pad(x, [[0, 0], [0, 0], w.padding[0], w.padding[1]], fill) : x;
    const K = w.kernel[0] * w.kernel[1];
    const L = w.output[0] * w.output[1];
    const table = onBackend(x.backend, () => fromValues(windowIndices(w), [K, L], 'int32', 'unfold'));
    const cols = gather(reshape(padded, [n, c, hp * wp]), table, 2);
    return reshape(cols, [n, c * K, L]);
  });
}

/** Columns [N, C, K, L] of window `w` added back into [N, C, H, W] (the padding dropped). */
export function foldColumns(cols: Tensor, w: Window2d): Tensor {
  const [n, c] = cols.shape as [number, number];
  const [hp, wp] = paddedSize(w);
  const table = onBackend(cols.backend, () =>
    fromValues(windowIndices(w), [w.kernel[0] * w.kernel[1], w.output[0] * w.output[1]], 'int32', 'fold'),
  );
  const plane = reshape(scatterAdd(cols, table, 2, [n, c, hp * wp]), [n, c, hp, wp]);
  const [[top], [left]] = w.padding;
  const cropped = hp !== w.input[0] || wp !== w.input[1];
  return cropped ? slice(plane, [0, 0, top, left], [n, c, w.input[0], w.input[1]]) : plane;
}
