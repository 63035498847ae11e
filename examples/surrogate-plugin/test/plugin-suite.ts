/**
 * The plugin's own tests, for one backend: a test file imports the backend and the plugin, then
 * calls pluginSuite({ backend }). They check the plugin's promises on that backend: the spike
 * forward, the Gaussian backward (against its formula and against autograd of the smooth step it
 * is the derivative of), the second derivative, training, memory, and the FiringRate kernel
 * against core ops.
 */
import {
  derivativeKind,
  getKernel,
  grad,
  gradgradcheck,
  kernelsFor,
  memory,
  nn,
  optim,
  registerKernel,
  setBackend,
  straightThrough,
  type Tensor,
  tensor,
  tidy,
  unregisterKernel,
  zeros,
} from '@surrograd/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { FIRING_RATE, firingRate, firingRateComposite, GAUSSIAN_KIND, HeavisideGaussian, heavisideGaussian } from '../src/index.js';

const SIGMAS = [0.5, 0.2, 1.5];
/** A sweep of [-3, 3] plus the points where conventions differ (0, -0, far tails). */
const GRID = [...Array.from({ length: 121 }, (_, i) => -3 + i * 0.05 + 0.0013), 0, -0, 1e-6, -1e-6, 20, -20];

const density = (x: number, sigma: number) => Math.exp(-(x * x) / (2 * sigma * sigma)) / (sigma * Math.sqrt(2 * Math.PI));

function expectClose(label: string, actual: ArrayLike<number>, expected: ArrayLike<number>, rtol = 1e-5, atol = 1e-7): void {
  expect(actual.length, `${label}: length`).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i] as number;
    const e = expected[i] as number;
    if (Number.isNaN(e)) {
      expect(Number.isNaN(a), `${label}[${i}]: expected NaN, got ${a}`).toBe(true);
      continue;
    }
    expect(Math.abs(a - e) <= atol + rtol * Math.abs(e), `${label}[${i}]: got ${a}, expected ${e}`).toBe(true);
  }
}

/** Value and gradient of sum(f(x) · dy) at xs, freeing everything it made. */
async function valueAndGradient(f: (x: Tensor) => Tensor, xs: number[], dy?: number[]): Promise<{ y: number[]; g: number[] }> {
  const x = tensor(xs, { requiresGrad: true });
  try {
    const y = tidy(() => {
      const out = f(x);
      out.backward(dy ? tensor(dy) : out.mul(0).add(1));
      return out.detach();
    });
    const result = { y: Array.from(await y.data()), g: Array.from(await x.grad!.data()) };
    y.dispose();
    return result;
  } finally {
    x.dispose();
  }
}

/** Φ(x/σ): the smooth step whose derivative the surrogate is. */
const smoothStep = (x: Tensor, sigma: number) =>
  x
    .div(sigma * Math.SQRT2)
    .erf()
    .add(1)
    .mul(0.5);

export function pluginSuite({ backend }: { backend: string }): void {
  describe(`surrograd-plugin-gaussian-surrogate on '${backend}'`, () => {
    beforeAll(async () => {
      await setBackend(backend);
    });

    it('registers its derivative kind in core and its kernel for the backend', () => {
      expect(derivativeKind(GAUSSIAN_KIND)).toMatchObject({ from: 'x', params: ['sigma'] });
      expect(kernelsFor(backend)).toContain(FIRING_RATE);
    });

    it('spikes forward: x > 0 ? 1 : 0, NaN stays NaN', async () => {
      const x = tensor([-1, 0, -0, 0.5, 1e-30, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]);
      const y = heavisideGaussian(x);
      expectClose('spikes', await y.data(), [0, 0, 0, 1, 1, Number.NaN, 1, 0], 0, 0);
      x.dispose();
      y.dispose();
    });

    for (const sigma of SIGMAS) {
      it(`backward is dy · N(0, σ²) density (σ = ${sigma}), in one fused kernel`, async () => {
        const dy = GRID.map((_, i) => 0.25 + ((i * 7) % 13) / 8);
        const { g } = await valueAndGradient((x) => heavisideGaussian(x, { sigma }), GRID, dy);
        expectClose(
          'dx',
          g,
          GRID.map((v, i) => (dy[i] as number) * density(Math.fround(v), sigma)),
          1e-5,
          1e-7,
        );
      });

      it(`is the straight-through pair (spike, Φ(x/σ)) with one kernel per pass (σ = ${sigma})`, async () => {
        const fused = await valueAndGradient((x) => heavisideGaussian(x, { sigma }), GRID);
        const reference = await valueAndGradient((x) => straightThrough(x.gt(0).cast('float32'), smoothStep(x, sigma)), GRID);
        expect(fused.y).toEqual(reference.y);
        expectClose('gradient vs autograd of Φ(x/σ)', fused.g, reference.g, 1e-4, 1e-6);
      });
    }

    it('differentiates twice: grad(grad(f)) is the density’s derivative −x/σ² · density', async () => {
      const sigma = 0.5;
      const xs = GRID.filter((_, i) => i % 10 === 0);
      const x = tensor(xs);
      const second = grad((v: Tensor) => grad((u: Tensor) => heavisideGaussian(u, { sigma }).sum())(v).sum())(x);
      const fx = (v: number) => Math.fround(v);
      expectClose(
        'd²/dx²',
        await second.data(),
        xs.map((v) => (-fx(v) / (sigma * sigma)) * density(fx(v), sigma)),
        1e-4,
        1e-6,
      );
      x.dispose();
      second.dispose();
    });

    it('passes gradgradcheck in float64 where the backend stores float64', () => {
      const x = (() => {
        try {
          return tensor([-1.3, -0.4, 0.05, 0.7, 2.1], { dtype: 'float64', requiresGrad: true });
        } catch {
          return null; // a float32-only backend (wasm, webgpu): the grad(grad(f)) test above covers it
        }
      })();
      if (!x) return;
      expect(gradgradcheck((v) => heavisideGaussian(v, { sigma: 0.7 }), [x])).toBe(true);
      x.dispose();
    });

    it('rejects bad options and inputs with errors that say what was expected', () => {
      const x = tensor([1, -1]);
      expect(() => heavisideGaussian(x, { sigma: 0 })).toThrow('heavisideGaussian: sigma must be a finite number > 0, got 0');
      expect(() => heavisideGaussian(x, { sigma: Number.NaN })).toThrow('sigma must be a finite number > 0, got NaN');
      expect(() => heavisideGaussian(x, { width: 1 } as never)).toThrow("heavisideGaussian: unknown option 'width'; options are sigma");
      const ints = x.cast('int32');
      expect(() => heavisideGaussian(ints)).toThrow('heavisideGaussian: x must be float32 or float64, got int32');
      expect(() => firingRate(tensor(1))).toThrow('firingRate: x must have at least one dimension');
      expect(() => firingRate(ints)).toThrow('firingRate: x must be float32, got int32');
      x.dispose();
      ints.dispose();
    });

    it('trains a spiking layer through its surrogate, with memory steady across steps', async () => {
      // Every path from the loss to the first layer goes through the spikes, whose true derivative
      // is zero almost everywhere: the first layer learns only through the surrogate.
      const model = new nn.Sequential(
        new nn.Linear(4, 32, { seed: 7 }),
        new HeavisideGaussian({ sigma: 0.5 }),
        new nn.Linear(32, 2, { seed: 8 }),
      );
      const first = model.layers[0] as nn.Linear;
      const xs: number[] = [];
      const labels: number[] = [];
      for (let i = 0; i < 64; i++) {
        const row = [Math.sin(i * 1.7), Math.cos(i * 2.3), Math.sin(i * 0.9 + 1), Math.cos(i * 0.4)];
        xs.push(...row);
        labels.push((row[0] as number) + (row[1] as number) * (row[2] as number) > 0 ? 1 : 0);
      }
      const x = tensor(xs, { shape: [64, 4] });
      const before = Array.from(await first.weight.data());
      const opt = new optim.Adam(model.parameters(), { lr: 0.02 });
      const losses: number[] = [];
      let steady = -1;
      for (let step = 0; step < 80; step++) {
        const loss = tidy(() => {
          opt.zeroGrad();
          const l = nn.crossEntropy(model.forward(x), labels);
          l.backward();
          opt.step();
          return l;
        });
        losses.push(await loss.item());
        loss.dispose();
        if (step === 3) steady = memory().numBytes;
        if (step > 3) expect(memory().numBytes, `bytes at step ${step}`).toBe(steady);
      }
      const after = Array.from(await first.weight.data());
      expect(
        after.some((w, i) => w !== before[i]),
        'the first layer moved (through the spikes)',
      ).toBe(true);
      expect(losses.at(-1) as number).toBeLessThan(0.6 * (losses[0] as number));
      const rates = tidy(() => firingRate(model.layers[1]!.forward((model.layers[0] as nn.Linear).forward(x))));
      const r = Array.from(await rates.data());
      expect(r.every((v) => v >= 0 && v <= 1)).toBe(true);
      expect(
        r.some((v) => v > 0 && v < 1),
        'some units fire on some inputs only',
      ).toBe(true);
      rates.dispose();
      x.dispose();
      model.dispose();
    });

    describe('FiringRate kernel', () => {
      const cases: [string, number[]][] = [
        ['a batch of units', [16, 7]],
        ['time × batch × units', [3, 5, 33]],
        ['one sample', [9]],
        ['no positions (rates NaN)', [0, 4]],
        ['no units', [5, 0]],
      ];
      for (const [what, shape] of cases) {
        it(`matches core ops on ${what} ${JSON.stringify(shape)}`, async () => {
          const n = shape.reduce((a, b) => a * b, 1);
          const specials = [0, -0, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e-30, -1e-30];
          const values = Array.from({ length: n }, (_, i) => (i < specials.length ? specials[i] : Math.sin(i * 12.9898) * 2));
          const x = tensor(values, { shape });
          const viaKernel = firingRate(x);
          const viaOps = firingRateComposite(x);
          expect(viaKernel.shape).toEqual(viaOps.shape);
          expectClose('rates', await viaKernel.data(), await viaOps.data(), 1e-6, 0);
          for (const t of [x, viaKernel, viaOps]) t.dispose();
        });
      }

      it('falls back to core ops on a backend without the kernel', async () => {
        const own = getKernel(FIRING_RATE, backend)!;
        unregisterKernel(FIRING_RATE, backend);
        try {
          const x = tensor([1, -1, 2, 0, 3, -4], { shape: [3, 2] });
          const rates = firingRate(x);
          expectClose('fallback rates', await rates.data(), [1, 0], 0, 0);
          x.dispose();
          rates.dispose();
        } finally {
          registerKernel({ name: FIRING_RATE, backend, fn: own });
        }
      });

      it('does not record a graph: a statistic, not an op to differentiate', () => {
        const x = zeros([2, 3], { requiresGrad: true });
        const rates = firingRate(x);
        expect(rates.requiresGrad).toBe(false);
        x.dispose();
        rates.dispose();
      });
    });
  });
}
