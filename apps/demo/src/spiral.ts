/**
 * A small training run on cpu: a 3-arm spiral, an MLP whose hidden activation is ReLU forward with
 * a leaky gradient backward, Adam. Prints the loss falling and the final accuracy.
 */
import '@surrograd/backend-cpu';
import { Generator, getBackend, nn, optim, reluWithLeakyGrad, setBackend, type Tensor, tensor, tidy } from '@surrograd/core';

const CLASSES = 3;
const PER_CLASS = 200;

function spiral(seed: number): { x: Tensor; labels: number[] } {
  const gen = new Generator(seed);
  const points: number[] = [];
  const labels: number[] = [];
  for (let c = 0; c < CLASSES; c++) {
    for (let i = 0; i < PER_CLASS; i++) {
      const r = i / PER_CLASS;
      const angle = (c * 2 * Math.PI) / CLASSES + r * 4 + gen.normal() * 0.2;
      points.push(r * Math.sin(angle), r * Math.cos(angle));
      labels.push(c);
    }
  }
  return { x: tensor(new Float32Array(points), { shape: [CLASSES * PER_CLASS, 2] }), labels };
}

class Net extends nn.Module {
  l1 = new nn.Linear(2, 64, { seed: 1 });
  l2 = new nn.Linear(64, 64, { seed: 3 });
  l3 = new nn.Linear(64, CLASSES, { seed: 5 });
  forward(x: Tensor): Tensor {
    const h1 = reluWithLeakyGrad(this.l1.forward(x), { slope: 0.1 });
    const h2 = reluWithLeakyGrad(this.l2.forward(h1), { slope: 0.1 });
    return this.l3.forward(h2);
  }
}

await setBackend('cpu');
const { x, labels } = spiral(0);
const net = new Net();
const opt = new optim.Adam(net.parameters(), { lr: 0.01 });
console.log(`surrograd on '${getBackend()}': 3-arm spiral, ${labels.length} points, MLP 2-64-64-3 (reluWithLeakyGrad, slope 0.1), Adam`);
const start = performance.now();
for (let step = 0; step <= 300; step++) {
  const loss = tidy(() => {
    opt.zeroGrad();
    const l = nn.crossEntropy(net.forward(x), labels);
    l.backward();
    opt.step();
    return l.detach();
  });
  if (step % 30 === 0) console.log(`step ${String(step).padStart(3)}  loss ${loss.itemSync().toFixed(4)}`);
  loss.dispose();
}
const accuracy = tidy(() => {
  const predicted = net.forward(x).argmax(1).dataSync();
  let correct = 0;
  for (let i = 0; i < labels.length; i++) if (predicted[i] === labels[i]) correct++;
  return correct / labels.length;
});
console.log(`train accuracy ${(accuracy * 100).toFixed(1)}% in ${((performance.now() - start) / 1000).toFixed(2)} s`);
