/**
 * Fused kernels beyond the core contract, for ops that want one pass instead of several:
 *   SoftmaxCrossEntropy     [logits [N, C], labels int32 [N]] → [loss [], probs [N, C]]
 *   SoftmaxCrossEntropyGrad [dloss [], probs [N, C], labels int32 [N]] → dlogits [N, C]
 *   Softmax, LogSoftmax     [x [..., C]] → over the last axis
 */
import type { KernelFn, TensorInfo } from '@surrograd/core';
import { fmt, sizeOf } from '@surrograd/core';
import type { WasmBackend } from '../wasm-backend.js';
import { rowParts } from './parts.js';

function checkLabels(kernel: string, backend: WasmBackend, labels: TensorInfo, rows: number, classes: number): void {
  if (labels.dtype !== 'int32' || labels.shape.length !== 1 || labels.shape[0] !== rows) {
    throw new TypeError(`${kernel}: labels must be int32 [${rows}], got ${labels.dtype} ${fmt(labels.shape)}`);
  }
  const values = backend.i32Of(backend.dataIdOf(labels, kernel));
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (v < 0 || v >= classes) throw new RangeError(`${kernel}: label ${v} at index ${i} is out of range for ${classes} classes`);
  }
}

function logitsShape(kernel: string, t: TensorInfo): [number, number] {
  if (t.dtype !== 'float32' || t.shape.length !== 2) {
    throw new TypeError(`${kernel}: expected float32 [batch, classes], got ${t.dtype} ${fmt(t.shape)}`);
  }
  return t.shape as [number, number];
}

/**
 * Mean softmax cross-entropy and the softmax itself (what the gradient needs), one fused pass per
 * row. Threads take runs of rows; the row losses are summed here in row order, so the mean has the
 * same bits on any number of threads.
 */
export const softmaxCrossEntropy: KernelFn<WasmBackend> = ({ inputs, backend }) => {
  const [logits, labels] = inputs as [TensorInfo, TensorInfo];
  const [rows, cols] = logitsShape('SoftmaxCrossEntropy', logits);
  checkLabels('SoftmaxCrossEntropy', backend, labels, rows, cols);
  const loss = backend.output([], 'float32', 'SoftmaxCrossEntropy');
  const probs = backend.output([rows, cols], 'float32', 'SoftmaxCrossEntropy');
  const [px, pl, pp] = [backend.ptr(logits, 'SoftmaxCrossEntropy'), backend.ptr(labels, 'SoftmaxCrossEntropy'), probs.dataId.ptr];
  const total = backend.withTemp(rows * 8, 'SoftmaxCrossEntropy', (rowLoss) => {
    const row = cols * 4;
    backend.parallel(
      'softmaxCrossEntropyRows',
      rowParts(rows, rows * cols, backend).map(([r, n]) => [px + r * row, pl + r * 4, pp + r * row, rowLoss + r * 8, n, cols]),
    );
    const losses = new Float64Array(backend.kernels.memory.buffer, rowLoss, rows);
    let sum = 0;
    for (let r = 0; r < rows; r++) sum += losses[r] as number;
    return sum;
  });
  backend.f32[loss.dataId.ptr >>> 2] = total / Math.max(rows, 1);
  return [loss, probs];
};

/** dlogits = (probs - onehot(labels)) · dloss / N, threads taking runs of rows. */
export const softmaxCrossEntropyGrad: KernelFn<WasmBackend> = ({ inputs, backend }) => {
  const [dloss, probs, labels] = inputs as [TensorInfo, TensorInfo, TensorInfo];
  const [rows, cols] = logitsShape('SoftmaxCrossEntropyGrad', probs);
  checkLabels('SoftmaxCrossEntropyGrad', backend, labels, rows, cols);
  if (dloss.dtype !== 'float32' || sizeOf(dloss.shape) !== 1) {
    throw new TypeError(`SoftmaxCrossEntropyGrad: dloss must be a float32 scalar, got ${dloss.dtype} ${fmt(dloss.shape)}`);
  }
  const dx = backend.output([rows, cols], 'float32', 'SoftmaxCrossEntropyGrad');
  const [pd, pp, pl, po] = [
    backend.ptr(dloss, 'SoftmaxCrossEntropyGrad'),
    backend.ptr(probs, 'SoftmaxCrossEntropyGrad'),
    backend.ptr(labels, 'SoftmaxCrossEntropyGrad'),
    dx.dataId.ptr,
  ];
  const row = cols * 4;
  backend.parallel(
    'softmaxCrossEntropyGrad',
    rowParts(rows, rows * cols, backend).map(([r, n]) => [pd, pp + r * row, pl + r * 4, po + r * row, n, cols, rows]),
  );
  return dx;
};

/** Softmax (log 0) or log-softmax (log 1) over x's last axis, one fused pass per row; threads take runs of rows. */
function lastAxis(kernel: 'Softmax' | 'LogSoftmax', log: number): KernelFn<WasmBackend> {
  return ({ inputs, backend }) => {
    const [x] = inputs as [TensorInfo];
    if (x.dtype !== 'float32' || x.shape.length === 0) {
      throw new TypeError(`${kernel}: expected a float32 tensor of rank 1 or more, got ${x.dtype} ${fmt(x.shape)}`);
    }
    const y = backend.output(x.shape, 'float32', kernel);
    const cols = x.shape[x.shape.length - 1] as number;
    const size = sizeOf(x.shape);
    if (size === 0) return y;
    const [px, py, row] = [backend.ptr(x, kernel), y.dataId.ptr, cols * 4];
    backend.parallel(
      'softmaxRows',
      rowParts(size / cols, size, backend).map(([r, n]) => [px + r * row, py + r * row, n, cols, log]),
    );
    return y;
  };
}

export const softmax = lastAxis('Softmax', 0);
export const logSoftmax = lastAxis('LogSoftmax', 1);
