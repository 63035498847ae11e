/**
 * The float32 lanes of the generated elementwise kernels: erf's polynomials against float64 erf,
 * bit pattern by bit pattern across its whole curve, and the contiguous-run binary kernel in each
 * of its four operand cases against plain JavaScript.
 */
import {
  argsortRows,
  BINARY_TABLE,
  type BinaryOpName,
  binaryForward,
  evalExpr,
  scalarMath,
  setBackend,
  type Tensor,
  tensor,
} from '@surrograd/core';
import { beforeAll, describe, expect, it } from 'vitest';
import '../src/index.js';

beforeAll(async () => {
  await setBackend('wasm');
});

/** The distance from `got` to the float64 value `want`, in units of float32's spacing at want. */
function ulps(got: number, want: number): number {
  const f = new Float32Array([want]);
  const bits = new Int32Array(f.buffer);
  const at = f[0] as number;
  bits[0] = (bits[0] as number) + (Math.abs(at) === at ? 1 : -1);
  const spacing = Math.max(Math.abs((f[0] as number) - at), 2 ** -149);
  return Math.abs(got - want) / spacing;
}

/** Every `step`-th float32 bit pattern from 0 to `top`, each with its negative. */
function patternsUpTo(top: number, step: number): Float32Array {
  const end = new Uint32Array(new Float32Array([top]).buffer)[0] as number;
  const bits = new Uint32Array(2 * Math.floor(end / step) + 2);
  let n = 0;
  for (let b = 0; b <= end; b += step) {
    bits[n++] = b;
    bits[n++] = (b | 0x80000000) >>> 0;
  }
  return new Float32Array(bits.buffer, 0, n);
}

describe('erf in float32 lanes', () => {
  it('stays within 1.5 ulp of float64 erf from the denormals to past its saturation at 3.919206', async () => {
    // ~130K patterns: every exponent from the denormals up, and both polynomials' whole ranges.
    const xs = patternsUpTo(4.5, 8191);
    const x = tensor(xs);
    const y = x.erf();
    const got = await y.data();
    let worst = { ulps: 0, x: 0, got: 0 };
    xs.forEach((v, i) => {
      const u = ulps(got[i] as number, scalarMath.erf(v));
      if (u > worst.ulps) worst = { ulps: u, x: v, got: got[i] as number };
    });
    expect(worst.ulps, `erf(${worst.x}) = ${worst.got}, expected ${scalarMath.erf(worst.x)}`).toBeLessThanOrEqual(1.5);
    x.dispose();
    y.dispose();
  });

  it('is ±1 from 3.919206 on, keeps −0, and passes NaN through', async () => {
    const xs = [3.919206, -3.919206, 3.9192057, 10, -1e30, Infinity, -Infinity, -0, Number.NaN].map(Math.fround);
    const x = tensor(xs);
    const y = x.erf();
    const got = Array.from(await y.data());
    expect(got.slice(0, 2)).toEqual([1, -1]);
    expect(got[2]).toBe(Math.fround(scalarMath.erf(Math.fround(3.9192057))));
    expect(got.slice(3, 7)).toEqual([1, -1, 1, -1]);
    expect(Object.is(got[7], -0)).toBe(true);
    expect(Number.isNaN(got[8])).toBe(true);
    x.dispose();
    y.dispose();
  });
});

/** Ops whose float32 result is the float64 one rounded (one correctly rounded operation each). */
const EXACT = new Set(['add', 'sub', 'mul', 'div', 'maximum', 'minimum']);

describe('binary ops on one contiguous run', () => {
  // Lengths around the four-lane vector loop: none, the tail alone, whole vectors, both.
  const lengths = [1, 3, 4, 7, 64, 1001];
  const sides = [
    ['two runs', false, false],
    ['a scalar a', true, false],
    ['a scalar b', false, true],
  ] as const;
  for (const op of Object.keys(BINARY_TABLE) as BinaryOpName[]) {
    it(`${op}: each operand a run or one element, against its row's expression in float64`, async () => {
      const forward = binaryForward(op);
      const reference = (a: number, b: number) => evalExpr(forward, { a, b });
      for (const n of lengths) {
        for (const [label, aOne, bOne] of sides) {
          const av = Float32Array.from({ length: aOne ? 1 : n }, (_, i) => Math.fround(0.75 + Math.sin(i + 1) * 2));
          const bv = Float32Array.from({ length: bOne ? 1 : n }, (_, i) => Math.fround(1.25 + Math.cos(i * 3) * 2));
          const [a, b] = [tensor(av), tensor(bv)];
          const y = (a as unknown as Record<string, (t: Tensor) => Tensor>)[op]!.call(a, b);
          const got = await y.data();
          const want = Float32Array.from({ length: n }, (_, i) => reference(av[aOne ? 0 : i] as number, bv[bOne ? 0 : i] as number));
          const where = `${op}, ${label}, n = ${n}`;
          if (EXACT.has(op)) expect(Array.from(got), where).toEqual(Array.from(want));
          else
            want.forEach((w, i) => {
              const g = got[i] as number;
              if (Number.isNaN(w)) expect(g, `${where}, [${i}]`).toBeNaN();
              else expect(Math.abs(g - w), `${where}, [${i}]: ${g} against ${w}`).toBeLessThanOrEqual(Math.abs(w) * 4e-6 + 1e-30);
            });
          for (const t of [a, b, y]) t.dispose();
        }
      }
    });
  }
  it('pow with the exponent 2 gives float64 pow rounded to float32, special values included', async () => {
    const xs = [0, -0, 1, -1, 1.5, -3.25, 1e-20, 1e-40, -1.4e-45, 1.9e19, -1e20, 3.4e38, Infinity, -Infinity, Number.NaN, 0.1, 7];
    const a = tensor(Array.from({ length: 1001 }, (_, i) => xs[i % xs.length] as number));
    const av = await a.data();
    const want = Array.from(av, (v) => Math.fround(v ** 2));
    for (const [label, y] of [
      ['a number', a.pow(2)],
      ['a one-element tensor', a.pow(tensor([2]))],
    ] as const) {
      const got = Array.from(await y.data());
      for (const [i, g] of got.entries()) expect(Object.is(g, want[i]), `${label}: (${av[i]})² = ${g}, expected ${want[i]}`).toBe(true);
      y.dispose();
    }
    a.dispose();
  });
  it('pow with integer exponents from -64 to 64 stays within an ulp of float64 pow rounded, special values exact', async () => {
    const bases = [0, -0, 1, -1, 2, -2, 0.5, -0.75, 1.0001, -1.5, 3.25, 1e-3, -7, 1e10, -1e-10, Infinity, -Infinity, Number.NaN].map(
      Math.fround,
    );
    const exponents = Array.from({ length: 129 }, (_, i) => i - 64);
    const av = bases.flatMap((b) => exponents.map(() => b));
    const bv = bases.flatMap(() => exponents);
    const [a, b] = [tensor(av), tensor(bv)];
    const y = a.pow(b);
    const got = await y.data();
    const bad: string[] = [];
    av.forEach((x, i) => {
      const want = Math.fround((x as number) ** (bv[i] as number));
      const g = got[i] as number;
      const ok = Number.isFinite(want) && want !== 0 ? ulps(g, want) <= 1 : Object.is(g, want);
      if (!ok) bad.push(`pow(${x}, ${bv[i]}) = ${g}, expected ${want}`);
    });
    expect(bad.slice(0, 8)).toEqual([]);
    for (const t of [a, b, y]) t.dispose();
  });
  it('both operands one element: a one-element run', async () => {
    const [a, b] = [tensor([3]), tensor([4])];
    const y = a.mul(b);
    expect(Array.from(await y.data())).toEqual([12]);
    for (const t of [a, b, y]) t.dispose();
  });
});

describe('transposes in 4×4 tiles', () => {
  /** x permuted by perm, by index arithmetic. */
  function permuted(values: Float32Array, shape: number[], perm: number[]): Float32Array {
    const outShape = perm.map((p) => shape[p] as number);
    const strides = shape.map((_, d) => shape.slice(d + 1).reduce((m, v) => m * v, 1));
    const out = new Float32Array(values.length);
    const index = outShape.map(() => 0);
    for (let i = 0; i < out.length; i++) {
      let from = 0;
      index.forEach((v, d) => {
        from += v * (strides[perm[d] as number] as number);
      });
      out[i] = values[from] as number;
      for (let d = index.length - 1; d >= 0; d--) {
        index[d] = (index[d] as number) + 1;
        if ((index[d] as number) < (outShape[d] as number)) break;
        index[d] = 0;
      }
    }
    return out;
  }
  const permutations = (n: number): number[][] =>
    n === 1 ? [[0]] : permutations(n - 1).flatMap((p) => Array.from({ length: n }, (_, i) => [...p.slice(0, i), n - 1, ...p.slice(i)]));
  // Sides under a tile, whole tiles, tiles and edges, and past a 16-element block.
  const shapes = [
    [4, 4],
    [5, 7],
    [3, 9],
    [16, 16],
    [33, 18],
    [130, 67],
    [2, 5, 6],
    [7, 4, 9],
    [3, 20, 17],
    [2, 3, 5, 6],
    [4, 1, 9, 5],
  ];
  for (const shape of shapes) {
    it(`matches index arithmetic for every permutation of ${shape.join('×')}, float32 and int32`, async () => {
      const n = shape.reduce((m, v) => m * v, 1);
      const values = Float32Array.from({ length: n }, (_, i) => i * 0.5 - 7);
      const x = tensor(values, { shape });
      const xi = tensor(
        Int32Array.from(values, (v) => Math.round(v * 2)),
        { shape, dtype: 'int32' },
      );
      for (const perm of permutations(shape.length)) {
        const y = x.permute(perm);
        const yi = xi.permute(perm);
        const want = permuted(values, shape, perm);
        expect(Array.from(await y.data()), `${shape.join('×')} to [${perm.join(', ')}]`).toEqual(Array.from(want));
        expect(Array.from(await yi.data()), `int32 ${shape.join('×')} to [${perm.join(', ')}]`).toEqual(
          Array.from(want, (v) => Math.round(v * 2)),
        );
        y.dispose();
        yi.dispose();
      }
      x.dispose();
      xi.dispose();
    });
  }
});

describe('argmax and argmin of float32 rows in vector passes', () => {
  /** The first max (min) of a row; the first NaN beats every number. */
  function firstExtreme(row: number[], isMax: boolean): number {
    let at = 0;
    for (let k = 1; k < row.length; k++) {
      const [v, best] = [row[k] as number, row[at] as number];
      if (Number.isNaN(best)) break;
      if (Number.isNaN(v) || (isMax ? v > best : v < best)) at = k;
    }
    return at;
  }
  it('finds the first extreme among ties, NaNs, ±0 and ±Inf, at every position of rows of 1 to 37', async () => {
    const pool = [0, -0, 1, -1, 2, 2, -3, Infinity, -Infinity, Number.NaN, 0.5, 7, 7];
    let seed = 12345;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let n = 1; n <= 37; n++) {
      // Rows without NaN mostly, so the ties among numbers decide most of them.
      const rows = Array.from({ length: 24 }, (_, r) =>
        Array.from({ length: n }, () => {
          const v = pool[Math.floor(next() * pool.length)] as number;
          return Number.isNaN(v) && r % 4 !== 0 ? 1.5 : v;
        }),
      );
      const x = tensor(rows.flat(), { shape: [rows.length, n] });
      for (const isMax of [true, false]) {
        const y = isMax ? x.argmax(1) : x.argmin(1);
        expect(Array.from(await y.data()), `${isMax ? 'argmax' : 'argmin'}, rows of ${n}`).toEqual(
          rows.map((row) => firstExtreme(row, isMax)),
        );
        y.dispose();
      }
      x.dispose();
    }
  });
});

describe('sorting long rows (the Argsort kernel)', () => {
  it('sorts 256 rows of 1024 stably, as argsortRows orders them, without comparing all pairs', async () => {
    const [rows, cols] = [256, 1024];
    const values = Float32Array.from({ length: rows * cols }, (_, i) => Math.round(Math.sin(i * 7.31) * 50) / 8);
    const x = tensor(values, { shape: [rows, cols] });
    const [v, idx] = x.sort(-1, { descending: true });
    const want = argsortRows(values, rows, cols, true);
    expect(Array.from(await idx.data())).toEqual(Array.from(want));
    const got = await v.data();
    expect(Array.from(got)).toEqual(Array.from(want, (c, k) => values[Math.floor(k / cols) * cols + c] as number));
    for (const t of [x, v, idx]) t.dispose();
  });
});
