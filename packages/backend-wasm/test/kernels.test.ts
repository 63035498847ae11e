import {
  activationEntries,
  derivativeKind,
  evalExpr,
  forwardKind,
  listDerivativeKinds,
  listForwardKinds,
  nn,
  randn,
  registerDerivativeKind,
  registerForwardKind,
  runKernel,
  setBackend,
  type Tensor,
  tensor,
  tidy,
} from '@surrograd/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { COMPILED_KINDS, instantiateKernels } from '../src/index.js';
import { naiveMatmul } from './support/naive-matmul.js';

async function values(t: Tensor): Promise<number[]> {
  return Array.from(await t.data());
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-5): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const [a, e] = [actual[i] as number, expected[i] as number];
    if (Math.abs(a - e) > tol * (1 + Math.abs(e))) throw new Error(`[${i}] got ${a}, expected ${e}`);
  }
}

beforeAll(async () => {
  await setBackend('wasm');
});

describe('MatMul', () => {
  const sizes: [number, number, number][] = [
    [1, 1, 1],
    [3, 5, 7],
    [4, 8, 8],
    [5, 9, 3],
    [17, 13, 300],
    [67, 33, 129],
    [130, 70, 257],
  ];
  for (const [m, n, k] of sizes) {
    for (const [tA, tB] of [
      [false, false],
      [false, true],
      [true, false],
      [true, true],
    ] as const) {
      it(`${m}×${k}·${k}×${n} with transposeA ${tA}, transposeB ${tB}`, async () => {
        const a = randn(tA ? [k, m] : [m, k], { seed: m + k });
        const b = randn(tB ? [n, k] : [k, n], { seed: n + 2 * k });
        const c = runKernel('MatMul', [a, b], { transposeA: tA, transposeB: tB });
        expect(c.shape).toEqual([m, n]);
        const want = naiveMatmul((await a.data()) as Float32Array, (await b.data()) as Float32Array, m, n, k, tA, tB);
        expectClose(await c.data(), want, 1e-5 * Math.sqrt(k));
        for (const t of [a, b, c]) t.dispose();
      });
    }
  }

  it('broadcasts batch dims', async () => {
    const a = randn([2, 1, 3, 4], { seed: 1 });
    const b = randn([3, 4, 5], { seed: 2 });
    const c = runKernel('MatMul', [a, b], { transposeA: false, transposeB: false });
    expect(c.shape).toEqual([2, 3, 3, 5]);
    const [av, bv, cv] = [(await a.data()) as Float32Array, (await b.data()) as Float32Array, await c.data()];
    for (let i = 0; i < 2; i++)
      for (let j = 0; j < 3; j++) {
        const want = naiveMatmul(av.subarray(i * 12, i * 12 + 12), bv.subarray(j * 20, j * 20 + 20), 3, 5, 4, false, false);
        expectClose(cv.subarray((i * 3 + j) * 15, (i * 3 + j + 1) * 15), want);
      }
    for (const t of [a, b, c]) t.dispose();
  });
});

describe('integer and bool kernels', () => {
  it('int32 division truncates toward zero and stores 0 for a division by zero, as the reference', async () => {
    const a = tensor([7, -7, 5, -2147483648, 3], { dtype: 'int32' });
    const b = tensor([2, 2, 0, -1, -4], { dtype: 'int32' });
    expect(await values(runKernel('Binary', [a, b], { op: 'div' }))).toEqual([3, -3, 0, -2147483648, 0]);
  });

  it('casts float32 to int32 saturating (truncate toward zero, NaN → 0, clamp beyond the range)', async () => {
    const x = tensor([1.9, -1.9, Number.NaN, Number.POSITIVE_INFINITY, 3e9, -3e9, 5, 6]);
    expect(await values(runKernel('Cast', [x], { dtype: 'int32' }))).toEqual([1, -1, 0, 2147483647, 2147483647, -2147483648, 5, 6]);
  });

  it('compares and selects across every broadcast pattern', async () => {
    const a = randn([3, 1, 5], { seed: 7 });
    const b = randn([4, 1], { seed: 8 });
    const c = runKernel('Compare', [a, b], { op: 'gt' });
    const w = runKernel('Where', [c, a, b]);
    const [av, bv, cv, wv] = [await a.data(), await b.data(), await c.data(), await w.data()];
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 4; j++)
        for (let k = 0; k < 5; k++) {
          const [x, y] = [av[i * 5 + k] as number, bv[j] as number];
          expect(cv[(i * 4 + j) * 5 + k]).toBe(+(x > y));
          expect(wv[(i * 4 + j) * 5 + k]).toBe(Math.max(x, y));
        }
  });
});

describe('reductions in chunks', () => {
  // Big enough to be cut into chunks (about 16K elements each), whatever the thread count.
  const shape = [12, 7, 40, 53];
  const [n, c, hw] = [12, 7, 40 * 53];
  const x = () => randn(shape, { seed: 21 });

  /** The f64 fold of x's elements that land on each output under `key`, as the reference. */
  function naive(xs: Float32Array, outputs: number, key: (i: number) => number, op: 'sum' | 'max' | 'min'): number[] {
    const acc = new Array<number>(outputs).fill(op === 'sum' ? 0 : op === 'max' ? -Infinity : Infinity);
    xs.forEach((v, i) => {
      const o = key(i);
      acc[o] = op === 'sum' ? (acc[o] as number) + v : op === 'max' ? Math.max(acc[o] as number, v) : Math.min(acc[o] as number, v);
    });
    return acc.map((v) => Math.fround(v));
  }

  for (const op of ['sum', 'max', 'min'] as const) {
    it(`${op} over non-adjacent axes [0, 2, 3] (rows in chunks, partials in order) matches the reference`, async () => {
      const t = x();
      const xs = await t.data();
      const got = await runKernel('Reduce', [t], { op, axes: [0, 2, 3], keepDims: false }).data();
      const want = naive(xs as Float32Array, c, (i) => Math.floor(i / hw) % c, op);
      if (op === 'sum') expectClose(got, want, 1e-6);
      else expect(Array.from(got)).toEqual(want);
    });

    it(`${op} over adjacent axes and over everything (chunked runs) matches the reference`, async () => {
      const t = x();
      const xs = (await t.data()) as Float32Array;
      const inner = await runKernel('Reduce', [t], { op, axes: [2, 3], keepDims: false }).data();
      const all = await runKernel('Reduce', [t], { op, axes: [0, 1, 2, 3], keepDims: false }).data();
      const outer = await runKernel('Reduce', [t], { op, axes: [0, 1], keepDims: false }).data();
      const check = (got: ArrayLike<number>, want: number[]) =>
        op === 'sum' ? expectClose(got, want, 1e-6) : expect(Array.from(got)).toEqual(want);
      check(
        inner,
        naive(xs, n * c, (i) => Math.floor(i / hw), op),
      );
      check(
        all,
        naive(xs, 1, () => 0, op),
      );
      check(
        outer,
        naive(xs, hw, (i) => i % hw, op),
      );
    });
  }

  it('empty inputs reduce to the identity over non-adjacent axes, and the backend stays usable', async () => {
    const sums = await runKernel('Reduce', [randn([0, 2, 0])], { op: 'sum', axes: [0, 2], keepDims: false }).data();
    expect(Array.from(sums)).toEqual([0, 0]);
    const maxima = await runKernel('Reduce', [randn([3, 0, 5])], { op: 'max', axes: [0, 2], keepDims: false }).data();
    expect(Array.from(maxima)).toEqual([]);
    const after = await runKernel('Reduce', [x()], { op: 'sum', axes: [0, 2, 3], keepDims: false }).data();
    expect(after.length).toBe(c);
  });

  it('a NaN anywhere wins a max or min over chunks, as in one pass', async () => {
    const values = new Float32Array(n * c * hw).fill(1);
    values[values.length - 5] = Number.NaN;
    const t = tensor(values, { shape });
    expect((await runKernel('Reduce', [t], { op: 'max', axes: [0, 1, 2, 3], keepDims: false }).data())[0]).toBeNaN();
    const perChannel = await runKernel('Reduce', [t], { op: 'min', axes: [0, 2, 3], keepDims: false }).data();
    expect(Array.from(perChannel).map((v) => Number.isNaN(v))).toEqual([false, false, false, false, false, false, true]);
  });
});

describe('index checks of Gather and ScatterAdd', () => {
  const x = () =>
    tensor(
      Float32Array.from({ length: 12 }, (_, i) => i),
      { shape: [6, 2] },
    );
  const at = (values: number[]) => tensor(Int32Array.from(values), { dtype: 'int32' });

  it('name the first index outside the axis, in the lanes checked four at a time and in the tail', () => {
    const good = [0, 5, 1, 4, 2, 3, 5, 0, 1, 2];
    for (const [position, bad] of [
      [5, 6],
      [1, -1],
      [9, 2 ** 31 - 1],
      [8, -(2 ** 31)],
    ] as const) {
      const values = [...good];
      values[position] = bad;
      if (position < 8) values[9] = 7; // a later bad index must not be the one reported
      expect(() => runKernel('Gather', [x(), at(values)], { axis: 0 })).toThrow(
        `Gather: index ${bad} (at position ${position}) is out of range for axis 0 of size 6; expected an integer in [0, 6)`,
      );
    }
    const updates = tensor(new Float32Array(10 * 2), { shape: [10, 2] });
    expect(() => runKernel('ScatterAdd', [updates, at([...good.slice(0, 9), 6])], { axis: 0, shape: [6, 2] })).toThrow(
      'ScatterAdd: index 6 (at position 9) is out of range for axis 0 of size 6',
    );
  });

  it('pass every index inside the axis, at any count', async () => {
    for (const count of [0, 1, 3, 4, 5, 8, 13]) {
      const values = Array.from({ length: count }, (_, i) => (i * 5) % 6);
      const got = await runKernel('Gather', [x(), at(values)], { axis: 0 }).data();
      expect(Array.from(got)).toEqual(values.flatMap((v) => [2 * v, 2 * v + 1]));
    }
  });
});

describe('max pooling 2×2 in SIMD lanes', () => {
  /** Each window's first NaN, else its first maximum, in scan order, and its flat index: the general loop's answer. */
  function naivePool(xs: Float32Array, [n, c, h, w]: number[], oh: number, ow: number): [number[], number[]] {
    const values: number[] = [];
    const indices: number[] = [];
    for (let p = 0; p < n * c; p++) {
      for (let oy = 0; oy < oh; oy++) {
        for (let ox = 0; ox < ow; ox++) {
          let at = p * h * w + oy * 2 * w + ox * 2;
          let best = xs[at] as number;
          for (const i of [at + 1, at + w, at + w + 1]) {
            const v = xs[i] as number;
            if (!Number.isNaN(best) && !(v <= best)) {
              best = v;
              at = i;
            }
          }
          values.push(best);
          indices.push(at);
        }
      }
    }
    return [values, indices];
  }

  it('finds the first NaN, else the first maximum, among ties and NaNs, in groups of four windows and the rest', async () => {
    // 9 windows a row: two groups of four, one alone; an odd width leaves the last column out.
    const shape = [3, 5, 10, 19];
    const size = 3 * 5 * 10 * 19;
    const choices = [-1, 0, 0, 1, 1, Number.NaN, -0];
    const xs = Float32Array.from({ length: size }, (_, i) => choices[(i * 7919 + ((i * i) % 13)) % choices.length] as number);
    const attrs = {
      kernel: [2, 2],
      stride: [2, 2],
      padding: [
        [0, 0],
        [0, 0],
      ],
      dilation: [1, 1],
      output: [5, 9],
    };
    const [y, idx] = runKernel('MaxPool2d', [tensor(xs, { shape })], attrs) as unknown as [Tensor, Tensor];
    const [values, indices] = naivePool(xs, shape, 5, 9);
    expect(Array.from(await idx.data())).toEqual(indices);
    expect(Array.from(await y.data()).map((v) => (Object.is(v, -0) ? '-0' : String(v)))).toEqual(
      values.map((v) => (Object.is(v, -0) ? '-0' : String(v))),
    );
  });
});

describe('max pooling in general windows, four windows at a time', () => {
  it('matches a scan of each window for strides, padding and dilation, among ties and NaNs', async () => {
    const [n, c, h, w] = [2, 3, 11, 23];
    const choices = [-1, 0, 0, 1, 1, Number.NaN, -0, 2];
    const xs = Float32Array.from({ length: n * c * h * w }, (_, i) => choices[(i * 7919 + ((i * i) % 11)) % choices.length] as number);
    const x = tensor(xs, { shape: [n, c, h, w] });
    const geometries: { k: [number, number]; s: [number, number]; p: [number, number]; d: [number, number] }[] = [
      { k: [3, 3], s: [2, 2], p: [1, 1], d: [1, 1] },
      { k: [3, 3], s: [1, 1], p: [1, 1], d: [1, 1] },
      { k: [2, 2], s: [1, 1], p: [0, 0], d: [1, 1] },
      { k: [3, 2], s: [2, 1], p: [1, 0], d: [2, 1] },
      { k: [2, 3], s: [1, 3], p: [0, 1], d: [1, 2] },
    ];
    for (const { k, s, p, d } of geometries) {
      const oh = Math.floor((h + 2 * p[0] - d[0] * (k[0] - 1) - 1) / s[0]) + 1;
      const ow = Math.floor((w + 2 * p[1] - d[1] * (k[1] - 1) - 1) / s[1]) + 1;
      const attrs = {
        kernel: k,
        stride: s,
        padding: [
          [p[0], p[0]],
          [p[1], p[1]],
        ],
        dilation: d,
        output: [oh, ow],
      };
      const [y, idx] = runKernel('MaxPool2d', [x], attrs) as unknown as [Tensor, Tensor];
      const values: string[] = [];
      const indices: number[] = [];
      for (let plane = 0; plane < n * c; plane++) {
        for (let oy = 0; oy < oh; oy++) {
          for (let ox = 0; ox < ow; ox++) {
            let best = Number.NaN;
            let at = -1;
            for (let ki = 0; ki < k[0]; ki++) {
              for (let kj = 0; kj < k[1]; kj++) {
                const [iy, ix] = [oy * s[0] - p[0] + ki * d[0], ox * s[1] - p[1] + kj * d[1]];
                if (iy < 0 || iy >= h || ix < 0 || ix >= w) continue;
                const i = plane * h * w + iy * w + ix;
                const v = xs[i] as number;
                if (at < 0 || (!Number.isNaN(best) && !(v <= best))) [best, at] = [v, i];
              }
            }
            values.push(Object.is(best, -0) ? '-0' : String(best));
            indices.push(at);
          }
        }
      }
      const where = `kernel ${k}, stride ${s}, padding ${p}, dilation ${d}`;
      expect({ where, indices: Array.from(await idx.data()) }).toEqual({ where, indices });
      expect({ where, values: Array.from(await y.data()).map((v) => (Object.is(v, -0) ? '-0' : String(v))) }).toEqual({ where, values });
    }
  });
});

describe('activations from core’s table', () => {
  it('compiles every kind registered at build time into the kernels', () => {
    for (const k of listForwardKinds()) expect(Object.keys(COMPILED_KINDS.forward)).toContain(k.name);
    for (const k of listDerivativeKinds()) expect(Object.keys(COMPILED_KINDS.derivative)).toContain(k.name);
  });

  it('runs a kind registered at run time on the JavaScript fallback', async () => {
    registerForwardKind('cubeForWasmTest', { expr: 'x * x * x + shift', params: ['shift'] });
    registerDerivativeKind('cubeForWasmTest', { from: 'x', expr: '3 * x * x' });
    const x = tensor([-2, -0.5, 0, 1.5, 3]);
    const y = runKernel('Activation', [x], { kind: 'cubeForWasmTest', params: { shift: 1 } });
    expect(await values(y)).toEqual([-7, 0.875, 1, 4.375, 28]);
    const dx = runKernel('ActivationGrad', [tensor([1, 1, 1, 1, 2]), x], { kind: 'cubeForWasmTest', params: {} });
    expect(await values(dx)).toEqual([12, 0.75, 0, 6.75, 54]);
  });

  it('writes the mask of a derivative kind with the forward pass and reads it back', async () => {
    const n = 1000;
    const x = randn([n], { seed: 3 });
    const [y, mask] = runKernel<Tensor[]>('Activation', [x], { kind: 'relu', params: { slope: 0.1 }, mask: 'leakyReluMask' }) as [
      Tensor,
      Tensor,
    ];
    expect(mask.shape).toEqual([Math.ceil(n / 32)]);
    const xv = await x.data();
    const words = await mask.data();
    for (let i = 0; i < n; i++) expect(((words[i >> 5] as number) >>> (i & 31)) & 1).toBe(+((xv[i] as number) > 0));
    const dy = randn([n], { seed: 4 });
    const dx = runKernel('ActivationGrad', [dy, mask], { kind: 'leakyReluMask', params: { slope: 0.1 } });
    const dyv = await dy.data();
    expectClose(
      await dx.data(),
      Array.from(xv, (v, i) => (dyv[i] as number) * (v > 0 ? 1 : 0.1)),
      1e-7,
    );
    expectClose(
      await y.data(),
      Array.from(xv, (v) => Math.max(v, 0)),
      0,
    );
  });
});

describe('forward with mask in one pass', () => {
  // The library's (forward, mask) pairs run a one-pass loop over whole 32-element groups and the
  // two-loop pass on the tail: check both parts, at sizes around the group edges, with specials.
  const specials = [0, -0, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1, -1, 0.5, -0.5, 1e-30];
  const sizes = [0, 1, 31, 32, 33, 64, 95, 257];
  const masked = activationEntries().filter((e) => derivativeKind(e.derivative).from === 'mask');

  it('covers the library entries whose derivative reads a mask', () => {
    expect(masked.length).toBeGreaterThan(3);
  });

  for (const entry of masked) {
    it(`${entry.name}: y and mask bits equal the expressions at every element`, async () => {
      const fwd = forwardKind(entry.forward);
      const der = derivativeKind(entry.derivative);
      for (const n of sizes) {
        const xs = Float32Array.from({ length: n }, (_, i) =>
          i % 3 === 0 ? (specials[i % specials.length] as number) : Math.sin(i * 12.9898) * 3,
        );
        const [y, mask] = runKernel<Tensor[]>('Activation', [tensor(xs)], {
          kind: entry.forward,
          params: entry.defaults,
          mask: entry.derivative,
        }) as [Tensor, Tensor];
        const ys = await y.data();
        const words = await mask.data();
        for (let i = 0; i < n; i++) {
          const x = xs[i] as number;
          const want = Math.fround(evalExpr(fwd.expr, { ...entry.defaults, x }));
          const got = ys[i] as number;
          if (!(Object.is(got, want) || (Number.isNaN(got) && Number.isNaN(want)) || Math.abs(got - want) <= 1e-6 * Math.abs(want))) {
            throw new Error(`${entry.name} n=${n}: y[${i}] = ${got} at x = ${x}, expected ${want}`);
          }
          const bit = ((words[i >> 5] as number) >>> (i & 31)) & 1;
          const wantBit = evalExpr(der.predicate as NonNullable<typeof der.predicate>, { ...entry.defaults, x }) !== 0 ? 1 : 0;
          if (bit !== wantBit) throw new Error(`${entry.name} n=${n}: mask bit ${i} is ${bit} at x = ${x}, expected ${wantBit}`);
        }
      }
    });
  }
});

describe('fused kernels', () => {
  it('SoftmaxCrossEntropy and its gradient match crossEntropy and its autograd gradient', async () => {
    const logits = randn([9, 10], { seed: 13, std: 3 });
    const labels = tensor([0, 9, 3, 3, 5, 1, 8, 2, 7], { dtype: 'int32' });
    const [loss, probs] = runKernel<Tensor[]>('SoftmaxCrossEntropy', [logits, labels]) as [Tensor, Tensor];
    const leaf = logits.detach();
    leaf.requiresGrad = true;
    const want = nn.crossEntropy(leaf, labels);
    want.backward(tensor(2));
    expectClose(await loss.data(), await want.data());
    expectClose(await probs.data(), await tidy(() => logits.softmax(-1)).data());
    const grad = runKernel('SoftmaxCrossEntropyGrad', [tensor(2), probs, labels]);
    expectClose(await grad.data(), await leaf.grad!.data());
  });

  it('rejects an out-of-range label with a RangeError naming it', () => {
    const logits = randn([2, 3], { seed: 1 });
    expect(() => runKernel('SoftmaxCrossEntropy', [logits, tensor([0, 3], { dtype: 'int32' })])).toThrow(
      /label 3 at index 1 is out of range for 3 classes/,
    );
  });
});

describe('loading', () => {
  it('instantiates the kernels from bytes as well as from the embedded binary', async () => {
    const embedded = await instantiateKernels();
    const { WASM_BASE64 } = await import('../src/generated/wasm-binary.js');
    const bytes = Uint8Array.from(atob(WASM_BASE64), (c) => c.charCodeAt(0));
    const fromBytes = await instantiateKernels(bytes);
    expect(fromBytes.heapBase()).toBe(embedded.heapBase());
    expect(fromBytes.memory).not.toBe(embedded.memory);
  });
});
