/**
 * Resource faults during training: the device lost between two steps, and two trainings
 * interleaved at their awaits. Both are what a web page meets (a GPU reset, two models on one
 * page); neither may give a silent wrong number.
 */
import { currentBackend, getBackend, memory, optim, setBackend, type Tensor, tensor, tidy } from '@surrograd/core';
import { describe, expect, it } from 'vitest';
import { type WebGpuBackend, WebGpuDeviceLostError } from '../src/index.js';

/** Deterministic values in [-1, 1) from a seed (no backend involved, so runs compare exactly). */
function values(seed: number, n: number): Float32Array {
  let s = seed >>> 0 || 1;
  return Float32Array.from({ length: n }, () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return ((s >>> 0) / 2 ** 32) * 2 - 1;
  });
}

const [BATCH, IN, HIDDEN, OUT] = [16, 8, 12, 3];

interface Problem {
  x: Float32Array;
  labels: number[];
  init: Float32Array[];
}

function problem(seed: number): Problem {
  return {
    x: values(seed, BATCH * IN),
    labels: Array.from({ length: BATCH }, (_, i) => (i * 7 + seed) % OUT),
    init: [values(seed + 1, HIDDEN * IN), values(seed + 2, HIDDEN), values(seed + 3, OUT * HIDDEN), values(seed + 4, OUT)],
  };
}

const SHAPES = [[HIDDEN, IN], [HIDDEN], [OUT, HIDDEN], [OUT]];

/** A two-layer MLP's parameters on the current backend, from host values. */
function parameters(init: Float32Array[]): Tensor[] {
  return init.map((v, i) => tensor(v, { shape: SHAPES[i] as number[], requiresGrad: true }));
}

/** One SGD step; resolves to the loss once the GPU has computed it. */
async function step(params: Tensor[], opt: optim.SGD, p: Problem, x: Tensor): Promise<number> {
  const [w1, b1, w2, b2] = params as [Tensor, Tensor, Tensor, Tensor];
  const loss = tidy(() => {
    const h = x.matmul(w1.transpose()).add(b1).relu();
    const logits = h.matmul(w2.transpose()).add(b2);
    return logits.logSoftmax(1).mul(onehot(p.labels)).sum().div(-BATCH);
  });
  try {
    loss.backward();
    opt.step();
    opt.zeroGrad();
    return (await loss.data())[0] as number;
  } finally {
    loss.dispose();
  }
}

function onehot(labels: number[]): Tensor {
  const v = new Float32Array(labels.length * OUT);
  labels.forEach((c, i) => {
    v[i * OUT + c] = 1;
  });
  return tensor(v, { shape: [labels.length, OUT] });
}

const backend = () => currentBackend() as WebGpuBackend;

describe('device loss mid-training', () => {
  it('fails the step with WebGpuDeviceLostError, and training resumes from a checkpoint on a fresh device', async () => {
    await setBackend('webgpu');
    const p = problem(11);
    let params = parameters(p.init);
    let x = tensor(p.x, { shape: [BATCH, IN] });
    let opt = new optim.SGD(params, { lr: 0.5 });
    const losses: number[] = [];
    for (let i = 0; i < 5; i++) losses.push(await step(params, opt, p, x));
    const checkpoint = await Promise.all(params.map(async (t) => Float32Array.from(await t.data())));

    // The device goes while a step is in flight: recorded and submitted, its loss not yet read.
    const lost = backend();
    const failed = step(params, opt, p, x).catch((e: unknown) => e);
    lost.device.destroy();
    const err = await failed;
    // The read of that step fails (a GPU that finished the work before the loss was noticed may
    // still deliver the real loss; then the next step must fail). Never a wrong number.
    if (!(err instanceof WebGpuDeviceLostError)) {
      expect(typeof err).toBe('number');
      await lost.device.lost;
      await expect(step(params, opt, p, x)).rejects.toThrow(WebGpuDeviceLostError);
    } else {
      expect(err.message).toMatch(/the GPU device was lost.*call `await setBackend\('webgpu'\)`/);
    }
    await lost.device.lost;
    await expect(step(params, opt, p, x)).rejects.toThrow(WebGpuDeviceLostError);
    // webgpu stays current: new tensors and ops fail naming the recovery, never landing on cpu.
    expect(getBackend()).toBe('webgpu');
    expect(backend()).toBe(lost);
    expect(() => tensor([1, 2])).toThrow(WebGpuDeviceLostError);
    expect(() => tensor([1, 2])).toThrow(/^write: webgpu: the GPU device was lost.*call `await setBackend\('webgpu'\)`/);
    expect(() => x.add(1)).toThrow(WebGpuDeviceLostError);
    for (const t of [...params, x]) t.dispose();

    // Recover: a fresh device, the parameters from the checkpoint, training goes on.
    await setBackend('webgpu');
    expect(backend()).not.toBe(lost);
    params = parameters(checkpoint);
    x = tensor(p.x, { shape: [BATCH, IN] });
    opt = new optim.SGD(params, { lr: 0.5 });
    const resumed: number[] = [];
    for (let i = 0; i < 10; i++) resumed.push(await step(params, opt, p, x));
    expect(resumed[resumed.length - 1] as number).toBeLessThan(losses[losses.length - 1] as number);
    for (const t of [...params, x]) t.dispose();
    expect(memory().numTensors).toBe(0);
  });
});

describe('two trainings interleaved with await', () => {
  async function train(seed: number, steps: number): Promise<{ losses: number[]; params: number[][] }> {
    const p = problem(seed);
    const params = parameters(p.init);
    const x = tensor(p.x, { shape: [BATCH, IN] });
    const opt = new optim.SGD(params, { lr: 0.5 });
    const losses: number[] = [];
    for (let i = 0; i < steps; i++) losses.push(await step(params, opt, p, x));
    const out = await Promise.all(params.map(async (t) => Array.from(await t.data())));
    for (const t of [...params, x]) t.dispose();
    return { losses, params: out };
  }

  it('give exactly what each gives alone', async () => {
    await setBackend('webgpu');
    const before = memory().numTensors;
    const alone = [await train(21, 12), await train(22, 12)];
    const together = await Promise.all([train(21, 12), train(22, 12)]);
    expect(together[0]).toEqual(alone[0]);
    expect(together[1]).toEqual(alone[1]);
    expect((alone[0] as { losses: number[] }).losses).not.toEqual((alone[1] as { losses: number[] }).losses);
    expect(memory().numTensors).toBe(before);
  });
});
