/**
 * Subnormals on WebGPU, as docs/errors.md ("Subnormals on WebGPU") states them: what agrees with the
 * cpu exactly (signs, comparisons, masks, floor/ceil, log and sqrt from the bits) and the one bounded
 * difference (a subnormal result may be flushed: within 2^-126 of the exact value, sign kept or 0).
 */
import '../src/index.js';
import { reluWithLeakyGrad, setBackend, type Tensor, tensor, tidy } from '@surrograd/core';
import { beforeAll, describe, expect, it } from 'vitest';

const TINY = 2 ** -126;
const SUB = [1e-40, -1e-40, 1.4e-45, -1.4e-45].map(Math.fround);
const flat = async (t: Tensor) => Array.from(await t.data());

describe('subnormals on webgpu', () => {
  beforeAll(async () => {
    await setBackend('webgpu');
  });

  it('signs, comparisons and floor/ceil agree with the cpu', async () => {
    const x = tensor(SUB);
    const outs = tidy(() => [x.sign(), x.gt(0), x.lt(0), x.floor(), x.ceil(), x.maximum(0), x.minimum(0)]);
    const [sign, gt, lt, floor, ceil, max, min] = await Promise.all(outs.map(flat));
    expect(sign).toEqual([1, -1, 1, -1]);
    expect(gt).toEqual([1, 0, 1, 0]);
    expect(lt).toEqual([0, 1, 0, 1]);
    expect(floor).toEqual([0, -1, 0, -1]);
    expect(ceil.map((v) => v + 0)).toEqual([1, 0, 1, 0]);
    expect(Object.is(ceil[1], -0)).toBe(true);
    // max(1e-40, 0) is 1e-40 or its flushed +0; never the wrong side of zero.
    for (const [i, v] of max.entries()) expect(v === SUB[i] || (SUB[i]! > 0 ? v >= 0 && v <= TINY : v === 0)).toBe(true);
    for (const [i, v] of min.entries()) expect(v === SUB[i] || (SUB[i]! < 0 ? v <= 0 && v >= -TINY : v === 0)).toBe(true);
    x.dispose();
    for (const t of outs) t.dispose();
  });

  it('log and sqrt of subnormals are computed from the bits', async () => {
    const x = tensor(SUB);
    const [log, sqrt] = tidy(() => [x.log(), x.sqrt()]);
    const l = await flat(log!);
    const s = await flat(sqrt!);
    for (const i of [0, 2]) {
      expect(Math.abs(l[i]! - Math.log(SUB[i]!))).toBeLessThan(1e-4);
      expect(Math.abs(s[i]! - Math.sqrt(SUB[i]!)) / Math.sqrt(SUB[i]!)).toBeLessThan(1e-6);
    }
    for (const i of [1, 3]) expect([Number.isNaN(l[i]), Number.isNaN(s[i])]).toEqual([true, true]);
    x.dispose();
    log!.dispose();
    sqrt!.dispose();
  });

  it("activation masks see a subnormal's sign: reluWithLeakyGrad' at 1.4e-45 is 1", async () => {
    const x = tensor(SUB, { requiresGrad: true });
    const y = reluWithLeakyGrad(x, { slope: 0.1 });
    y.sum().backward();
    expect((await flat(x.grad!)).map(Math.fround)).toEqual([1, 0.1, 1, 0.1].map(Math.fround));
    x.grad!.dispose();
    x.dispose();
    y.dispose();
  });

  it('a subnormal result may be flushed: within 2^-126 of the exact value, never of the other sign', async () => {
    const x = tensor([3.4e38, -3.4e38]);
    const r = x.reciprocal();
    const exact = [1 / Math.fround(3.4e38), -1 / Math.fround(3.4e38)];
    const got = await flat(r);
    for (let i = 0; i < 2; i++) {
      expect(Math.abs(got[i]! - exact[i]!)).toBeLessThan(TINY);
      expect(got[i]! === 0 || Math.sign(got[i]!) === Math.sign(exact[i]!)).toBe(true);
    }
    x.dispose();
    r.dispose();
  });
});
