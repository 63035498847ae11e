import { grad, memory, reluWithLeakyGrad, setBackend, signSTE, type Tensor, tensor } from '@surrograd/core';
import { afterEach, describe, expect, it } from 'vitest';
import '../src/index.js';
import { setInt32IsExact } from '../src/expr/int32-exact.js';
import { maskWords, packBits, unpackBits } from '../src/expr/mask-bits.js';
import { TF_BACKENDS, tf, useTfBackend } from './support/tfjs.js';

/** A deterministic bit pattern with bits 31 (the sign bit) and 0 of a word set. */
const bitsFor = (n: number) => Array.from({ length: n }, (_, i) => (i * 7919) % 3 === 0 || i % 32 === 31);

describe.each(TF_BACKENDS)('derivative masks on tfjs-backend-%s', (backend) => {
  afterEach(() => setInt32IsExact(backend, undefined));

  it.each([0, 1, 31, 32, 33, 77, 1000])('packs %i bits as 32 per int32 word, bit i % 32 of word i / 32, and unpacks them', async (n) => {
    await useTfBackend(backend);
    const bits = bitsFor(n);
    const packed = tf.tidy(() => packBits(tf.tensor1d(bits.map(Number), 'bool')));
    const want = new Int32Array(maskWords(n));
    bits.forEach((b, i) => {
      if (b) want[i >> 5] = (want[i >> 5] as number) | (1 << (i & 31));
    });
    expect(packed.dtype).toBe('int32');
    expect(Array.from(packed.dataSync())).toEqual(Array.from(want));
    const unpacked = tf.tidy(() => unpackBits(packed, n));
    expect(Array.from(unpacked.dataSync(), Boolean)).toEqual(bits);
    tf.dispose([packed, unpacked]);
  });

  it('saves one bool per element where int32 is not exact (webgl), with the same gradients', async () => {
    await useTfBackend(backend);
    await setBackend('tfjs');
    const values = Array.from({ length: 96 }, (_, i) => ((i * 37) % 19) / 4 - 2);
    const gradients = async () => {
      const x = tensor(values);
      const dx = grad((v) => reluWithLeakyGrad(v, { slope: 0.1 }).add(signSTE(v)).sum())(x) as Tensor;
      const out = Array.from(await dx.data());
      x.dispose();
      dx.dispose();
      return out;
    };
    const maskBytes = () => {
      const x = tensor(values, { requiresGrad: true });
      const base = memory().numBytes;
      const y = reluWithLeakyGrad(x);
      const bytes = memory().numBytes - base - 4 * values.length; // beyond the output
      y.dispose();
      x.dispose();
      return bytes;
    };
    const packed = await gradients();
    expect(maskBytes()).toBe(values.length / 8);
    setInt32IsExact(tf.getBackend(), false);
    expect(await gradients()).toEqual(packed);
    expect(maskBytes()).toBe(values.length);
    expect(packed.slice(0, 8)).toEqual(values.slice(0, 8).map((v) => Math.fround((v > 0 ? 1 : 0.1) + (Math.abs(v) <= 1 ? 1 : 0))));
  });
});
