import { nn, noGrad, type Tensor, tidy } from '@surrograd/core';
import { batchTensors } from '../data/batches.js';
import type { MnistSplit } from '../data/mnist.js';
import type { Classifier } from '../model/classifier.js';
import { HiddenActivity, hiddenBatchSummary } from './hidden-activity.js';

export interface Evaluation {
  examples: number;
  accuracy: number;
  loss: number;
  /** Per hidden layer: fraction of exact zeros in its activations. */
  sparsity: number[];
  /** Per hidden layer: fraction of units that were zero on every example. */
  deadUnits: number[];
}

/** Accuracy, mean cross-entropy, sparsity and dead units of the model on a split (no gradients). */
export async function evaluate(model: Classifier, split: MnistSplit, batchSize = 1000): Promise<Evaluation> {
  // Evaluation mode (BatchNorm's running statistics, no dropout), then back to what it was.
  const wasTraining = model.training;
  model.eval();
  try {
    return await evaluateIn(model, split, batchSize);
  } finally {
    model.train(wasTraining);
  }
}

async function evaluateIn(model: Classifier, split: MnistSplit, batchSize: number): Promise<Evaluation> {
  const activity = new HiddenActivity(model.hiddenSizes);
  let correct = 0;
  let lossSum = 0;
  for (let start = 0; start < split.count; start += batchSize) {
    const size = Math.min(batchSize, split.count - start);
    const out = noGrad(() =>
      tidy(() => {
        const { x, y } = batchTensors(split, null, start, size);
        const { logits, hidden } = model.forwardWithHidden(x);
        const summaries = hidden.map(hiddenBatchSummary);
        return {
          lossSum: nn.crossEntropy(logits, y).mul(size),
          correct: logits.argmax(1).eq(y).cast('float32').sum(),
          zeros: summaries.map((s) => s.zeros),
          active: summaries.map((s) => s.active),
        };
      }),
    );
    const read = (t: Tensor) => t.data();
    const [l, c, zeros, active] = await Promise.all([
      read(out.lossSum),
      read(out.correct),
      Promise.all(out.zeros.map(read)),
      Promise.all(out.active.map(read)),
    ]);
    lossSum += l[0] as number;
    correct += c[0] as number;
    zeros.forEach((z, layer) => {
      activity.add(layer, z[0] as number, size * (model.hiddenSizes[layer] as number), active[layer] as ArrayLike<number>);
    });
    for (const t of [out.lossSum, out.correct, ...out.zeros, ...out.active]) t.dispose();
  }
  const n = split.count;
  return {
    examples: n,
    accuracy: n ? correct / n : 0,
    loss: n ? lossSum / n : 0,
    sparsity: activity.sparsity(),
    deadUnits: activity.deadUnits(),
  };
}

/** Class probabilities for each example of `pixels` (normalized, [n, 784]). */
export async function predict(model: Classifier, x: Tensor): Promise<{ labels: number[]; probabilities: Float32Array }> {
  const wasTraining = model.training;
  model.eval();
  let labels: Tensor;
  let probs: Tensor;
  try {
    [labels, probs] = noGrad(() =>
      tidy(() => {
        const logits = model.forward(x);
        return [logits.argmax(1), logits.softmax(1)];
      }),
    ) as [Tensor, Tensor];
  } finally {
    model.train(wasTraining);
  }
  const [l, p] = await Promise.all([labels.data(), probs.data()]);
  labels.dispose();
  probs.dispose();
  return { labels: Array.from(l), probabilities: p as Float32Array };
}
