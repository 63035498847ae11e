import * as tfl from '@tensorflow/tfjs-layers';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SurrogateActivation, surrogateActivation } from '../src/layers/index.js';
import { tf, useTfBackend } from './support/tfjs.js';

/** Two interleaved classes in 2-D that a linear model cannot separate: XOR of the signs. */
function xorData(n: number, seed: number): { x: tf.Tensor2D; y: tf.Tensor2D } {
  let s = seed;
  const next = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = next();
    const b = next();
    xs.push(a, b);
    ys.push(a * b > 0 ? 1 : 0);
  }
  return { x: tf.tensor2d(xs, [n, 2]), y: tf.tensor2d(ys, [n, 1]) };
}

function makeModel(): tfl.Sequential {
  const model = tfl.sequential();
  model.add(tfl.layers.dense({ units: 16, inputShape: [2], kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }) }));
  model.add(surrogateActivation({ activation: 'reluWithLeakyGrad', options: { slope: 0.1 } }));
  model.add(tfl.layers.dense({ units: 1, activation: 'sigmoid', kernelInitializer: tfl.initializers.glorotUniform({ seed: 2 }) }));
  model.compile({ optimizer: tf.train.adam(0.05), loss: 'binaryCrossentropy' });
  return model;
}

describe('SurrogateActivation in a tfjs-layers model', () => {
  beforeAll(() => useTfBackend('cpu'));
  afterEach(() => tf.disposeVariables());

  it('trains with model.fit: the loss falls', async () => {
    const { x, y } = xorData(128, 7);
    const model = makeModel();
    const history = await model.fit(x, y, { epochs: 40, batchSize: 32, verbose: 0, shuffle: false });
    const loss = history.history.loss as number[];
    expect(loss[loss.length - 1]).toBeLessThan(0.5 * (loss[0] as number));
    model.dispose();
    tf.dispose([x, y]);
  });

  it('applies the forward of relu and the gradient of leaky relu', () => {
    const layer = new SurrogateActivation({ activation: 'reluWithLeakyGrad', options: { slope: 0.25 } });
    const x = tf.tensor1d([-2, -0.5, 0, 1.5]);
    const y = layer.apply(x) as tf.Tensor;
    expect(Array.from(y.dataSync())).toEqual([0, 0, 0, 1.5]);
    const g = tf.grad((v: tf.Tensor) => tf.sum(layer.apply(v) as tf.Tensor))(x);
    expect(Array.from(g.dataSync())).toEqual([0.25, 0.25, 0.25, 1]);
    tf.dispose([x, y, g]);
  });

  it('saves to memory and loads back with the same predictions', async () => {
    const { x, y } = xorData(64, 11);
    const model = makeModel();
    await model.fit(x, y, { epochs: 3, batchSize: 32, verbose: 0 });
    let artifacts: tf.io.ModelArtifacts | undefined;
    await model.save(
      tf.io.withSaveHandler(async (a) => {
        artifacts = a;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    expect(JSON.stringify(artifacts?.modelTopology)).toContain('"class_name":"SurrogateActivation"');
    const loaded = await tfl.loadLayersModel(tf.io.fromMemory(artifacts as tf.io.ModelArtifacts));
    const layer = loaded.layers[1] as SurrogateActivation;
    expect(layer).toBeInstanceOf(SurrogateActivation);
    expect(layer.activation).toBe('reluWithLeakyGrad');
    expect(layer.options).toEqual({ slope: 0.1 });
    const before = model.predict(x) as tf.Tensor;
    const after = loaded.predict(x) as tf.Tensor;
    expect(Array.from(after.dataSync())).toEqual(Array.from(before.dataSync()));
    tf.dispose([x, y, before, after]);
    model.dispose();
    loaded.dispose();
  });

  it('leaves tf.memory() flat across training epochs', async () => {
    const { x, y } = xorData(64, 3);
    const model = makeModel();
    await model.fit(x, y, { epochs: 2, batchSize: 16, verbose: 0 });
    const before = tf.memory().numTensors;
    await model.fit(x, y, { epochs: 3, batchSize: 16, verbose: 0 });
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
    tf.dispose([x, y]);
  });

  it('rejects an unknown activation by naming the known ones', () => {
    expect(() => new SurrogateActivation({ activation: 'reluu' })).toThrow(/no activation named 'reluu'.*reluWithLeakyGrad/);
  });
});
