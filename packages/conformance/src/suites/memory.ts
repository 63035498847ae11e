/**
 * memory() must hold steady: a tidy'd training step, a backward pass, and dispose leave no live
 * tensors or buffers behind. GPU and wasm memory is not garbage collected, so a leak here is an
 * out-of-memory error in a long training run.
 */
import { memory, type Tensor, tensor, tidy } from '@surrograd/core';
import { describe } from 'vitest';
import { test } from '../declare.js';
import { goldenTensor } from '../decode.js';
import { loadMlp } from '../goldens.js';
import type { KitContext } from '../options.js';
import { makeOptimizer, mlpLoss, PARAM_NAMES } from '../programs/mlp.js';

interface Snapshot {
  numTensors: number;
  numBytes: number;
  numDataBuffers: number;
}

function snapshot(): Snapshot {
  const m = memory();
  return { numTensors: m.numTensors, numBytes: m.numBytes, numDataBuffers: m.numDataBuffers };
}

function expectSame(label: string, before: Snapshot, after: Snapshot): void {
  const diffs = (Object.keys(before) as (keyof Snapshot)[])
    .filter((k) => before[k] !== after[k])
    .map((k) => `${k} ${before[k]} → ${after[k]}`);
  if (diffs.length) throw new Error(`${label}: memory() changed: ${diffs.join(', ')}`);
}

async function trainingStep(optimizer: string, options: Record<string, unknown>): Promise<void> {
  const golden = loadMlp();
  const params = PARAM_NAMES.map((n) => goldenTensor(golden.params[n], true));
  const [W1, b1, W2, b2] = params as [Tensor, Tensor, Tensor, Tensor];
  const x = goldenTensor(golden.x);
  const labels = goldenTensor(golden.labels);
  const opt = makeOptimizer(optimizer, params, options);
  const step = () =>
    tidy(() => {
      opt.zeroGrad();
      const loss = mlpLoss({ W1, b1, W2, b2 }, x, labels);
      loss.backward();
      opt.step();
    });
  // Warm-up: optimizer state and .grad tensors live on, and may be allocated lazily (SGD's
  // momentum buffer can share the first gradient's storage until the second step).
  step();
  step();
  const before = snapshot();
  for (let i = 0; i < 3; i++) step();
  expectSame(`3 more ${optimizer} steps`, before, snapshot());
  for (const t of [...params, x, labels]) t.dispose();
}

async function backwardFreesGraph(): Promise<void> {
  const before = snapshot();
  tidy(() => {
    const x = tensor(
      [
        [1, -2, 3],
        [0.5, 0, -1],
      ],
      { requiresGrad: true },
    );
    const y = x.exp().mul(x).softmax(-1).logSumExp().add(x.relu().sum());
    y.backward();
  });
  expectSame('tidy around a backward pass', before, snapshot());
}

async function disposeFrees(): Promise<void> {
  const before = snapshot();
  const t = tensor(new Float32Array(1000), { shape: [10, 100] });
  const during = snapshot();
  if (during.numTensors !== before.numTensors + 1 || during.numBytes < before.numBytes + 4000) {
    throw new Error(`a new [10,100] tensor should add 1 tensor and ≥ 4000 bytes: ${JSON.stringify(before)} → ${JSON.stringify(during)}`);
  }
  t.dispose();
  expectSame('tensor() then dispose()', before, snapshot());
}

export function memorySuite(kit: KitContext): void {
  describe('memory', () => {
    test(kit, 'memory/tensor() then dispose() restores memory()', disposeFrees);
    test(kit, 'memory/tidy around backward frees the graph', backwardFreesGraph);
    test(kit, 'memory/tidy training step with SGD momentum', () => trainingStep('SGD', { lr: 0.1, momentum: 0.9 }));
    test(kit, 'memory/tidy training step with Adam', () => trainingStep('Adam', { lr: 0.01 }));
    test(kit, 'memory/tidy training step with AdamW', () => trainingStep('AdamW', { lr: 0.01, weightDecay: 0.1 }));
  });
}
