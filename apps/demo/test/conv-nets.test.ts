import '@surrograd/backend-cpu';
import { noGrad, randn, tidy } from '@surrograd/core';
import { describe, expect, it } from 'vitest';
import { MNIST_SHAPE } from '../src/data/mnist.js';
import { createModel } from '../src/model/classifier.js';
import { CNN, type ConvNetName } from '../src/model/cnn.js';
import { loadCnnWeights, saveCnnWeights } from '../src/model/cnn-weights.js';

const CIFAR = { channels: 3, height: 32, width: 32 };
const relu = { name: 'relu', options: {} };

describe('the conv nets on 1×28×28 and 3×32×32 images', () => {
  for (const kind of ['cnn', 'vgg', 'vgg-bn', 'resnet'] as ConvNetName[]) {
    for (const input of [MNIST_SHAPE, CIFAR]) {
      it(`${kind} on ${input.channels}×${input.height}×${input.width}: logits, one probe per activation of its declared size, a gradient per weight`, () => {
        const net = new CNN(relu, 1, kind, input);
        try {
          tidy(() => {
            const x = randn([2, input.channels * input.height * input.width], { seed: 3 });
            const { logits, hidden } = noGrad(() => net.forwardWithHidden(x));
            expect(logits.shape).toEqual([2, 10]);
            expect(hidden.map((h) => h.shape[1])).toEqual(net.hiddenSizes);
            const weights = net.layerWeights;
            expect(weights[0]).toBe(net.firstWeight);
            net.forward(x).square().sum().backward();
            expect(weights.every((w) => w.grad !== null)).toBe(true);
          });
        } finally {
          net.dispose();
        }
      });
    }
  }

  it('the ResNet-style net counts its convs, shortcuts and classifier among its weights', () => {
    const net = new CNN(relu, 0, 'resnet');
    // Stem, two convs per block, 1×1 shortcuts in the two blocks that change shape, the classifier.
    expect(net.layerWeights.length).toBe(1 + 2 * 3 + 2 + 1);
    net.dispose();
  });

  it('saves the input shape with the weights, so a CIFAR-10 net loads back as one', async () => {
    const net = new CNN(relu, 2, 'resnet', CIFAR);
    const bytes = await saveCnnWeights(net);
    const loaded = loadCnnWeights(bytes, 'mem');
    expect(loaded.kind).toBe('resnet');
    expect(loaded instanceof CNN && loaded.input).toEqual(CIFAR);
    const x = randn([1, 3072], { seed: 1 });
    net.eval();
    loaded.eval();
    expect(Array.from(await noGrad(() => loaded.forward(x)).data())).toEqual(Array.from(await noGrad(() => net.forward(x)).data()));
    net.dispose();
    loaded.dispose();
  });

  it('the spiking net refuses colour images, saying what it takes', () => {
    expect(() => createModel('snn', [], { name: 'heaviside/atan', options: {} }, 0, CIFAR)).toThrow(
      /the spiking net takes 28×28 grayscale images \(MNIST, Fashion-MNIST\); the data has 3×32×32/,
    );
  });
});
