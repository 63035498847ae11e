import { arange, tensor } from '../ops/creation.js';
import { assertSameBackend } from '../ops/operands.js';
import { logSoftmax } from '../ops/softmax.js';
import { where } from '../ops/where.js';
import { onBackend } from '../registry.js';
import { scoped } from '../scope.js';
import { fmt } from '../shape.js';
import { Tensor } from '../tensor.js';
import { hasFusedCrossEntropy, SoftmaxCrossEntropy } from './softmax-cross-entropy.js';

/**
 * Softmax cross-entropy of logits [N, C] against integer labels [N] (number[], Int32Array or int32 tensor),
 * averaged over the batch (PyTorch's F.cross_entropy with reduction 'mean').
 */
export function crossEntropy(logits: Tensor, labels: readonly number[] | Int32Array | Tensor): Tensor {
  if (!(logits instanceof Tensor)) throw new TypeError('crossEntropy: logits must be a Tensor');
  logits.assertAlive('crossEntropy');
  if (logits.rank !== 2) throw new Error(`crossEntropy: logits must have shape [batch, classes], got ${fmt(logits.shape)}`);
  const [n, c] = logits.shape as [number, number];
  if (labels instanceof Tensor) {
    labels.assertAlive('crossEntropy (labels)');
    assertSameBackend('crossEntropy', logits, labels);
  } else if (ArrayBuffer.isView(labels)) {
    if (!(labels instanceof Int32Array)) {
      throw new TypeError(`crossEntropy: typed-array labels must be an Int32Array, got a ${(labels as ArrayBufferView).constructor.name}`);
    }
    labels = Array.from(labels);
  }
  // Labels given as an array, and the class indices, are made where the logits live.
  return onBackend(logits.backend, () =>
    scoped(() => {
      let y: Tensor;
      if (labels instanceof Tensor) {
        if (labels.dtype !== 'int32') throw new TypeError(`crossEntropy: labels must be int32, got ${labels.dtype}`);
        if (labels.rank !== 1 || labels.shape[0] !== n)
          throw new Error(`crossEntropy: labels have shape ${fmt(labels.shape)}, expected [${n}] for logits ${fmt(logits.shape)}`);
        if (labels.backend.readSync) checkLabels(labels.dataSync(), c);
        y = labels;
      } else {
        if (!Array.isArray(labels) || labels.length !== n)
          throw new Error(
            `crossEntropy: expected ${n} labels for logits ${fmt(logits.shape)}, got ${Array.isArray(labels) ? labels.length : typeof labels}`,
          );
        checkLabels(labels, c);
        y = tensor(labels as number[], { dtype: 'int32' });
      }
      // Labels are checked by now (unless the backend can't read them synchronously): a backend
      // with the fused kernels takes it in two passes.
      if ((!(labels instanceof Tensor) || labels.backend.readSync) && hasFusedCrossEntropy(logits)) return SoftmaxCrossEntropy(logits, y);
      // The label's log-probability picked by a comparison mask keeps it a differentiable composite
      // (d/dlogits = (softmax - onehot) / N); `where`, not a product with a one-hot, so a -Inf logit
      // of another class (a masked class) doesn't turn the loss into NaN through 0 · -Inf.
      const isLabel = y.reshape([n, 1]).eq(arange(c).reshape([1, c]));
      const loss = where(isLabel, logSoftmax(logits, 1), 0).sum().div(-n); // over no rows: 0 / 0 = NaN, as PyTorch's mean
      if (labels instanceof Tensor && !labels.backend.readSync) {
        // Labels this backend cannot read synchronously are checked on the device: any label outside
        // [0, classes) makes the loss NaN (a loud failure), never a silently smaller loss.
        const invalid = y.lt(0).logicalOr(y.ge(c)).cast('float32').sum();
        return where(invalid.gt(0), Number.NaN, loss);
      }
      return loss;
    }),
  );
}

function checkLabels(labels: ArrayLike<number>, classes: number): void {
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i] as number;
    if (!Number.isInteger(v) || v < 0 || v >= classes) {
      throw new RangeError(`crossEntropy: label ${v} at index ${i} is out of range for ${classes} classes`);
    }
  }
}

/** Mean squared error (PyTorch's F.mse_loss, reduction 'mean'). */
export function mseLoss(prediction: Tensor, target: Tensor): Tensor {
  if (!(prediction instanceof Tensor) || !(target instanceof Tensor)) throw new TypeError('mseLoss: expected two Tensors');
  prediction.assertAlive('mseLoss (prediction)');
  target.assertAlive('mseLoss (target)');
  assertSameBackend('mseLoss', prediction, target);
  if (prediction.shape.join() !== target.shape.join()) {
    throw new Error(`mseLoss: prediction shape ${fmt(prediction.shape)} and target shape ${fmt(target.shape)} differ`);
  }
  return scoped(() => prediction.sub(target).square().mean());
}
