/**
 * What the adapter costs over plain tfjs, both ways. `npx vitest run --config bench/vitest.config.ts`,
 * TFJS_BACKEND=cpu|wasm. The candidates run interleaved, each rep in a rotated order, and the report
 * gives each one's median time and the median of its per-rep ratio to the first (the machine is
 * shared: the ratios are what to read).
 *  - ReLU forward / leaky backward on 1M floats, fwd+bwd: the tf.customGrad a tfjs user writes by
 *    hand, tfOps.reluWithLeakyGrad, and surrograd's reluWithLeakyGrad on the 'tfjs' backend.
 *  - An MLP 784-256-256-10, batch 128, one SGD step: plain tfjs ops (with tfOps.reluWithLeakyGrad)
 *    against surrograd on the 'tfjs' backend.
 */
import { grad, nn, optim, randn, reluWithLeakyGrad, setBackend, type Tensor, tidy } from '@surrograd/core';
import { beforeAll, it } from 'vitest';
import { tfOps } from '../src/index.js';
import { tf } from '../test/support/tfjs.js';

const BACKEND = process.env.TFJS_BACKEND ?? 'wasm';
const REPS = BACKEND === 'cpu' ? 7 : 15;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

/** Runs the candidates interleaved REPS times (after one warm-up each) and prints medians and ratios. */
function compare(title: string, candidates: [string, () => void][]): void {
  for (const [, fn] of candidates) fn();
  const times = candidates.map(() => [] as number[]);
  for (let rep = 0; rep < REPS; rep++) {
    for (let k = 0; k < candidates.length; k++) {
      const c = (k + rep) % candidates.length;
      const t0 = performance.now();
      (candidates[c] as [string, () => void])[1]();
      (times[c] as number[]).push(performance.now() - t0);
    }
  }
  const base = times[0] as number[];
  const lines = candidates.map(([name], c) => {
    const mine = times[c] as number[];
    const ratio = median(mine.map((t, rep) => t / (base[rep] as number)));
    return `  ${name.padEnd(44)} ${median(mine).toFixed(1).padStart(8)} ms  ${ratio.toFixed(2)}x`;
  });
  console.log(`${title} (tfjs-${BACKEND}, ${REPS} interleaved reps: median time, median ratio to the first)\n${lines.join('\n')}`);
}

beforeAll(async () => {
  await tf.setBackend(BACKEND);
  await setBackend('tfjs');
});

it('relu forward, leaky backward, 1M floats, fwd+bwd', () => {
  const n = 1 << 20;
  const x = tf.randomNormal([n]);
  const xs = randn([n], { seed: 1 });
  const handWritten = tf.customGrad(((v: tf.Tensor, save: tf.GradSaveFunc) => {
    save([v]);
    return {
      value: tf.relu(v),
      gradFunc: (dy: tf.Tensor, [s]: tf.Tensor[]) => tf.mul(dy, tf.where(tf.greater(s as tf.Tensor, 0), 1, 0.01)),
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  // The tidy returns nothing: a typed array returned from tf.tidy is walked element by element.
  const fwdBwd = (f: (v: tf.Tensor) => tf.Tensor) => () => {
    tf.tidy(() => {
      tf.grad(f)(x, tf.onesLike(x)).dataSync();
    });
  };
  compare('relu forward, leaky backward, 1M floats, fwd+bwd', [
    ['hand-written tf.customGrad', fwdBwd(handWritten)],
    ['tfOps.reluWithLeakyGrad', fwdBwd((v) => tfOps.reluWithLeakyGrad(v))],
    [
      "surrograd reluWithLeakyGrad on 'tfjs'",
      () => {
        tidy(() => {
          (grad((v) => reluWithLeakyGrad(v).sum())(xs) as Tensor).dataSync();
        });
      },
    ],
  ]);
  x.dispose();
  xs.dispose();
});

it('MLP 784-256-256-10, batch 128, SGD step', () => {
  const sizes = [784, 256, 256, 10];
  const labels = Array.from({ length: 128 }, (_, i) => i % 10);
  const params: Tensor[] = [];
  const tfParams: tf.Variable[] = [];
  for (let l = 0; l < 3; l++) {
    const [fanIn, fanOut] = [sizes[l] as number, sizes[l + 1] as number];
    params.push(randn([fanIn, fanOut], { seed: 10 + l, std: 0.05, requiresGrad: true }));
    params.push(randn([fanOut], { seed: 20 + l, std: 0.05, requiresGrad: true }));
    tfParams.push(tf.variable(tf.randomNormal([fanIn, fanOut], 0, 0.05)));
    tfParams.push(tf.variable(tf.randomNormal([fanOut], 0, 0.05)));
  }
  const input = randn([128, 784], { seed: 3 });
  const opt = new optim.SGD(params, { lr: 0.01 });
  const ourStep = () =>
    tidy(() => {
      opt.zeroGrad();
      let h = input;
      for (let l = 0; l < 3; l++) {
        h = h.matmul(params[2 * l] as Tensor).add(params[2 * l + 1] as Tensor);
        if (l < 2) h = reluWithLeakyGrad(h);
      }
      const loss = nn.crossEntropy(h, labels);
      loss.backward();
      opt.step();
      loss.itemSync();
    });
  const tfInput = tf.randomNormal([128, 784]);
  const oneHot = tf.oneHot(tf.tensor1d(labels, 'int32'), 10);
  const sgd = tf.train.sgd(0.01);
  const tfStep = () =>
    tf.tidy(() => {
      const loss = sgd.minimize(() => {
        let h: tf.Tensor = tfInput;
        for (let l = 0; l < 3; l++) {
          h = tf.add(tf.matMul(h, tfParams[2 * l] as tf.Variable), tfParams[2 * l + 1] as tf.Variable);
          if (l < 2) h = tfOps.reluWithLeakyGrad(h);
        }
        return tf.losses.softmaxCrossEntropy(oneHot, h) as tf.Scalar;
      }, true);
      loss?.dataSync();
    });
  compare('MLP 784-256-256-10, batch 128, SGD step', [
    ['plain tfjs ops + tfOps.reluWithLeakyGrad', tfStep],
    ["surrograd on 'tfjs'", ourStep],
  ]);
  for (const t of [...params, input]) t.dispose();
  tf.dispose([...tfParams, tfInput, oneHot]);
  sgd.dispose();
});
