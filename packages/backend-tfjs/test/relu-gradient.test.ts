import * as tfl from '@tensorflow/tfjs-layers';
import { afterEach, describe, expect, it } from 'vitest';
import { leakyReluGradientSlope, restoreReluGradient, useLeakyReluGradient } from '../src/ops/index.js';
import { TF_BACKENDS, tf, useTfBackend } from './support/tfjs.js';

const X = [-2, -0.5, 0, 0.5, 3];
const reluGrad = () => {
  const x = tf.tensor1d(X);
  const g = tf.grad((v: tf.Tensor) => tf.sum(tf.relu(v)))(x);
  const out = Array.from(g.dataSync());
  tf.dispose([x, g]);
  return out;
};

describe.each(TF_BACKENDS)("overriding tfjs's Relu gradient on tfjs-backend-%s", (backend) => {
  afterEach(() => restoreReluGradient());

  it('makes tf.relu backpropagate x > 0 ? 1 : slope, and restores the original', async () => {
    await useTfBackend(backend);
    const original = tf.getGradient('Relu');
    expect(reluGrad()).toEqual([0, 0, 0, 1, 1]);
    const restore = useLeakyReluGradient({ slope: 0.1 });
    expect(leakyReluGradientSlope()).toBe(0.1);
    expect(reluGrad().map(Math.fround)).toEqual([0.1, 0.1, 0.1, 1, 1].map(Math.fround));
    // Forward values are untouched: still ReLU.
    const y = tf.relu(tf.tensor1d(X));
    expect(Array.from(y.dataSync())).toEqual([0, 0, 0, 0.5, 3]);
    y.dispose();
    useLeakyReluGradient({ slope: 0.25 });
    expect(reluGrad()).toEqual([0.25, 0.25, 0.25, 1, 1]);
    restore();
    expect(leakyReluGradientSlope()).toBeNull();
    expect(tf.getGradient('Relu')).toBe(original);
    expect(reluGrad()).toEqual([0, 0, 0, 1, 1]);
  });

  it.each([
    ["Dense layers with activation 'relu'", false],
    ["tf.layers.activation('relu')", true],
  ])("reaches an unedited model's %s during training", async (_, separate) => {
    await useTfBackend(backend);
    const bias = tfl.initializers.constant({ value: -10 });
    const first = separate
      ? [
          tfl.layers.dense({ units: 4, inputShape: [3], kernelInitializer: 'ones', biasInitializer: bias }),
          tfl.layers.activation({ activation: 'relu' }),
        ]
      : [tfl.layers.dense({ units: 4, inputShape: [3], activation: 'relu', kernelInitializer: 'ones', biasInitializer: bias })];
    const model = tfl.sequential({ layers: [...first, tfl.layers.dense({ units: 1, kernelInitializer: 'ones' })] });
    const x = tf.tensor2d([[1, 2, 3]]);
    const firstKernelGrad = () => {
      const { grads, value } = tf.variableGrads(
        () => tf.sum(model.apply(x) as tf.Tensor) as tf.Scalar,
        [model.weights[0]!.read() as tf.Variable],
      );
      const g = Array.from((Object.values(grads)[0] as tf.Tensor).dataSync());
      tf.dispose([value, ...Object.values(grads)]);
      return g;
    };
    // Every unit is dead (pre-activation 6 - 10 < 0): tfjs's gradient is 0, the leaky one is not.
    expect(firstKernelGrad().every((v) => v === 0)).toBe(true);
    useLeakyReluGradient({ slope: 0.5 });
    expect(firstKernelGrad()).toEqual([0.5, 0.5, 0.5, 0.5, 1, 1, 1, 1, 1.5, 1.5, 1.5, 1.5]);
    restoreReluGradient();
    expect(firstKernelGrad().every((v) => v === 0)).toBe(true);
    model.dispose();
    x.dispose();
  });

  it('restores "no gradient" when tfjs had none registered (tfjs-core alone)', async () => {
    await useTfBackend(backend);
    const original = tf.getGradient('Relu');
    tf.unregisterGradient('Relu');
    try {
      useLeakyReluGradient();
      expect(reluGrad().map(Math.fround)).toEqual([0.01, 0.01, 0.01, 1, 1].map(Math.fround));
      restoreReluGradient();
      expect(tf.getGradient('Relu')).toBeUndefined();
    } finally {
      tf.registerGradient(original);
    }
  });

  it('rejects a slope that is not a finite number', () => {
    expect(() => useLeakyReluGradient({ slope: Number.NaN })).toThrow(/slope must be a finite number/);
    expect(leakyReluGradientSlope()).toBeNull();
  });
});
