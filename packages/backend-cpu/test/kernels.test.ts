import type { DType, Shape } from '@surrograd/core';
import { evalExpr, FusedKernels, Kernels, kernelsFor, listDerivativeKinds, listForwardKinds, registeredBackends } from '@surrograd/core';
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../src/cpu-backend.js';
import { expectClose, expectSame } from './support/expect.js';
import { Harness, stored } from './support/harness.js';
import { integers, makeRng, pickOne, uniform } from './support/random.js';
import * as ref from './support/reference.js';

const h = new Harness();
const rng = makeRng(20240611);

/** Random float data that includes the values kernels get wrong first. */
function floats(n: number, specials = false): number[] {
  const values = uniform(rng, n);
  if (specials && n > 0) {
    const special = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 0];
    for (let i = 0; i < Math.min(n, 12); i++) values[integers(rng, 1, 0, n)[0]] = special[i % special.length];
  }
  return values;
}

function dataFor(dtype: DType, n: number, specials = false): number[] {
  if (dtype === 'bool') return integers(rng, n, 0, 2);
  if (dtype === 'int32') return integers(rng, n, -50, 50);
  return floats(n, specials).map((v) => stored(v, dtype));
}

describe('CpuBackend', () => {
  it('refuses a disposed buffer and one from another backend instance, and disposes once', () => {
    const be = h.backend;
    const id = be.write(new Float32Array([1, 2]), [2], 'float32');
    const before = be.memory();
    be.dispose(id);
    be.dispose(id);
    expect(be.memory().numDataBuffers).toBe(before.numDataBuffers - 1);
    expect(() => be.readSync(id, 'float32')).toThrow('cpu.read: the buffer was disposed or does not belong to the cpu backend');
    const other = new CpuBackend();
    const foreign = other.write(new Float32Array([3]), [1], 'float32');
    expect(() => be.readSync(foreign, 'float32')).toThrow('does not belong to the cpu backend');
    be.dispose(foreign);
    expect(Array.from(other.readSync(foreign, 'float32'))).toEqual([3]);
    expect(() => be.readSync({ values: new Float32Array(1) } as never, 'float32')).toThrow('does not belong to the cpu backend');
  });
  it('write copies its input and read returns a fresh copy', async () => {
    const be = h.backend;
    const src = new Float32Array([1, 2, 3]);
    const id = be.write(src, [3], 'float32');
    src[0] = 99;
    const first = be.readSync(id, 'float32');
    expectSame(first, [1, 2, 3]);
    first[1] = 42;
    expectSame(await be.read(id, 'float32'), [1, 2, 3]);
    be.dispose(id);
  });

  it('stores bool as 0/1 and converts to the dtype asked for', () => {
    const id = h.backend.write(new Uint8Array([0, 2, 255, 1]), [4], 'bool');
    expectSame(h.backend.readSync(id, 'bool'), [0, 1, 1, 1]);
    const f = h.backend.write(new Float32Array([1.5, -2.5]), [2], 'float64');
    expect(h.backend.readSync(f, 'float64')).toBeInstanceOf(Float64Array);
  });

  it('counts buffers and bytes through write, makeOutput and dispose', () => {
    const be = new Harness().backend;
    expect(be.memory()).toEqual({ numDataBuffers: 0, numBytes: 0 });
    const a = be.write(new Float32Array(10), [2, 5], 'float32');
    const b = be.write(new Float64Array(3), [3], 'float64');
    const c = be.makeOutput(new Uint8Array(7), [7], 'bool');
    expect(be.memory()).toEqual({ numDataBuffers: 3, numBytes: 40 + 24 + 7 });
    be.dispose(a);
    be.dispose(a); // a second dispose must not count twice
    be.dispose(c.dataId);
    expect(be.memory()).toEqual({ numDataBuffers: 1, numBytes: 24 });
    be.dispose(b);
    expect(be.memory()).toEqual({ numDataBuffers: 0, numBytes: 0 });
  });

  it('makeOutput takes the array without copying', () => {
    const values = new Float32Array([1, 2]);
    const info = h.backend.makeOutput(values, [2], 'float32');
    expect(h.backend.valuesOf(info)).toBe(values);
  });

  it('rejects a wrong length on write and a disposed buffer on read', () => {
    expect(() => h.backend.write(new Float32Array(5), [2, 3], 'float32')).toThrow(/5 values.*\[2, 3\].*6/);
    const id = h.backend.write(new Float32Array(1), [], 'float32');
    h.backend.dispose(id);
    expect(() => h.backend.readSync(id, 'float32')).toThrow(/disposed/);
  });

  it('is registered as backend "cpu" with every kernel of the contract, the fused cross-entropy, scans, Linear, AddScaled, Argsort, layer and batch norm', () => {
    expect(registeredBackends()).toContain('cpu');
    // The conv and pool kernels are optional; the cpu backend runs core's composition of them.
    const fused = [
      FusedKernels.SoftmaxCrossEntropy,
      FusedKernels.SoftmaxCrossEntropyGrad,
      FusedKernels.LifScan,
      FusedKernels.LinearScan,
      FusedKernels.Linear,
      FusedKernels.AddScaled,
      FusedKernels.Argsort,
      FusedKernels.LayerNorm,
      FusedKernels.LayerNormGrad,
      FusedKernels.BatchNorm,
      FusedKernels.BatchNormGrad,
    ];
    expect(kernelsFor('cpu')).toEqual([...Object.values(Kernels), ...fused].sort());
  });
});

describe('Unary', () => {
  const reference: Record<string, (v: number) => number> = {
    neg: (v) => -v,
    exp: Math.exp,
    log: Math.log,
    sqrt: Math.sqrt,
    rsqrt: (v) => 1 / Math.sqrt(v),
    abs: Math.abs,
    reciprocal: (v) => 1 / v,
    square: (v) => v * v,
    sin: Math.sin,
    cos: Math.cos,
    floor: Math.floor,
    ceil: Math.ceil,
    log1p: Math.log1p,
    expm1: Math.expm1,
  };
  const shapes: Shape[] = [[], [0], [1], [7], [3, 5], [2, 0, 3], [2, 3, 4], [20000]];

  for (const [op, f] of Object.entries(reference)) {
    for (const dtype of ['float32', 'float64'] as const) {
      it(`${op} on ${dtype} matches Math over many shapes, with NaN/Inf/-0`, () => {
        for (const shape of shapes) {
          const x = dataFor(dtype, ref.size(shape), true);
          const out = h.call('Unary', [h.tensor(x, shape, dtype)], { op });
          expect(out.shape).toEqual(shape);
          expect(out.dtype).toBe(dtype);
          expectSame(
            out.values,
            x.map((v) => stored(f(v), dtype)),
            `${op} ${dtype} [${shape}]`,
          );
        }
      });
    }
  }

  it('round is half to even and keeps -0', () => {
    const x = [0.5, 1.5, 2.5, 3.5, -0.5, -1.5, -2.5, 2.4999, -0.4, 0.4, 1e20, Number.NaN, Number.POSITIVE_INFINITY, -0];
    const expected = [0, 2, 2, 4, -0, -2, -2, 2, -0, 0, 1e20, Number.NaN, Number.POSITIVE_INFINITY, -0];
    expectSame(h.call('Unary', [h.tensor(x, [x.length], 'float64')], { op: 'round' }).values, expected);
  });

  it('sign: NaN stays NaN, ±0 gives +0', () => {
    const x = [-3, 2, -0, 0, Number.NaN, Number.NEGATIVE_INFINITY, 1e-30];
    const out = h.call('Unary', [h.tensor(x, [x.length])], { op: 'sign' });
    expectSame(out.values, [-1, 1, 0, 0, Number.NaN, -1, 1]);
  });

  it('erf matches known values to float64 precision and is odd', () => {
    const known: [number, number][] = [
      [0.1, 0.1124629160182849],
      [0.5, 0.5204998778130465],
      [1, 0.8427007929497149],
      [1.5, 0.9661051464753108],
      [2, 0.9953222650189527],
      [3, 0.9999779095030014],
      [4, 0.9999999845827421],
      [7, 1],
    ];
    const x = known.flatMap(([v]) => [v, -v]);
    const expected = known.flatMap(([, e]) => [e, -e]);
    const out = h.call('Unary', [h.tensor(x, [x.length], 'float64')], { op: 'erf' });
    expectClose(out.values, expected, 2e-15, 0);
    const special = h.call('Unary', [h.tensor([Number.NaN, -0, Number.POSITIVE_INFINITY], [3], 'float64')], { op: 'erf' });
    expectSame(special.values, [Number.NaN, -0, 1]);
  });

  it('logicalNot turns bool into bool', () => {
    const out = h.call('Unary', [h.tensor([1, 0, 0, 1, 1], [5], 'bool')], { op: 'logicalNot' });
    expect(out.dtype).toBe('bool');
    expectSame(out.values, [0, 1, 1, 0, 0]);
  });

  it('neg, abs and square keep int32', () => {
    const x = integers(rng, 50, -1000, 1000);
    for (const [op, f] of [
      ['neg', (v: number) => -v],
      ['abs', Math.abs],
      ['square', (v: number) => v * v],
    ] as const) {
      const out = h.call('Unary', [h.tensor(x, [5, 10], 'int32')], { op });
      expect(out.dtype).toBe('int32');
      expectSame(
        out.values,
        x.map((v) => f(v) | 0),
      );
    }
  });

  it('names the kernel and the known ops for an unknown op', () => {
    expect(() => h.run('Unary', [h.tensor([1], [1])], { op: 'cube' })).toThrow(/Unary: unknown op "cube"; known: neg, exp/);
    expect(() => h.run('Unary', [h.tensor([1], [1])], { op: 'toString' })).toThrow(/unknown op/);
  });
});

/** Pairs of shapes that broadcast, covering every path: same shape, scalars, rows, columns, outer, 0-size, long rows. */
const broadcastPairs: [Shape, Shape][] = [
  [[], []],
  [[5], [5]],
  [
    [3, 4],
    [3, 4],
  ],
  [[3, 4], []],
  [[], [3, 4]],
  [[3, 4], [1]],
  [[4, 6], [6]],
  [[6], [4, 6]],
  [
    [4, 6],
    [4, 1],
  ],
  [
    [4, 1],
    [4, 6],
  ],
  [
    [4, 1],
    [1, 5],
  ],
  [
    [2, 1, 3],
    [4, 1],
  ],
  [
    [2, 3, 1, 5],
    [3, 4, 1],
  ],
  [[7, 13], [13]],
  [[0, 3], [3]],
  [[2, 0], [1]],
  [
    [2, 0],
    [2, 1],
  ],
  [[3, 9000], [9000]],
  [[20000], []],
  [
    [2, 9001],
    [2, 9001],
  ],
  [[1, 1, 1], [1]],
];

describe('Binary', () => {
  const reference: Record<string, (a: number, b: number) => number> = {
    add: (a, b) => a + b,
    sub: (a, b) => a - b,
    mul: (a, b) => a * b,
    div: (a, b) => a / b,
    pow: (a, b) => a ** b,
    maximum: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? Number.NaN : Math.max(a, b)),
    minimum: (a, b) => (Number.isNaN(a) || Number.isNaN(b) ? Number.NaN : Math.min(a, b)),
  };
  for (const [op, f] of Object.entries(reference)) {
    for (const dtype of ['float32', 'float64', 'int32'] as const) {
      it(`${op} on ${dtype} broadcasts like numpy over ${broadcastPairs.length} shape pairs`, () => {
        for (const [as, bs] of broadcastPairs) {
          let a = dataFor(dtype, ref.size(as), dtype !== 'int32');
          const b = dataFor(dtype, ref.size(bs), dtype !== 'int32');
          if (op === 'pow' && dtype === 'int32') a = a.map((v) => v % 4);
          const out = h.call('Binary', [h.tensor(a, as, dtype), h.tensor(b, bs, dtype)], { op });
          const expected = ref.elementwise([as, bs], [a, b], f);
          expect(out.shape).toEqual(expected.shape);
          expect(out.dtype).toBe(dtype);
          expectSame(
            out.values,
            expected.values.map((v) => stored(v, dtype)),
            `${op} ${dtype} [${as}] [${bs}]`,
          );
        }
      });
    }
  }

  it('maximum and minimum propagate NaN from either side', () => {
    const a = h.tensor([Number.NaN, 1, Number.NaN, -0], [4]);
    const b = h.tensor([1, Number.NaN, Number.NaN, 0], [4]);
    expectSame(h.call('Binary', [a, b], { op: 'maximum' }).values, [Number.NaN, Number.NaN, Number.NaN, 0]);
    expectSame(h.call('Binary', [a, b], { op: 'minimum' }).values, [Number.NaN, Number.NaN, Number.NaN, -0]);
  });

  it('rejects shapes that do not broadcast, naming them', () => {
    expect(() => h.run('Binary', [h.tensor([1, 2, 3], [3]), h.tensor([1, 2], [2])], { op: 'add' })).toThrow(/\[3\].*\[2\]/);
  });
});

describe('Compare', () => {
  const reference: Record<string, (a: number, b: number) => boolean> = {
    lt: (a, b) => a < b,
    le: (a, b) => a <= b,
    gt: (a, b) => a > b,
    ge: (a, b) => a >= b,
    eq: (a, b) => a === b,
    ne: (a, b) => a !== b,
  };
  for (const [op, f] of Object.entries(reference)) {
    for (const dtype of ['float32', 'int32'] as const) {
      it(`${op} on ${dtype} gives bool, broadcast, NaN compares as IEEE says`, () => {
        for (const [as, bs] of broadcastPairs) {
          // Few distinct values, so equality is common.
          const a = dataFor(dtype, ref.size(as), true).map((v) => (Number.isFinite(v) ? Math.round(v) : v));
          const b = dataFor(dtype, ref.size(bs), true).map((v) => (Number.isFinite(v) ? Math.round(v) : v));
          const out = h.call('Compare', [h.tensor(a, as, dtype), h.tensor(b, bs, dtype)], { op });
          const expected = ref.elementwise([as, bs], [a, b], (x, y) => +f(x, y));
          expect(out.dtype).toBe('bool');
          expect(out.shape).toEqual(expected.shape);
          expectSame(out.values, expected.values, `${op} [${as}] [${bs}]`);
        }
      });
    }
  }
});

describe('Logical', () => {
  const reference: Record<string, (a: number, b: number) => number> = {
    and: (a, b) => +(a !== 0 && b !== 0),
    or: (a, b) => +(a !== 0 || b !== 0),
    xor: (a, b) => +((a !== 0) !== (b !== 0)),
  };
  for (const [op, f] of Object.entries(reference)) {
    it(`${op} on bool, broadcast`, () => {
      for (const [as, bs] of broadcastPairs) {
        const a = dataFor('bool', ref.size(as));
        const b = dataFor('bool', ref.size(bs));
        const out = h.call('Logical', [h.tensor(a, as, 'bool'), h.tensor(b, bs, 'bool')], { op });
        const expected = ref.elementwise([as, bs], [a, b], f);
        expect(out.dtype).toBe('bool');
        expectSame(out.values, expected.values, `${op} [${as}] [${bs}]`);
      }
    });
  }
});

describe('Where', () => {
  const triples: [Shape, Shape, Shape][] = [
    [[], [], []],
    [[6], [6], [6]],
    [[3, 4], [3, 4], []],
    [[3, 4], [], [3, 4]],
    [[], [3, 4], [3, 4]],
    [[4, 1], [1, 5], [5]],
    [[5], [4, 5], [4, 1]],
    [[2, 1, 3], [1, 4, 1], [3]],
    [[0, 2], [2], [1]],
    [[9000], [2, 9000], []],
  ];
  for (const dtype of ['float32', 'float64', 'int32', 'bool'] as const) {
    it(`selects ${dtype} values bit for bit (NaN, -0 included), all three broadcast`, () => {
      for (const [cs, as, bs] of triples) {
        const c = dataFor('bool', ref.size(cs));
        const a = dataFor(dtype, ref.size(as), true);
        const b = dataFor(dtype, ref.size(bs), true);
        const out = h.call('Where', [h.tensor(c, cs, 'bool'), h.tensor(a, as, dtype), h.tensor(b, bs, dtype)]);
        const expected = ref.elementwise([cs, as, bs], [c, a, b], (x, y, z) => (x ? y : z));
        expect(out.shape).toEqual(expected.shape);
        expect(out.dtype).toBe(dtype);
        expectSame(out.values, expected.values, `where ${dtype} [${cs}] [${as}] [${bs}]`);
      }
    });
  }

  it('rejects a and b of different dtypes', () => {
    const c = h.tensor([1], [1], 'bool');
    expect(() => h.run('Where', [c, h.tensor([1], [1]), h.tensor([1], [1], 'int32')])).toThrow(/Where: .*float32 and int32/);
  });
});

/** Every subset of the axes of a shape, sorted. */
function axisSubsets(rank: number): number[][] {
  const out: number[][] = [];
  for (let mask = 0; mask < 1 << rank; mask++) out.push([...Array(rank).keys()].filter((d) => mask & (1 << d)));
  return out;
}

describe('Reduce', () => {
  const shapes: Shape[] = [[7], [1], [4, 5], [3, 1, 4], [2, 3, 4], [2, 1, 3, 5], [5, 3, 1], [128, 33], [3, 9000]];
  for (const op of ['sum', 'prod', 'max', 'min'] as const) {
    for (const dtype of ['float32', 'float64', 'int32'] as const) {
      it(`${op} on ${dtype} over every subset of axes, keepDims or not`, () => {
        for (const shape of shapes) {
          if (op === 'prod' && ref.size(shape) > 1000) continue; // overflows to Inf, not informative
          const x =
            op === 'prod'
              ? uniform(rng, ref.size(shape), 0.5, 1.5).map((v) => stored(v, dtype === 'int32' ? 'float64' : dtype))
              : dataFor(dtype, ref.size(shape));
          const xs = dtype === 'int32' && op === 'prod' ? x.map((v) => (v > 1 ? 2 : 1)) : x;
          const input = h.tensor(xs, shape, dtype);
          for (const axes of axisSubsets(shape.length)) {
            if (axes.length === 0) continue;
            for (const keepDims of [false, true]) {
              const out = h.call('Reduce', [input], { op, axes, keepDims });
              const expected = ref.reduce(xs, shape, axes, keepDims, op);
              expect(out.shape, `[${shape}] axes [${axes}]`).toEqual(expected.shape);
              expect(out.dtype).toBe(dtype);
              const want = expected.values.map((v) => stored(v, dtype));
              const what = `${op} ${dtype} [${shape}] axes [${axes}] keepDims ${keepDims}`;
              if (op === 'sum' || op === 'prod') expectClose(out.values, want, dtype === 'float64' ? 1e-12 : 1e-5, 1e-4, what);
              else expectSame(out.values, want, what);
            }
          }
        }
      });
    }
  }

  it('with no axes returns a copy in a new buffer', () => {
    const x = h.tensor([1, 2, 3, 4, 5, 6], [2, 3]);
    const out = h.run('Reduce', [x], { op: 'sum', axes: [], keepDims: false });
    expect(out.shape).toEqual([2, 3]);
    expect(out.dataId).not.toBe(x.dataId);
    expectSame(h.read(out), [1, 2, 3, 4, 5, 6]);
  });

  it('reduces scalars and 1-element tensors', () => {
    expectSame(h.call('Reduce', [h.tensor([4], [])], { op: 'max', axes: [], keepDims: false }).values, [4]);
    const one = h.call('Reduce', [h.tensor([4], [1, 1])], { op: 'sum', axes: [0, 1], keepDims: false });
    expect(one.shape).toEqual([]);
    expectSame(one.values, [4]);
  });

  it('sum and prod of nothing are 0 and 1', () => {
    expectSame(h.call('Reduce', [h.tensor([], [0])], { op: 'sum', axes: [0], keepDims: false }).values, [0]);
    const cols = h.call('Reduce', [h.tensor([], [0, 3])], { op: 'sum', axes: [0], keepDims: true });
    expect(cols.shape).toEqual([1, 3]);
    expectSame(cols.values, [0, 0, 0]);
    expectSame(h.call('Reduce', [h.tensor([], [2, 0])], { op: 'prod', axes: [1], keepDims: false }).values, [1, 1]);
  });

  it('max and min of nothing throw a RangeError; an empty result does not', () => {
    expect(() => h.run('Reduce', [h.tensor([], [0])], { op: 'max', axes: [0], keepDims: false })).toThrow(RangeError);
    expect(() => h.run('Reduce', [h.tensor([], [3, 0])], { op: 'min', axes: [1], keepDims: false })).toThrow(
      /Reduce: min of an empty set: x \[3, 0\]/,
    );
    const empty = h.call('Reduce', [h.tensor([], [0, 3])], { op: 'max', axes: [1], keepDims: false });
    expect(empty.shape).toEqual([0]);
  });

  it('max and min propagate NaN; sum carries Inf', () => {
    const x = h.tensor([1, Number.NaN, 3, 4, 5, 6, Number.POSITIVE_INFINITY, 1], [2, 4]);
    expectSame(h.call('Reduce', [x], { op: 'max', axes: [1], keepDims: false }).values, [Number.NaN, Number.POSITIVE_INFINITY]);
    expectSame(h.call('Reduce', [x], { op: 'min', axes: [0], keepDims: false }).values, [1, Number.NaN, 3, 1]);
    expectSame(h.call('Reduce', [x], { op: 'max', axes: [0, 1], keepDims: false }).values, [Number.NaN]);
    expectSame(h.call('Reduce', [x], { op: 'sum', axes: [1], keepDims: false }).values, [Number.NaN, Number.POSITIVE_INFINITY]);
  });

  it('sums a long vector accurately (float64 accumulation)', () => {
    const n = 100003;
    const out = h.call('Reduce', [h.tensor(new Array(n).fill(0.1), [n])], { op: 'sum', axes: [0], keepDims: false });
    expectClose(out.values, [Math.fround(n * Math.fround(0.1))], 1e-7, 0);
  });
});

describe('ArgReduce', () => {
  it('finds the first max/min along each axis over many shapes (ties included)', () => {
    const shapes: Shape[] = [[1], [9], [4, 5], [3, 1, 4], [2, 3, 4], [6, 40], [40, 6]];
    for (const shape of shapes) {
      const x = integers(rng, ref.size(shape), 0, 4); // small range: many ties
      const input = h.tensor(x, shape);
      for (let axis = 0; axis < shape.length; axis++) {
        for (const op of ['argmax', 'argmin'] as const) {
          for (const keepDims of [false, true]) {
            const out = h.call('ArgReduce', [input], { op, axis, keepDims });
            const n = shape[axis];
            const outer = ref.size(shape.slice(0, axis));
            const inner = ref.size(shape.slice(axis + 1));
            const expected: number[] = [];
            for (let o = 0; o < outer; o++) {
              for (let c = 0; c < inner; c++) {
                const column = Array.from({ length: n }, (_, k) => x[(o * n + k) * inner + c]);
                const best = op === 'argmax' ? Math.max(...column) : Math.min(...column);
                expected.push(column.indexOf(best));
              }
            }
            expect(out.dtype).toBe('int32');
            expect(out.shape).toEqual(shape.map((d, i) => (i === axis ? 1 : d)).filter((_, i) => keepDims || i !== axis));
            expectSame(out.values, expected, `${op} [${shape}] axis ${axis}`);
          }
        }
      }
    }
  });

  it('counts NaN as the extreme, first NaN winning, for argmax and argmin', () => {
    const x = h.tensor([1, Number.NaN, 5, Number.NaN, 7, 0, 9, 9], [2, 4]);
    expectSame(h.call('ArgReduce', [x], { op: 'argmax', axis: 1, keepDims: false }).values, [1, 2]);
    expectSame(h.call('ArgReduce', [x], { op: 'argmin', axis: 1, keepDims: false }).values, [1, 1]);
    expectSame(h.call('ArgReduce', [x], { op: 'argmax', axis: 0, keepDims: false }).values, [1, 0, 1, 0]);
    expectSame(h.call('ArgReduce', [x], { op: 'argmin', axis: 0, keepDims: false }).values, [0, 0, 0, 0]);
    expectSame(h.call('ArgReduce', [x], { op: 'argmin', axis: -1, keepDims: false }).values, [1, 1]);
  });

  it('handles scalars, empty outputs, and throws on an empty axis', () => {
    expectSame(h.call('ArgReduce', [h.tensor([3], [])], { op: 'argmax', axis: 0, keepDims: false }).values, [0]);
    expect(h.call('ArgReduce', [h.tensor([], [0, 3])], { op: 'argmax', axis: 1, keepDims: false }).shape).toEqual([0]);
    expect(() => h.run('ArgReduce', [h.tensor([], [3, 0])], { op: 'argmin', axis: 1, keepDims: false })).toThrow(
      /ArgReduce: argmin of an empty axis/,
    );
  });
});

describe('MatMul', () => {
  const flags = [
    [false, false],
    [false, true],
    [true, false],
    [true, true],
  ] as const;
  const sizes: [number, number, number][] = [
    [1, 1, 1],
    [2, 3, 4],
    [4, 4, 4],
    [5, 7, 3],
    [8, 1, 9],
    [1, 130, 6],
    [9, 13, 11],
    [17, 70, 5],
    [6, 300, 10],
    [33, 65, 129],
  ];
  const matrix = (rows: number, cols: number, transposed: boolean) => (transposed ? [cols, rows] : [rows, cols]);

  for (const [tA, tB] of flags) {
    for (const dtype of ['float32', 'float64'] as const) {
      it(`${tA ? 'Aᵀ' : 'A'}·${tB ? 'Bᵀ' : 'B'} on ${dtype} matches the naive product (m, n, k odd and past every block)`, () => {
        for (const [m, n, k] of sizes) {
          const aShape = matrix(m, k, tA);
          const bShape = matrix(k, n, tB);
          const a = dataFor(dtype, m * k);
          const b = dataFor(dtype, k * n);
          const out = h.call('MatMul', [h.tensor(a, aShape, dtype), h.tensor(b, bShape, dtype)], { transposeA: tA, transposeB: tB });
          const expected = ref.matMul(a, aShape, b, bShape, tA, tB);
          expect(out.shape).toEqual([m, n]);
          expect(out.dtype).toBe(dtype);
          expectClose(out.values, expected.values, dtype === 'float64' ? 1e-12 : 1e-5, 1e-5, `m${m} n${n} k${k}`);
        }
      });
    }

    it(`${tA ? 'Aᵀ' : 'A'}·${tB ? 'Bᵀ' : 'B'} broadcasts batch dims of different ranks`, () => {
      const batches: [Shape, Shape][] = [
        [[3], [3]],
        [[2, 3], []],
        [[], [4]],
        [
          [2, 1],
          [1, 3],
        ],
        [[1], [2, 2]],
        [[0], [1]],
      ];
      for (const [ab, bb] of batches) {
        const [m, n, k] = [3, 5, 6];
        const aShape = [...ab, ...matrix(m, k, tA)];
        const bShape = [...bb, ...matrix(k, n, tB)];
        const a = dataFor('float32', ref.size(aShape));
        const b = dataFor('float32', ref.size(bShape));
        const out = h.call('MatMul', [h.tensor(a, aShape), h.tensor(b, bShape)], { transposeA: tA, transposeB: tB });
        const expected = ref.matMul(a, aShape, b, bShape, tA, tB);
        expect(out.shape, `[${aShape}]·[${bShape}]`).toEqual(expected.shape);
        expectClose(out.values, expected.values, 1e-5, 1e-5, `[${aShape}]·[${bShape}]`);
      }
    });
  }

  it('gives zeros when k = 0 and an empty result when m or n is 0', () => {
    const z = h.call('MatMul', [h.tensor([], [2, 0]), h.tensor([], [0, 3])], { transposeA: false, transposeB: false });
    expect(z.shape).toEqual([2, 3]);
    expectSame(z.values, [0, 0, 0, 0, 0, 0]);
    const e = h.call('MatMul', [h.tensor([], [0, 4]), h.tensor(new Array(12).fill(1), [4, 3])], { transposeA: false, transposeB: false });
    expect(e.shape).toEqual([0, 3]);
  });

  it('propagates NaN and Inf like IEEE arithmetic (0·Inf is NaN: zeros are never skipped)', () => {
    const zeroTimesInf = h.call('MatMul', [h.tensor([0, 1, 1, 0], [2, 2]), h.tensor([Number.POSITIVE_INFINITY, 1, 1, 2], [2, 2])], {
      transposeA: false,
      transposeB: false,
    });
    expectSame(zeroTimesInf.values, [Number.NaN, 2, Number.POSITIVE_INFINITY, 1]);
    for (const [tA, tB] of flags) {
      const [m, n, k] = [6, 7, 9];
      // Small integers: every sum is exact in any order, so results compare bit for bit.
      const special = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0];
      const a = integers(rng, m * k, -3, 4).map((v, i) => (i % 17 === 3 ? special[i % 4] : v));
      const b = integers(rng, k * n, -3, 4).map((v, i) => (i % 13 === 5 ? special[(i + 1) % 4] : v));
      const aShape = matrix(m, k, tA);
      const bShape = matrix(k, n, tB);
      const out = h.call('MatMul', [h.tensor(a, aShape), h.tensor(b, bShape)], { transposeA: tA, transposeB: tB });
      expectSame(out.values, ref.matMul(a, aShape, b, bShape, tA, tB).values, `tA ${tA} tB ${tB}`);
    }
  });

  it('rejects inner dimensions that differ, naming both shapes', () => {
    expect(() =>
      h.run('MatMul', [h.tensor(new Array(6).fill(1), [2, 3]), h.tensor(new Array(8).fill(1), [4, 2])], {
        transposeA: false,
        transposeB: false,
      }),
    ).toThrow(/MatMul: a \[2, 3\] · b \[4, 2\]: inner dimensions 3 and 4 differ/);
  });
});

describe('Transpose', () => {
  it('permutes random shapes of rank 0 to 5 by random permutations', () => {
    for (let trial = 0; trial < 60; trial++) {
      const rank = trial % 6;
      const shape = integers(rng, rank, 1, 5);
      const perm = [...Array(rank).keys()].sort(() => rng() - 0.5);
      const x = dataFor('float32', ref.size(shape));
      const out = h.call('Transpose', [h.tensor(x, shape)], { perm });
      const expected = ref.transpose(x, shape, perm);
      expect(out.shape).toEqual(expected.shape);
      expectSame(out.values, expected.values, `[${shape}] perm [${perm}]`);
    }
  });

  it('transposes large and batched matrices through the tiled path, and 0-size ones', () => {
    const cases: [Shape, number[]][] = [
      [
        [67, 45],
        [1, 0],
      ],
      [
        [3, 40, 33],
        [0, 2, 1],
      ],
      [
        [40, 3, 33],
        [1, 2, 0],
      ],
      [
        [5, 1, 70],
        [2, 1, 0],
      ],
      [
        [0, 4],
        [1, 0],
      ],
      [
        [2, 0, 3],
        [2, 0, 1],
      ],
    ];
    for (const [shape, perm] of cases) {
      const x = dataFor('float64', ref.size(shape));
      const out = h.call('Transpose', [h.tensor(x, shape, 'float64')], { perm });
      const expected = ref.transpose(x, shape, perm);
      expect(out.shape).toEqual(expected.shape);
      expectSame(out.values, expected.values, `[${shape}] perm [${perm}]`);
    }
  });

  it('rejects a perm that is not a permutation', () => {
    expect(() => h.run('Transpose', [h.tensor([1, 2], [1, 2])], { perm: [0, 0] })).toThrow(/Transpose: perm \[0, 0\]/);
  });
});

describe('BroadcastTo', () => {
  it('materializes numpy broadcasting', () => {
    const cases: [Shape, Shape][] = [
      [[], [3, 2]],
      [[3], [2, 3]],
      [
        [2, 1],
        [2, 4],
      ],
      [
        [1, 3, 1],
        [2, 3, 9000],
      ],
      [[3], [0, 3]],
      [
        [2, 3],
        [2, 3],
      ],
    ];
    for (const [from, to] of cases) {
      const x = dataFor('int32', ref.size(from));
      const out = h.call('BroadcastTo', [h.tensor(x, from, 'int32')], { shape: to });
      const expected = ref.elementwise([from, to], [x, new Array(ref.size(to)).fill(0)], (v) => v);
      expect(out.shape).toEqual(to);
      expectSame(out.values, expected.values, `[${from}] → [${to}]`);
    }
    expect(() => h.run('BroadcastTo', [h.tensor([1, 2], [2])], { shape: [3] })).toThrow(
      /BroadcastTo: x \[2\] cannot be broadcast to \[3\]/,
    );
  });
});

describe('Slice', () => {
  it('takes random windows of random shapes', () => {
    for (let trial = 0; trial < 60; trial++) {
      const rank = trial % 5;
      const shape = integers(rng, rank, 1, 7);
      const begin = shape.map((d) => integers(rng, 1, 0, d)[0]);
      const size = shape.map((d, i) => integers(rng, 1, 0, d - begin[i] + 1)[0]);
      const x = dataFor('float32', ref.size(shape));
      const out = h.call('Slice', [h.tensor(x, shape)], { begin, size });
      expect(out.shape).toEqual(size);
      expectSame(out.values, ref.slice(x, shape, begin, size).values, `[${shape}] begin [${begin}] size [${size}]`);
    }
    const long = dataFor('float32', 3 * 200);
    const rows = h.call('Slice', [h.tensor(long, [3, 200])], { begin: [1, 0], size: [2, 200] });
    expectSame(rows.values, long.slice(200));
  });

  it('rejects windows outside x', () => {
    expect(() => h.run('Slice', [h.tensor([1, 2, 3], [3])], { begin: [2], size: [2] })).toThrow(/Slice: begin \[2\] and size \[2\].*\[3\]/);
  });
});

describe('Pad', () => {
  it('pads random shapes with a value', () => {
    for (let trial = 0; trial < 40; trial++) {
      const rank = trial % 4;
      const shape = integers(rng, rank, 0, 5);
      const paddings = shape.map(() => integers(rng, 2, 0, 3) as [number, number]);
      const x = dataFor('float32', ref.size(shape));
      const value = pickOne(rng, [0, -1.5, Number.NaN]);
      const out = h.call('Pad', [h.tensor(x, shape)], { paddings, value });
      const expected = ref.pad(x, shape, paddings, value);
      expect(out.shape).toEqual(expected.shape);
      expectSame(
        out.values,
        expected.values.map((v) => Math.fround(v)),
        `[${shape}] ${JSON.stringify(paddings)}`,
      );
    }
  });

  it('stores the value as the dtype does, and rejects bad paddings', () => {
    expectSame(h.call('Pad', [h.tensor([5], [1], 'int32')], { paddings: [[1, 1]], value: 2.7 }).values, [2, 5, 2]);
    expectSame(h.call('Pad', [h.tensor([0], [1], 'bool')], { paddings: [[1, 0]], value: 3 }).values, [1, 0]);
    expect(() => h.run('Pad', [h.tensor([1], [1])], { paddings: [[-1, 0]], value: 0 })).toThrow(/Pad: paddings/);
  });
});

describe('Concat', () => {
  it('joins random pieces along each axis, negative axis too', () => {
    for (let trial = 0; trial < 40; trial++) {
      const rank = 1 + (trial % 4);
      const base = integers(rng, rank, 1, 5);
      const axis = integers(rng, 1, 0, rank)[0];
      const pieces = integers(rng, 1, 1, 5)[0];
      const shapes = Array.from({ length: pieces }, () => base.map((d, i) => (i === axis ? integers(rng, 1, 0, 4)[0] : d)));
      const xs = shapes.map((s) => dataFor('float32', ref.size(s)));
      const attrAxis = trial % 2 ? axis - rank : axis;
      const out = h.call(
        'Concat',
        xs.map((x, t) => h.tensor(x, shapes[t])),
        { axis: attrAxis },
      );
      const expected = ref.concat(xs, shapes, axis);
      expect(out.shape).toEqual(expected.shape);
      expectSame(out.values, expected.values, `${JSON.stringify(shapes)} axis ${axis}`);
    }
  });

  it('rejects mismatched shapes and dtypes', () => {
    expect(() => h.run('Concat', [h.tensor([1, 2], [1, 2]), h.tensor([1, 2, 3], [1, 3])], { axis: 0 })).toThrow(
      /Concat: shapes \[1, 2\], \[1, 3\]/,
    );
    expect(() => h.run('Concat', [h.tensor([1], [1]), h.tensor([1], [1], 'int32')], { axis: 0 })).toThrow(
      /Concat: inputs must share one dtype/,
    );
  });
});

describe('Gather and ScatterAdd', () => {
  const cases: { shape: Shape; axis: number; indexShape: Shape }[] = [
    { shape: [10, 4], axis: 0, indexShape: [6] },
    { shape: [10, 60], axis: 0, indexShape: [2, 3] },
    { shape: [3, 7], axis: 1, indexShape: [5] },
    { shape: [2, 5, 3], axis: 1, indexShape: [4, 2] },
    { shape: [6], axis: 0, indexShape: [] },
    { shape: [4, 3], axis: 0, indexShape: [0] },
  ];
  for (const { shape, axis, indexShape } of cases) {
    it(`gathers and scatters [${shape}] along axis ${axis} with indices [${indexShape}] (repeats included)`, () => {
      const x = dataFor('float32', ref.size(shape));
      const idx = integers(rng, ref.size(indexShape), 0, shape[axis]);
      const indices = h.tensor(idx, indexShape, 'int32');
      const out = h.call('Gather', [h.tensor(x, shape), indices], { axis });
      const expected = ref.gather(x, shape, idx, indexShape, axis);
      expect(out.shape).toEqual(expected.shape);
      expectSame(out.values, expected.values);

      const updates = dataFor('float64', ref.size(expected.shape));
      const scattered = h.call('ScatterAdd', [h.tensor(updates, expected.shape, 'float64'), indices], { axis, shape });
      const want = ref.scatterAdd(updates, idx, indexShape, shape, axis);
      expect(scattered.shape).toEqual([...shape]);
      expectClose(scattered.values, want.values, 1e-12, 1e-12);
      // Adjoint: <gather(x), u> = <x, scatterAdd(u)>.
      const lhs = expected.values.reduce((s, v, i) => s + v * updates[i], 0);
      const rhs = x.reduce((s, v, i) => s + v * scattered.values[i], 0);
      expect(Math.abs(lhs - rhs)).toBeLessThan(1e-9 * (1 + Math.abs(lhs)));
    });
  }

  it('throws a RangeError naming the kernel, the index, the axis and its size', () => {
    const x = h.tensor([1, 2, 3, 4, 5, 6], [2, 3]);
    expect(() => h.run('Gather', [x, h.tensor([0, 3], [2], 'int32')], { axis: 1 })).toThrow(
      /Gather: index 3 \(at position 1\) is out of range for axis 1 of size 3/,
    );
    expect(() => h.run('Gather', [x, h.tensor([-1], [1], 'int32')], { axis: 0 })).toThrow(RangeError);
    expect(() => h.run('Gather', [x, h.tensor([-1], [1], 'int32')], { axis: 0 })).toThrow(/index -1 .* axis 0 of size 2/);
    expect(() => h.run('ScatterAdd', [h.tensor([1], [1]), h.tensor([5], [1], 'int32')], { axis: 0, shape: [2] })).toThrow(
      /ScatterAdd: index 5 .* axis 0 of size 2/,
    );
  });
});

describe('Fill and Cast', () => {
  it('fills each dtype with the value as that dtype stores it', () => {
    expectSame(h.call('Fill', [], { shape: [2, 2], value: 2.5, dtype: 'float32' }).values, [2.5, 2.5, 2.5, 2.5]);
    expectSame(h.call('Fill', [], { shape: [3], value: -2.7, dtype: 'int32' }).values, [-2, -2, -2]);
    expectSame(h.call('Fill', [], { shape: [2], value: Number.NaN, dtype: 'bool' }).values, [1, 1]);
    expectSame(h.call('Fill', [], { shape: [], value: -0, dtype: 'float64' }).values, [-0]);
    expect(h.call('Fill', [], { shape: [0, 5], value: 1, dtype: 'float32' }).values).toEqual([]);
    expect(h.call('Fill', [], { shape: [1, 1], value: 7, dtype: 'int32' }).dtype).toBe('int32');
  });

  it('casts float to int by truncation toward zero, to bool by != 0, from bool to 0/1', () => {
    const x = h.tensor([2.7, -2.7, 0.5, -0, Number.NaN, 1e3], [6], 'float64');
    expectSame(h.call('Cast', [x], { dtype: 'int32' }).values, [2, -2, 0, 0, 0, 1000]);
    expectSame(h.call('Cast', [x], { dtype: 'bool' }).values, [1, 1, 1, 0, 1, 1]);
    expectSame(h.call('Cast', [x], { dtype: 'float32' }).values, [2.7, -2.7, 0.5, -0, Number.NaN, 1e3].map(Math.fround));
    const b = h.tensor([1, 0, 1], [3], 'bool');
    const f = h.call('Cast', [b], { dtype: 'float32' });
    expect(f.dtype).toBe('float32');
    expectSame(f.values, [1, 0, 1]);
    expectSame(h.call('Cast', [h.tensor([-3, 0, 9], [3], 'int32')], { dtype: 'bool' }).values, [1, 0, 1]);
    expect(() => h.run('Cast', [b], { dtype: 'float16' })).toThrow(/Cast: unknown dtype "float16"/);
  });

  it('copies when casting to the same dtype', () => {
    const x = h.tensor([1, 2], [2]);
    const y = h.run('Cast', [x], { dtype: 'float32' });
    expect(y.dataId).not.toBe(x.dataId);
    expectSame(h.read(y), [1, 2]);
  });
});

describe('Activation and ActivationGrad', () => {
  // Every kind registered in core, compiled, against core's reference interpreter of the same expression.
  const shapes: Shape[] = [[], [0], [1], [7], [33], [3, 5], [128, 257], [20001]];
  const paramsFor = (names: readonly string[]): Record<string, number> => {
    const values: Record<string, number> = {
      slope: 0.2,
      alpha: 1.3,
      beta: 1.5,
      threshold: 4,
      minVal: -0.7,
      maxVal: 0.9,
      width: 0.8,
      scale: 0.6,
      leak: 0.05,
      low: -1.2,
      high: 0.4,
    };
    return Object.fromEntries(names.map((n) => [n, values[n] ?? 0.5]));
  };
  const specials = [Number.NaN, -0, 0, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, 1, -1, 0.5, -0.5];

  for (const kind of listForwardKinds()) {
    for (const dtype of ['float32', 'float64'] as const) {
      it(`forward '${kind.name}' on ${dtype} matches the expression's reference, NaN/Inf/-0 included`, () => {
        const params = paramsFor(kind.params);
        for (const shape of shapes) {
          const x = dataFor(dtype, ref.size(shape), true);
          specials.forEach((v, i) => {
            if (i < x.length) x[i] = v;
          });
          const y = h.call('Activation', [h.tensor(x, shape, dtype)], { kind: kind.name, params });
          expect(y.shape).toEqual(shape);
          expect(y.dtype).toBe(dtype);
          const want = x.map((v) => stored(evalExpr(kind.expr, { ...params, x: stored(v, dtype) }), dtype));
          expectClose(y.values, want, 1e-6, 1e-7, `${kind.name} [${shape}]`);
        }
      });
    }
  }

  for (const kind of listDerivativeKinds().filter((k) => k.from !== 'none')) {
    for (const dtype of ['float32', 'float64'] as const) {
      it(`derivative '${kind.name}' (from ${kind.from}) on ${dtype} is dy · g, fused, as the reference`, () => {
        const params = paramsFor(kind.params);
        for (const shape of shapes) {
          const n = ref.size(shape);
          const x = dataFor(dtype, n, true);
          specials.forEach((v, i) => {
            if (i < x.length && kind.from !== 'y') x[i] = v;
          });
          const dy = dataFor(dtype, n);
          const xt = h.tensor(x, shape, dtype);
          let saved: ReturnType<typeof h.tensor>;
          let g: (i: number) => number;
          if (kind.from === 'mask') {
            // Any forward kind will do: the mask depends only on x.
            const [, mask] = h.callMany('Activation', [xt], { kind: 'identity', params, mask: kind.name });
            expect(mask!.dtype).toBe('int32');
            expect(mask!.shape).toEqual([Math.ceil(n / 32)]);
            saved = h.tensor(mask!.values, mask!.shape, 'int32');
            g = (i) =>
              evalExpr(kind.expr, { ...params, m: evalExpr(kind.predicate!, { ...params, x: stored(x[i]!, dtype) }) !== 0 ? 1 : 0 });
          } else {
            saved = xt;
            g = (i) => evalExpr(kind.expr, { ...params, [kind.from]: stored(x[i]!, dtype) });
          }
          const dx = h.call('ActivationGrad', [h.tensor(dy, shape, dtype), saved], { kind: kind.name, params });
          const want = dy.map((d, i) => stored(d * g(i), dtype));
          expectClose(dx.values, want, 1e-6, 1e-7, `${kind.name}' [${shape}]`);
        }
      });
    }
  }

  it('the mask holds one bit per element, 32 per word, low bit first', () => {
    const x = Array.from({ length: 70 }, (_, i) => (i % 3 === 0 ? 1 : -1));
    const [, mask] = h.callMany('Activation', [h.tensor(x, [70])], { kind: 'relu', params: {}, mask: 'reluMask' });
    const bits = Array.from({ length: 70 }, (_, i) => (mask!.values[i >> 5]! >>> (i & 31)) & 1);
    expect(bits).toEqual(x.map((v) => (v > 0 ? 1 : 0)));
  });

  it('relu keeps NaN, maps -0 and -Inf to +0; leakyRelu keeps -0', () => {
    const x = [Number.NaN, -0, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, -1, 2];
    for (const dtype of ['float32', 'float64'] as const) {
      const r = h.call('Activation', [h.tensor(x, [6], dtype)], { kind: 'relu', params: {} });
      expectSame(r.values, [Number.NaN, 0, 0, Number.POSITIVE_INFINITY, 0, 2]);
      const l = h.call('Activation', [h.tensor(x, [6], dtype)], { kind: 'leakyRelu', params: { slope: 0.5 } });
      expectSame(l.values, [Number.NaN, -0, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, -0.5, 2]);
    }
    // A NaN whose sign bit is set (what 0/0 gives on x86) is still a NaN after relu.
    const negativeNaN = new Float32Array(new Int32Array([0xffc00000 | 0]).buffer);
    const out = h.call('Activation', [h.tensor(negativeNaN, [1])], { kind: 'relu', params: {} });
    expect(out.values[0]).toBeNaN();
  });

  it('names the kernel, the kind and the known kinds for an unknown kind or a bad mask', () => {
    const x = h.tensor([1], [1]);
    expect(() => h.run('Activation', [x], { kind: 'swish', params: {} })).toThrow(
      /Activation: unknown forward kind 'swish'; known kinds: relu, leakyRelu/,
    );
    expect(() => h.run('ActivationGrad', [x, x], { kind: 'swish', params: {} })).toThrow(/ActivationGrad: unknown derivative kind 'swish'/);
    expect(() => h.run('Activation', [x], { kind: 'leakyRelu', params: {} })).toThrow(/params.slope must be a number/);
    expect(() => h.run('Activation', [x], { kind: 'relu', params: {}, mask: 'silu' })).toThrow(
      /derivative kind 'silu' reads 'x', not a mask/,
    );
    expect(() =>
      h.run('ActivationGrad', [h.tensor(new Array(40).fill(1), [40]), h.tensor([1], [1], 'int32')], { kind: 'reluMask', params: {} }),
    ).toThrow(/ActivationGrad 'reluMask': expected an int32 mask of 2 words for dy \[40\], got int32 \[1\]/);
    expect(() => h.run('ActivationGrad', [x, h.tensor([1, 2], [2])], { kind: 'silu', params: {} })).toThrow(
      /ActivationGrad 'silu': dy \[1\] and the saved x \[2\] must have the same size/,
    );
  });
});
