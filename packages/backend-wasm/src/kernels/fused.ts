/**
 * Fused kernels beyond the core contract, for ops that want one pass instead of several:
 *   BiasActivation          [x [..., C], bias [C]] → [y] | [y, z] | [y, mask] | [y, z, mask]
 *   SoftmaxCrossEntropy     [logits [N, C], labels int32 [N]] → [loss [], probs [N, C]]
 *   SoftmaxCrossEntropyGrad [dloss [], probs [N, C], labels int32 [N]] → dlogits [N, C]
 */
import type { KernelFn, TensorInfo } from '@surrograd/core';
import { fmt, forwardKind, sizeOf } from '@surrograd/core';
import type { WasmBackend } from '../wasm-backend.js';
import { maskKindOf, maskWords, writeParams } from './activation.js';
import { forwardLoop, maskLoop } from './activation-fallback.js';
import { compiledDerivative, compiledForward, DERIVATIVE_PARAMS_OFFSET, FORWARD_PARAMS_OFFSET } from './activation-kinds.js';

/** Attrs of the wasm-only fused `BiasActivation` kernel: y = activation(x + bias) in one pass. */
export interface BiasActivationAttrs {
  /** Forward kind, as Activation's. */
  kind: string;
  /** The forward kind's parameters by name. */
  params: Record<string, number>;
  /** A mask derivative kind: also return its predicate's bits on z = x + bias, as Activation's `mask`. */
  mask?: string;
  /** Also return z = x + bias itself (for derivative kinds that read the input). */
  savePre?: boolean;
}

/**
 * [x [..., C], bias [C]] → y = f(x + bias), bias broadcast along the last dim, in one pass over x;
 * outputs [y], then z when `savePre`, then the mask when `mask` is given.
 */
export const biasActivation: KernelFn<WasmBackend, BiasActivationAttrs> = ({ inputs, attrs, backend }) => {
  const [x, bias] = inputs as [TensorInfo, TensorInfo];
  const fwd = forwardKind(attrs.kind);
  const der = maskKindOf('BiasActivation', attrs.mask);
  const cols = x.shape.length === 0 ? 1 : (x.shape[x.shape.length - 1] as number);
  if (x.dtype !== 'float32' || bias.dtype !== 'float32' || bias.shape.length !== 1 || bias.shape[0] !== cols) {
    throw new TypeError(
      `BiasActivation: expected float32 x [..., C] and bias [C], got x ${x.dtype} ${fmt(x.shape)} and bias ${bias.dtype} ${fmt(bias.shape)}`,
    );
  }
  const n = sizeOf(x.shape);
  writeParams(backend, 'BiasActivation', fwd.name, fwd.params, attrs.params, FORWARD_PARAMS_OFFSET);
  if (der) writeParams(backend, 'BiasActivation', der.name, der.params, attrs.params, DERIVATIVE_PARAMS_OFFSET);
  const y = backend.output(x.shape, 'float32', 'BiasActivation');
  const pre = attrs.savePre ? backend.output(x.shape, 'float32', 'BiasActivation') : null;
  const mask = der ? backend.output([maskWords(n)], 'int32', 'BiasActivation') : null;
  const outs = [y, ...(pre ? [pre] : []), ...(mask ? [mask] : [])];
  if (n === 0) return outs.length === 1 ? y : outs;
  const fid = compiledForward(fwd);
  const mid = der ? compiledDerivative(der) : null;
  if (fid !== null && (der === null || mid !== null)) {
    backend.kernels.biasActivation(
      fid,
      mid ?? -1,
      backend.ptr(x, 'BiasActivation'),
      backend.ptr(bias, 'BiasActivation'),
      y.dataId.ptr,
      n,
      cols,
      pre ? pre.dataId.ptr : 0,
      mask ? mask.dataId.ptr : 0,
    );
  } else {
    // Kinds registered after the build: z in JavaScript, then the fallback loops.
    const xv = backend.f32Of(backend.dataIdOf(x, 'BiasActivation'));
    const bv = backend.f32Of(backend.dataIdOf(bias, 'BiasActivation'));
    const z = pre ? backend.f32Of(pre.dataId) : new Float32Array(n);
    for (let i = 0; i < n; i++) z[i] = (xv[i] as number) + (bv[i % cols] as number);
    forwardLoop(fwd)(z, z, backend.f32Of(y.dataId), n, attrs.params);
    if (der && mask) maskLoop(der)(z, z, backend.i32Of(mask.dataId), n, attrs.params);
  }
  return outs.length === 1 ? y : outs;
};

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

/** Mean softmax cross-entropy and the softmax itself (what the gradient needs), one fused pass per row. */
export const softmaxCrossEntropy: KernelFn<WasmBackend> = ({ inputs, backend }) => {
  const [logits, labels] = inputs as [TensorInfo, TensorInfo];
  const [rows, cols] = logitsShape('SoftmaxCrossEntropy', logits);
  checkLabels('SoftmaxCrossEntropy', backend, labels, rows, cols);
  const loss = backend.output([], 'float32', 'SoftmaxCrossEntropy');
  const probs = backend.output([rows, cols], 'float32', 'SoftmaxCrossEntropy');
  backend.kernels.softmaxCrossEntropy(
    backend.ptr(logits, 'SoftmaxCrossEntropy'),
    backend.ptr(labels, 'SoftmaxCrossEntropy'),
    probs.dataId.ptr,
    loss.dataId.ptr,
    rows,
    cols,
  );
  return [loss, probs];
};

/** dlogits = (probs - onehot(labels)) · dloss / N. */
export const softmaxCrossEntropyGrad: KernelFn<WasmBackend> = ({ inputs, backend }) => {
  const [dloss, probs, labels] = inputs as [TensorInfo, TensorInfo, TensorInfo];
  const [rows, cols] = logitsShape('SoftmaxCrossEntropyGrad', probs);
  checkLabels('SoftmaxCrossEntropyGrad', backend, labels, rows, cols);
  if (dloss.dtype !== 'float32' || sizeOf(dloss.shape) !== 1) {
    throw new TypeError(`SoftmaxCrossEntropyGrad: dloss must be a float32 scalar, got ${dloss.dtype} ${fmt(dloss.shape)}`);
  }
  const dx = backend.output([rows, cols], 'float32', 'SoftmaxCrossEntropyGrad');
  backend.kernels.softmaxCrossEntropyGrad(
    backend.ptr(dloss, 'SoftmaxCrossEntropyGrad'),
    backend.ptr(probs, 'SoftmaxCrossEntropyGrad'),
    backend.ptr(labels, 'SoftmaxCrossEntropyGrad'),
    dx.dataId.ptr,
    rows,
    cols,
  );
  return dx;
};
