/**
 * The activation library on this backend: PyTorch's activations against PyTorch (0, -0, ±Inf, NaN
 * included), the surrogates against PyTorch's straight-through formulations, every entry against
 * the reference interpreter of its own expressions, every surrogate derivative against autograd's
 * derivative of its smooth primitive (SpikingJelly's check), the fused call against
 * straightThrough(forward, primitive), higher derivatives, the bit mask in memory(), conventions at 0.
 */
import {
  activationEntries,
  activationFunction,
  clamp,
  derivativeKind,
  evalExpr,
  forwardKind,
  gelu,
  hardtanh,
  heaviside,
  leakyRelu,
  memory,
  noGrad,
  reluWithLeakyGrad,
  scalarMath,
  silu,
  straightThrough,
  type Tensor,
  tensor,
  tidy,
  where,
} from '@surrograd/core';
import { describe, expect } from 'vitest';
import { expectTensorClose, mismatch } from '../compare.js';
import { test } from '../declare.js';
import { expectedOf, goldenTensor, goldenValues } from '../decode.js';
import { checkSecondDerivatives } from '../derivative-checks.js';
import { type ActivationCase, loadActivationCases } from '../goldens.js';
import type { KitContext } from '../options.js';

type Options = Record<string, number>;
type Primitive = (x: Tensor, o: Options) => Tensor;

/** Smooth functions whose derivative each surrogate is (null: checked numerically, no tensor op for it). */
const PRIMITIVES: Record<string, Primitive | null> = {
  reluWithLeakyGrad: (x, o) => leakyRelu(x, { slope: o.slope as number }),
  bSiLU: (x, o) =>
    x
      .add(o.alpha as number)
      .mul(x.sigmoid())
      .sub((o.alpha as number) / 2),
  'bSiLU/negative': (x, o) =>
    where(
      x.gt(0),
      x,
      x
        .add(o.alpha as number)
        .mul(x.sigmoid())
        .sub((o.alpha as number) / 2),
    ),
  neLU: (x, o) =>
    where(
      x.gt(0),
      x,
      x
        .square()
        .add(1)
        .reciprocal()
        .mul(-(o.alpha as number)),
    ),
  'heaviside/straightThrough': (x) => x.mul(1),
  'heaviside/fastSigmoid': (x, o) =>
    x.div(
      x
        .abs()
        .mul(o.slope as number)
        .add(1),
    ),
  'heaviside/atan': null,
  'heaviside/slayer': null,
  'heaviside/piecewiseQuadratic': null,
  'heaviside/piecewiseExp': null,
  'heaviside/softSign': null,
  'heaviside/erf': null,
  'heaviside/s2nn': null,
  'heaviside/qPseudoSpike': null,
  'heaviside/spikeRateEscape': null,
  'heaviside/sigmoid': (x, o) => x.mul(o.slope as number).sigmoid(),
  'heaviside/triangular': (x, o) => {
    const w = o.width as number;
    const c = clamp(x, -w, w);
    return c.sub(c.mul(c.abs()).div(2 * w)).mul(o.scale as number);
  },
  'heaviside/piecewiseLeaky': (x, o) => {
    const w = o.width as number;
    const c = clamp(x, -w, w);
    return c.div(2 * w).add(x.sub(c).mul(o.leak as number));
  },
  signSTE: (x) => hardtanh(x),
  approxSign: (x) => {
    const c = clamp(x, -1, 1);
    return c.mul(2).sub(c.mul(c.abs()));
  },
  roundSTE: (x) => x.mul(1),
  'roundSTE/clip': (x, o) => clamp(x, o.low as number, o.high as number),
};

/** The scalar primitive where no tensor op exists (atan): checked by float64 central differences. */
const SCALAR_PRIMITIVES: Record<string, (x: number, o: Options) => number> = {
  'heaviside/atan': (x, o) => Math.atan((Math.PI / 2) * (o.alpha as number) * x) / Math.PI + 0.5,
  // SpikingJelly's primitive functions (activation_based/surrogate.py).
  'heaviside/piecewiseQuadratic': (x, o) => {
    const a = o.alpha as number;
    if (Math.abs(x) > 1 / a) return x > 0 ? 1 : 0;
    return (-(a * a) / 2) * x * Math.abs(x) + a * x + 0.5;
  },
  'heaviside/piecewiseExp': (x, o) => {
    const a = o.alpha as number;
    return x >= 0 ? 1 - Math.exp(-a * x) / 2 : Math.exp(a * x) / 2;
  },
  'heaviside/softSign': (x, o) => {
    const ax = (o.alpha as number) * x;
    return (ax / (1 + Math.abs(ax)) + 1) / 2;
  },
  'heaviside/erf': (x, o) => (1 + scalarMath.erf((o.alpha as number) * x)) / 2,
  // Lava-dl SLAYER's scale/(2τ)·e^(−|x|/τ), integrated from −∞.
  'heaviside/slayer': (x, o) => {
    const [s, t] = [o.scale as number, o.tau as number];
    return x < 0 ? (s / 2) * Math.exp(x / t) : s - (s / 2) * Math.exp(-x / t);
  },
  'heaviside/s2nn': (x, o) => {
    const [a, b] = [o.alpha as number, o.beta as number];
    return x < 0 ? 1 / (1 + Math.exp(-a * x)) : b * Math.log(x + 1) + 0.5;
  },
  'heaviside/qPseudoSpike': (x, o) => {
    const a = o.alpha as number;
    const s = x >= 0 ? 1 : -1;
    return (x >= 0 ? 1 : 0) - s * 0.5 * (1 + (2 / (a - 1)) * x * s) ** (1 - a);
  },
  // snnTorch's spike_rate_escape: ∫ slope·e^(−β|x − 1|).
  'heaviside/spikeRateEscape': (x, o) => {
    const [b, k] = [o.beta as number, o.slope as number];
    return x < 1 ? (k / b) * Math.exp(b * (x - 1)) : (2 * k) / b - (k / b) * Math.exp(-b * (x - 1));
  },
};

/** The forward pass written with plain differentiable ops, for the non-surrogate entries. */
const COMPOSITES: Record<string, Primitive> = {
  relu: (x) => x.maximum(0),
  leakyRelu: (x, o) => where(x.gt(0), x, x.mul(o.slope as number)),
  elu: (x, o) =>
    where(
      x.gt(0),
      x,
      x
        .exp()
        .sub(1)
        .mul(o.alpha as number),
    ),
  gelu: (x) => x.mul(x.div(Math.SQRT2).erf().add(1)).mul(0.5),
  geluTanh: (x) =>
    x
      .mul(
        x
          .add(x.pow(3).mul(0.044715))
          .mul(Math.sqrt(2 / Math.PI))
          .tanh()
          .add(1),
      )
      .mul(0.5),
  silu: (x) => x.mul(x.sigmoid()),
  sigmoid: (x) => x.neg().exp().add(1).reciprocal(),
  tanh: (x) => x.mul(2).sigmoid().mul(2).sub(1),
  softplus: (x, o) =>
    x
      .mul(o.beta as number)
      .exp()
      .log1p()
      .div(o.beta as number),
  hardtanh: (x, o) => clamp(x, o.minVal as number, o.maxVal as number),
};

/** A sweep of [-3, 3] that misses the kinks (0, ±1, ±width, bounds) where conventions differ. */
const GRID = Array.from({ length: 241 }, (_, i) => -3 + i * 0.025 + 0.00317);

function optionsOf(c: ActivationCase): Record<string, number> {
  return Object.fromEntries(Object.entries(c.options).filter(([, v]) => typeof v === 'number')) as Record<string, number>;
}

function runGolden(c: ActivationCase, x: Tensor): Tensor {
  const o = optionsOf(c);
  if (c.name === 'gelu') return gelu(x, { approximate: (c.options.approximate as 'tanh' | undefined) ?? 'none' });
  if (c.name === 'heaviside') return heaviside(x, { surrogate: c.options.surrogate as 'fastSigmoid', ...o });
  return activationFunction(c.name)(x, o);
}

async function gradOf(f: (x: Tensor) => Tensor, xs: number[], dy?: number[]): Promise<{ y: Float32Array; g: Float32Array }> {
  const x = tensor(xs, { requiresGrad: true });
  try {
    const { y } = tidy(() => {
      const out = f(x);
      out.backward(dy ? tensor(dy) : out.mul(0).add(1));
      return { y: out.detach() };
    });
    const result = { y: (await y.data()) as Float32Array, g: (await x.grad!.data()) as Float32Array };
    y.dispose();
    return result;
  } finally {
    x.dispose();
  }
}

function expectClose(label: string, actual: ArrayLike<number>, expected: ArrayLike<number>, rtol = 1e-5, atol = 1e-6): void {
  const m = mismatch(actual, expected, { rtol, atol });
  if (m) throw new Error(`${label}: ${m}`);
}

export function activationsSuite(kit: KitContext): void {
  describe('activations', () => {
    for (const c of loadActivationCases()) {
      const id = `activations/${c.kind === 'pytorch' ? 'pytorch' : 'straight-through'}/${c.name}(${JSON.stringify(c.options)})`;
      test(kit, id, async () => {
        const x = goldenTensor(c.input, true);
        try {
          tidy(() => {
            const y = runGolden(c, x);
            y.backward(goldenTensor(c.cotangent));
            expectTensorClose('out', y, expectedOf(c.out), kit.tolerance);
          });
          // PyTorch's gradients at NaN inputs are accidents of its kernels (relu'(NaN) = 1, …): skip those.
          const xs = goldenValues(c.input);
          const want = Array.from(goldenValues(c.grad));
          const got = Array.from(await x.grad!.data());
          // Where PyTorch's float32 arithmetic overflows at huge finite inputs (gelu-tanh's x³), its NaN is not the derivative.
          const keep = (i: number) =>
            !Number.isNaN(xs[i] as number) && !(Math.abs(xs[i] as number) >= 1e20 && Number.isNaN(want[i] as number));
          expectClose(
            'grad',
            got.filter((_, i) => keep(i)),
            want.filter((_, i) => keep(i)),
            Math.max(kit.tolerance.rtol, 1e-5),
            kit.tolerance.atol,
          );
        } finally {
          x.dispose();
        }
      });
    }

    for (const entry of activationEntries()) {
      const fn = activationFunction(entry.name);
      const o = { ...entry.defaults };

      test(kit, `activations/reference/${entry.name}`, async () => {
        const fwd = forwardKind(entry.forward);
        const der = derivativeKind(entry.derivative);
        const xs = [...GRID, 0, -0, 1e-6, -1e-6, 50, -50];
        const dy = xs.map((_, i) => 0.5 + ((i * 7) % 11) / 10);
        const { y, g } = await gradOf((x) => fn(x, o), xs, dy);
        const f32 = Math.fround;
        const wantY = xs.map((v) => f32(evalExpr(fwd.expr, { ...o, x: f32(v) })));
        const wantG = xs.map((v, i) => {
          const xv = f32(v);
          const env: Record<string, number> = { ...o, x: xv, y: wantY[i] as number };
          if (der.from === 'mask') env.m = evalExpr(der.predicate!, env) !== 0 ? 1 : 0;
          return f32((dy[i] as number) * evalExpr(der.expr, env));
        });
        expectClose('forward', y, wantY);
        expectClose('derivative', g, wantG, 1e-4, 1e-6);
      });

      // Entries a plugin adds are checked against their own expressions (above) and for second
      // derivatives (below); the kit knows a primitive or a composite only for core's entries.
      if (entry.surrogate && entry.name in PRIMITIVES) {
        test(kit, `activations/surrogate-is-the-primitive's-derivative/${entry.name}`, async () => {
          const { g } = await gradOf((x) => fn(x, o), GRID);
          const prim = PRIMITIVES[entry.name];
          if (prim === undefined) throw new Error(`no primitive recorded for surrogate '${entry.name}'`);
          if (prim === null) {
            const p = SCALAR_PRIMITIVES[entry.name] as (x: number, o: Options) => number;
            const h = 1e-6;
            expectClose(
              'derivative vs d/dx primitive',
              g,
              GRID.map((v) => (p(Math.fround(v) + h, o) - p(Math.fround(v) - h, o)) / (2 * h)),
              1e-4,
              1e-5,
            );
            return;
          }
          const { g: want } = await gradOf((x) => prim(x, o), GRID);
          expectClose('derivative vs autograd of the primitive', g, want, 1e-4, 1e-6);
          // The fused call is the straight-through pattern: same value, same gradient.
          const st = await gradOf((x) => straightThrough(fn(x.detach(), o), prim(x, o)), GRID);
          const fused = await gradOf((x) => fn(x, o), GRID);
          expect(Array.from(fused.y)).toEqual(Array.from(st.y));
          expectClose('gradient vs straightThrough(forward, primitive)', fused.g, st.g, 1e-4, 1e-6);
        });
      } else if (!entry.surrogate && entry.name in COMPOSITES) {
        test(kit, `activations/derivative-is-autograd's/${entry.name}`, async () => {
          const composite = COMPOSITES[entry.name];
          if (!composite) throw new Error(`no composite recorded for '${entry.name}'`);
          const { y, g } = await gradOf((x) => fn(x, o), GRID);
          const want = await gradOf((x) => composite(x, o), GRID);
          expectClose('forward vs composite', y, want.y, 1e-5, 1e-6);
          expectClose('derivative vs autograd of the composite', g, want.g, 1e-4, 1e-6);
        });
      }

      test(kit, `activations/second-derivative/${entry.name}`, async () => {
        const x = tensor(
          GRID.filter((_, i) => i % 20 === 0),
          { dtype: kit.float64 ? 'float64' : 'float32', requiresGrad: true },
        );
        try {
          await checkSecondDerivatives((v) => fn(v, o), [x], kit.float64);
        } finally {
          x.dispose();
        }
      });
    }

    test(kit, 'activations/core-entries-all-have-a-primitive-or-composite', async () => {
      const known = new Set([...Object.keys(PRIMITIVES), ...Object.keys(COMPOSITES)]);
      const names = new Set(activationEntries().map((e) => e.name));
      expect([...known].filter((n) => !names.has(n))).toEqual([]);
    });

    test(kit, 'activations/mask-saving-is-visible-in-memory', async () => {
      const n = 1 << 16;
      const x = tensor(
        new Float32Array(n).map((_, i) => (i % 3) - 1),
        { requiresGrad: true },
      );
      // Bytes a graph holds after activating an intermediate h that is then dropped, as in a network.
      const held = (f: (h: Tensor) => Tensor) => {
        const base = memory().numBytes;
        const h = x.add(0);
        const y = f(h);
        h.dispose();
        const bytes = memory().numBytes - base;
        y.dispose();
        expect(memory().numBytes).toBe(base);
        return bytes;
      };
      // The output is 4n bytes; a bit mask adds n/8, a saved float32 input 4n.
      expect(held((h) => reluWithLeakyGrad(h, { slope: 0.1 }))).toBe(4 * n + n / 8);
      expect(held((h) => leakyRelu(h, { slope: 0.1 }))).toBe(4 * n + n / 8);
      // A derivative that needs x itself keeps the whole input alive.
      expect(held((h) => silu(h))).toBe(8 * n);
      expect(held((h) => noGrad(() => reluWithLeakyGrad(h)))).toBe(4 * n);
      x.dispose();
    });

    test(kit, 'activations/conventions-at-zero', async () => {
      const at = async (name: string, options: Options = {}) => {
        const { y, g } = await gradOf((v) => activationFunction(name)(v, options), [0, -0]);
        return [y[0], g[0], g[1]];
      };
      expect(await at('relu')).toEqual([0, 0, 0]);
      expect(await at('leakyRelu', { slope: 0.25 })).toEqual([0, 0.25, 0.25]);
      expect(await at('reluWithLeakyGrad', { slope: 0.25 })).toEqual([0, 0.25, 0.25]);
      expect(await at('elu', { alpha: 0.5 })).toEqual([0, 0.5, 0.5]);
      expect(await at('hardtanh')).toEqual([0, 1, 1]);
      expect(await at('heaviside/fastSigmoid')).toEqual([0, 1, 1]);
      expect(await at('heaviside/atan')).toEqual([0, 1, 1]);
      expect(await at('heaviside/straightThrough')).toEqual([0, 1, 1]);
      expect(await at('signSTE')).toEqual([0, 1, 1]);
      expect(await at('approxSign')).toEqual([0, 2, 2]);
      expect(await at('roundSTE')).toEqual([0, 1, 1]);
      const [bY, bG] = await at('bSiLU');
      expect(bY).toBe(0);
      expect(bG).toBeCloseTo(0.5 + 1.67 / 4, 6);
    });

    test(kit, 'activations/bad-options-are-clear-errors', async () => {
      const x = tensor([1, -1]);
      try {
        expect(() => leakyRelu(x, { slope: Number.NaN })).toThrow("leakyRelu: option 'slope' must be a number, got NaN");
        expect(() => activationFunction('leakyRelu')(x, { negativeSlope: 0.1 })).toThrow(
          "leakyRelu: unknown option 'negativeSlope'; options are slope",
        );
        expect(() => heaviside(x, { surrogate: 'nope' as 'atan' })).toThrow(
          "heaviside: unknown surrogate 'nope'; surrogates are straightThrough, fastSigmoid",
        );
        expect(() => activationFunction('nope')).toThrow("activationFunction: no activation named 'nope'");
      } finally {
        x.dispose();
      }
    });
  });
}
