import { memory, nn, optim, randn, reluWithLeakyGrad, setBackend, type Tensor, tensor, tidy } from '@surrograd/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { fromTf, TfjsBackend, toTf } from '../src/index.js';
import { TF_BACKENDS, tf, useTfBackend } from './support/tfjs.js';

describe('TfjsBackend storage', () => {
  beforeAll(() => useTfBackend('cpu'));

  it('write copies its input and read/readSync return fresh copies', async () => {
    const be = new TfjsBackend();
    const src = new Float32Array([1, 2, 3]);
    const id = be.write(src, [3], 'float32');
    src[0] = 99;
    const first = be.readSync(id, 'float32');
    expect(Array.from(first)).toEqual([1, 2, 3]);
    first[1] = 42;
    expect(Array.from(await be.read(id, 'float32'))).toEqual([1, 2, 3]);
    be.dispose(id);
  });

  it('stores bool as 0/1 and rejects data that does not fill the shape', () => {
    const be = new TfjsBackend();
    const id = be.write(new Uint8Array([0, 2, 255, 1]), [4], 'bool');
    expect(Array.from(be.readSync(id, 'bool'))).toEqual([0, 1, 1, 1]);
    expect(be.readSync(id, 'bool')).toBeInstanceOf(Uint8Array);
    expect(() => be.write(new Float32Array(3), [2, 2], 'float32')).toThrow(/3 values cannot fill shape \[2, 2\]/);
    be.dispose(id);
  });

  it('counts buffers and bytes, and frees the tfjs tensors it holds', () => {
    const be = new TfjsBackend();
    const tfBefore = tf.memory().numTensors;
    const a = be.write(new Float32Array(10), [10], 'float32');
    const b = be.write(new Int32Array(3), [3], 'int32');
    const c = be.write(new Uint8Array(5), [5], 'bool');
    expect(be.memory()).toMatchObject({ numDataBuffers: 3, numBytes: 40 + 12 + 5, tfNumTensors: tfBefore + 3 });
    be.dispose(b);
    be.dispose(b); // a second dispose of the same buffer is a no-op
    expect(be.memory()).toMatchObject({ numDataBuffers: 2, numBytes: 45 });
    be.destroy();
    expect(be.memory()).toMatchObject({ numDataBuffers: 0, numBytes: 0, tfNumTensors: tfBefore });
    expect(() => be.readSync(a, 'float32')).toThrow(/disposed or does not belong to the tfjs backend/);
    expect(() => be.readSync(c, 'bool')).toThrow(/tfjs.readSync/);
  });

  it("keeps its buffers alive through a user's tf.tidy", async () => {
    await setBackend('tfjs');
    let t: Tensor | undefined;
    tf.tidy(() => {
      t = tensor([1, 2, 3]).mul(2);
    });
    expect(await t?.array()).toEqual([2, 4, 6]);
    t?.dispose();
  });
});

describe.each(TF_BACKENDS)('the tfjs backend on tfjs-backend-%s', (backend) => {
  beforeAll(async () => {
    await useTfBackend(backend);
    await setBackend('tfjs');
  });

  it('trains an MLP with steady memory on both sides (ours and tfjs)', async () => {
    const W1 = randn([8, 16], { seed: 1, requiresGrad: true });
    const b1 = tensor(new Float32Array(16), { requiresGrad: true });
    const W2 = randn([16, 3], { seed: 2, requiresGrad: true });
    const x = randn([32, 8], { seed: 3 });
    const labels = Array.from({ length: 32 }, (_, i) => i % 3);
    const opt = new optim.Adam([W1, b1, W2], { lr: 0.01 });
    const step = () =>
      tidy(() => {
        opt.zeroGrad();
        const h = reluWithLeakyGrad(x.matmul(W1).add(b1), { slope: 0.1 });
        const loss = nn.crossEntropy(h.matmul(W2), labels);
        loss.backward();
        opt.step();
        return loss.itemSync();
      });
    const first = step();
    step();
    const ours = memory();
    const tfs = tf.memory().numTensors;
    let last = first;
    for (let i = 0; i < 20; i++) last = step();
    expect(last).toBeLessThan(first);
    expect(memory()).toMatchObject({ numTensors: ours.numTensors, numDataBuffers: ours.numDataBuffers, numBytes: ours.numBytes });
    expect(tf.memory().numTensors).toBe(tfs);
    for (const t of [W1, b1, W2, x]) t.dispose();
  });

  it('hands tensors to tfjs and back without a copy or a leak', async () => {
    const tfBefore = tf.memory().numTensors;
    const square = tensor([
      [1, -2],
      [3, 4],
    ]);
    const flat = square.reshape([4]); // a view: same buffer, another shape
    const asTf = toTf(flat);
    expect(asTf.shape).toEqual([4]);
    expect(Array.from(await asTf.data())).toEqual([1, -2, 3, 4]);
    const relu = tf.relu(asTf);
    const back = fromTf(relu, { requiresGrad: true });
    relu.dispose(); // ours holds its own reference to the data
    expect(back.requiresGrad).toBe(true);
    expect(await back.array()).toEqual([1, 0, 3, 4]);
    for (const t of [square, flat, back]) t.dispose();
    asTf.dispose();
    expect(tf.memory().numTensors).toBe(tfBefore);
  });

  it('refuses a tensor of another backend with a clear error', async () => {
    expect(() => toTf({} as Tensor)).toThrow(/expected a surrograd Tensor/);
    const strings = tf.tensor(['a'], [1], 'string');
    expect(() => fromTf(strings)).toThrow(/dtype string is not supported/);
    strings.dispose();
  });
});
