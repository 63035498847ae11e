/**
 * Special values op by op, against IEEE 754 and PyTorch: pow's special cases, NaN through min/max,
 * signs of zero, the transcendental functions over the whole finite float32 range (large
 * arguments of sin/cos need range reduction), and every activation's value and derivative at
 * ±1e30, ±3e38, subnormals and ±0: finite wherever the mathematical value is.
 */
import {
  activationEntries,
  activationFunction,
  derivativeKind,
  evalExpr,
  forwardKind,
  maximum,
  minimum,
  nn,
  scalarMath,
  type Tensor,
  tensor,
  tidy,
} from '@surrograd/core';
import { describe, expect } from 'vitest';
import { badInput, disposeAll, flat } from '../bad-input-case.js';
import type { KitContext } from '../options.js';

const NaN_ = Number.NaN;
const INF = Number.POSITIVE_INFINITY;
/** The smallest normal float32: a backend may flush anything below it to zero (WebGPU may). */
const TINY = 2 ** -126;

const isNegZero = (v: number) => Object.is(v, -0);

function pow(kit: KitContext): void {
  badInput(kit, 'special/pow-ieee-cases', async () => {
    // PyTorch 1.13: pow(1, nan) = pow(1, ±inf) = pow(-1, ±inf) = pow(nan, 0) = 1.
    const a = tensor([1, 1, 1, -1, -1, NaN_, -0, 0, -0, -2, -2, -INF, -INF, -8, 2, 0.5]);
    const b = tensor([NaN_, INF, -INF, INF, -INF, 0, -1, -1, -2, 3, 2, 3, -3, 1 / 3, INF, INF]);
    const p = a.pow(b);
    const v = await flat(p);
    expect(v.slice(0, 6)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(v.slice(6, 9)).toEqual([-INF, INF, INF]);
    expect(v.slice(9, 12)).toEqual([-8, 4, -INF]);
    expect(isNegZero(v[12] as number)).toBe(true);
    expect(Number.isNaN(v[13])).toBe(true);
    expect(v.slice(14)).toEqual([INF, 0]);
    disposeAll(a, b, p);
  });
}

function extremaAndZeros(kit: KitContext): void {
  badInput(kit, 'special/maximum-minimum-nan-and-signed-zero', async () => {
    const a = tensor([NaN_, 1, 0, -0, 0, -0]);
    const b = tensor([1, NaN_, -0, 0, 0, -0]);
    const [mx, mn] = tidy(() => [maximum(a, b), minimum(a, b)]) as [Tensor, Tensor];
    const x = await flat(mx);
    const n = await flat(mn);
    expect([Number.isNaN(x[0]), Number.isNaN(x[1]), Number.isNaN(n[0]), Number.isNaN(n[1])]).toEqual([true, true, true, true]);
    // IEEE 754-2019 maximum/minimum (and the cpu reference): +0 is above -0, whichever side it is on.
    expect(x.slice(2).map(isNegZero)).toEqual([false, false, false, true]);
    expect(n.slice(2).map(isNegZero)).toEqual([true, true, false, true]);
    disposeAll(a, b, mx, mn);
  });
  badInput(kit, 'special/signed-zero-through-unary-ops', async () => {
    const z = tensor([-0, 0]);
    const half = tensor([-0.5, 0.5, -2.5, 2.5, 1.5]);
    const ops = tidy(() => [
      z.tanh(),
      z.sin(),
      z.sqrt(),
      z.neg(),
      z.abs(),
      z.floor(),
      z.ceil(),
      z.round(),
      half.round(),
      z.erf(),
    ]) as Tensor[];
    const [tanhZ, sinZ, sqrtZ, negZ, absZ, floorZ, ceilZ, roundZ, roundHalf, erfZ] = (await Promise.all(ops.map(flat))) as number[][];
    expect(tanhZ!.map(isNegZero)).toEqual([true, false]);
    expect(sinZ!.map(isNegZero)).toEqual([true, false]);
    expect(sqrtZ!.map(isNegZero)).toEqual([true, false]);
    expect(negZ!.map(isNegZero)).toEqual([false, true]);
    expect(absZ!.map(isNegZero)).toEqual([false, false]);
    expect(floorZ!.map(isNegZero)).toEqual([true, false]);
    expect(ceilZ!.map(isNegZero)).toEqual([true, false]);
    expect(roundZ!.map(isNegZero)).toEqual([true, false]);
    expect(erfZ!.map(isNegZero)).toEqual([true, false]);
    // Half to even, as PyTorch: round(-0.5) is -0.
    expect(roundHalf).toEqual([-0, 0, -2, 2, 2]);
    expect(isNegZero(roundHalf![0] as number)).toBe(true);
    disposeAll(z, half, ...ops);
  });
  badInput(kit, 'special/erf-of-tiny-values', async () => {
    // erf x ≈ 2x/√π for tiny x: never an offset like 1e-9.
    const xs = [1e-30, -1e-30, 1e-20, 1e-38, 1.4e-45, -1.4e-45].map(Math.fround);
    const x = tensor(xs);
    const e = x.erf();
    const v = await flat(e);
    for (let i = 0; i < xs.length; i++) {
      const want = Math.fround((2 / Math.sqrt(Math.PI)) * (xs[i] as number));
      expect(Math.abs((v[i] as number) - want) <= Math.abs(want) * 1e-5 + TINY).toBe(true);
    }
    disposeAll(x, e);
  });
}

/** Log-spaced magnitudes over the finite float32 range, both signs, and the edges. */
function wholeRange(): number[] {
  const out: number[] = [0, -0, 3.4e38, -3.4e38, 1.4e-45, -1.4e-45, 1e-40, -1e-40];
  for (let e = -37; e <= 38; e += 1.25) {
    const v = Math.fround(10 ** e * 1.234);
    if (Number.isFinite(v)) out.push(v, -v);
  }
  return out.map(Math.fround);
}

type Unary = 'exp' | 'log' | 'sqrt' | 'tanh' | 'sigmoid' | 'sin' | 'cos' | 'log1p' | 'expm1' | 'abs' | 'erf' | 'reciprocal';

const REFERENCE: Record<Unary, (x: number) => number> = {
  exp: Math.exp,
  log: Math.log,
  sqrt: Math.sqrt,
  tanh: Math.tanh,
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  sin: Math.sin,
  cos: Math.cos,
  log1p: Math.log1p,
  expm1: Math.expm1,
  abs: Math.abs,
  erf: scalarMath.erf,
  reciprocal: (x) => 1 / x,
};

/** Bounded results are compared absolutely (sin of 1e30 is some value in [-1, 1]); others relatively. */
const BOUNDED = new Set<Unary>(['tanh', 'sigmoid', 'sin', 'cos', 'erf']);

function powers(kit: KitContext): void {
  for (const y of [2, 3, -1, 0.5, 1.5, -2.5]) {
    badInput(kit, `special/whole-float32-range/pow-${y}`, async () => {
      const xs = wholeRange().filter((v) => Math.abs(v) < 1e30 || Number.isInteger(y));
      const x = tensor(xs);
      const p = x.pow(y);
      const got = await flat(p);
      const bad: string[] = [];
      xs.forEach((xv, i) => {
        const want = Math.fround(xv ** y);
        const g = got[i] as number;
        const flushed = Math.abs(xv) < TINY ? Math.fround((xv * 0) ** y) : want;
        const ok = (w: number) =>
          Number.isNaN(w) ? Number.isNaN(g) : !Number.isFinite(w) ? g === w : Math.abs(g - w) <= Math.abs(w) * 4e-6 + TINY;
        if (!ok(want) && !ok(flushed)) bad.push(`pow(${xv}, ${y}) = ${g}, expected ${want}`);
      });
      expect(bad.slice(0, 8)).toEqual([]);
      disposeAll(x, p);
    });
  }
}

function transcendental(kit: KitContext): void {
  for (const op of Object.keys(REFERENCE) as Unary[]) {
    badInput(kit, `special/whole-float32-range/${op}`, async () => {
      const xs = wholeRange();
      const x = tensor(xs);
      const y = (x as unknown as Record<Unary, () => Tensor>)[op].call(x);
      const got = await flat(y);
      const bad: string[] = [];
      xs.forEach((xv, i) => {
        const want = Math.fround((REFERENCE[op] as (v: number) => number)(xv));
        const g = got[i] as number;
        // A subnormal input may be read as ±0 by a flushing backend: its result may be either.
        const wantFlushed = Math.abs(xv) < TINY ? Math.fround((REFERENCE[op] as (v: number) => number)(xv * 0)) : want;
        const ok = (w: number) => {
          if (Number.isNaN(w)) return Number.isNaN(g);
          if (!Number.isFinite(w)) return g === w;
          if (!Number.isFinite(g)) return false;
          const tol = BOUNDED.has(op) ? 2e-6 : Math.abs(w) * 2e-6 + TINY;
          return Math.abs(g - w) <= tol;
        };
        if (!ok(want) && !ok(wantFlushed)) bad.push(`${op}(${xv}) = ${g}, expected ${want}`);
      });
      expect(bad.slice(0, 8)).toEqual([]);
      disposeAll(x, y);
    });
  }
}

/** Inputs where float32 arithmetic overflows or underflows inside a formula: x², e^x, 1/x. */
const EXTREMES = [0, -0, 1e30, -1e30, 3e38, -3e38, 1e-40, -1e-40, 1.4e-45, -1.4e-45, 1e-20, -1e-20, 100, -100];

function activations(kit: KitContext): void {
  for (const entry of activationEntries()) {
    badInput(kit, `special/activation-extremes/${entry.name}`, async () => {
      const fwd = forwardKind(entry.forward);
      const der = derivativeKind(entry.derivative);
      const params = entry.defaults;
      const x = tensor(EXTREMES, { requiresGrad: true });
      const y = tidy(() => activationFunction(entry.name)(x, params));
      const dy = tensor(EXTREMES.map(() => 1));
      y.backward(dy);
      dy.dispose();
      const [yv, gv] = [await flat(y), await flat(x.grad as Tensor)];
      const bad: string[] = [];
      EXTREMES.forEach((xv, i) => {
        const x32 = Math.fround(xv);
        const wantY = Math.fround(evalExpr(fwd.expr, { ...params, x: x32 }));
        const env = { ...params, x: x32, y: wantY, m: der.predicate ? evalExpr(der.predicate, { ...params, x: x32 }) : 0 };
        const wantG = Math.fround(evalExpr(der.expr, env));
        for (const [what, want, got] of [
          ['value', wantY, yv[i] as number],
          ['derivative', wantG, gv[i] as number],
        ] as const) {
          const ok = Number.isFinite(want)
            ? Number.isFinite(got) && Math.abs(got - want) <= Math.abs(want) * 1e-4 + TINY
            : Number.isNaN(want)
              ? Number.isNaN(got)
              : got === want;
          if (!ok) bad.push(`${entry.name} ${what} at ${xv}: ${got}, expected ${want}`);
        }
      });
      expect(bad).toEqual([]);
      disposeAll(x, y);
    });
  }
}

function reductions(kit: KitContext): void {
  badInput(kit, 'special/cross-entropy-of-an-empty-batch-is-nan', async () => {
    const logits = tensor(new Float32Array(0), { shape: [0, 3], requiresGrad: true });
    const loss = tidy(() => nn.crossEntropy(logits, []));
    expect(Number.isNaN((await flat(loss))[0])).toBe(true);
    loss.backward();
    expect((logits.grad as Tensor).shape).toEqual([0, 3]);
    disposeAll(logits, loss);
  });
  badInput(kit, 'special/softmax-rows-with-infinities-and-nan', async () => {
    // PyTorch: the row max is the shift (0 where it is infinite), so a +Inf logit is NaN, the
    // rest of its row 0 (log: -Inf); a row of -Inf is NaN; a NaN makes its whole row NaN.
    const rows = [
      [-INF, 0, 0],
      [INF, 1, 2],
      [-INF, -INF, -INF],
      [NaN_, 1, 2],
      [1e30, -1e30, 1e30],
    ];
    const x = tensor(rows);
    const [s, l] = [x.softmax(), x.logSoftmax()];
    const [sv, lv] = [await flat(s), await flat(l)];
    const same = (got: number[], want: number[]) =>
      got.every((g, i) => Object.is(g, want[i]) || Math.abs(g - (want[i] as number)) <= 1e-6 * (1 + Math.abs(want[i] as number)));
    const softmaxWant = [0, 0.5, 0.5, NaN_, 0, 0, NaN_, NaN_, NaN_, NaN_, NaN_, NaN_, 0.5, 0, 0.5];
    const logWant = [
      -INF,
      -Math.LN2,
      -Math.LN2,
      NaN_,
      -INF,
      -INF,
      NaN_,
      NaN_,
      NaN_,
      NaN_,
      NaN_,
      NaN_,
      -Math.LN2,
      Math.fround(-2e30),
      -Math.LN2,
    ];
    expect(same(sv, softmaxWant), `softmax ${sv}`).toBe(true);
    expect(same(lv, logWant), `logSoftmax ${lv}`).toBe(true);
    disposeAll(x, s, l);
  });
  badInput(kit, 'special/repeated-reduction-axis', () => {
    const x = tensor([
      [1, 2],
      [3, 4],
    ]);
    expect(() => x.sum([0, 0])).toThrow('sum: axis 0 appears more than once in [0, 0]');
    expect(() => x.mean([1, -1])).toThrow('mean: axis 1 appears more than once in [1, -1]');
    expect(() => x.max([0, -2])).toThrow('max: axis 0 appears more than once');
    x.dispose();
  });
}

export function specialValuesSuite(kit: KitContext): void {
  describe('special values', () => {
    pow(kit);
    extremaAndZeros(kit);
    transcendental(kit);
    powers(kit);
    activations(kit);
    reductions(kit);
  });
}
