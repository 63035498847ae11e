/** Reductions, matmul and data movement against the cpu reference, over shapes that exercise every index path. */
import { describe, it } from 'vitest';
import { expectSameAsCpu, host, randomValues } from './support/differential.js';

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
const rand = (shape: number[], seed: number) => host(randomValues(size(shape), seed), shape);
const ints = (shape: number[], seed: number) =>
  host(
    Array.from(randomValues(size(shape), seed, 50), (v) => Math.trunc(v)),
    shape,
    'int32',
  );
const bools = (shape: number[], seed: number) =>
  host(
    Array.from(randomValues(size(shape), seed), (v) => +(v > 0)),
    shape,
    'bool',
  );

/** Every subset of [0, rank). */
const subsets = (rank: number) => Array.from({ length: 1 << rank }, (_, m) => [...Array(rank).keys()].filter((d) => m & (1 << d)));

describe('Reduce', () => {
  it('every op over every subset of axes of [2,3,4], keepDims or not, float32', async () => {
    for (const op of ['sum', 'prod', 'max', 'min'] as const) {
      for (const axes of subsets(3)) {
        for (const keepDims of [false, true])
          await expectSameAsCpu('Reduce', [rand([2, 3, 4], 1)], { op, axes, keepDims }, { rtol: 1e-5, atol: 1e-6 });
      }
    }
  });
  it('int32 and bool (sum as any, prod as all)', async () => {
    for (const op of ['sum', 'prod', 'max', 'min'] as const) {
      for (const axes of [[0], [1], [0, 1]]) {
        await expectSameAsCpu('Reduce', [ints([3, 5], 2)], { op, axes, keepDims: false });
        await expectSameAsCpu('Reduce', [bools([3, 5], 3)], { op, axes, keepDims: false });
      }
    }
  });
  it('long rows and columns (several partial passes), odd sizes, alternating axes', async () => {
    await expectSameAsCpu('Reduce', [rand([3, 70001], 4)], { op: 'sum', axes: [1], keepDims: false }, { rtol: 1e-5, atol: 1e-3 });
    await expectSameAsCpu('Reduce', [rand([70001, 3], 5)], { op: 'sum', axes: [0], keepDims: true }, { rtol: 1e-5, atol: 1e-3 });
    await expectSameAsCpu('Reduce', [rand([130, 7, 3], 6)], { op: 'max', axes: [0, 2], keepDims: false });
    await expectSameAsCpu('Reduce', [rand([5, 1, 129, 2], 7)], { op: 'min', axes: [1, 2], keepDims: true });
  });
  it('NaN propagates through max and min; empty reductions give the identity', async () => {
    const x = host([1, Number.NaN, 3, -1, 5, Number.NEGATIVE_INFINITY], [2, 3]);
    for (const op of ['max', 'min', 'sum'] as const) await expectSameAsCpu('Reduce', [x], { op, axes: [1], keepDims: false });
    await expectSameAsCpu('Reduce', [host([], [3, 0])], { op: 'sum', axes: [1], keepDims: false });
    await expectSameAsCpu('Reduce', [host([], [3, 0])], { op: 'prod', axes: [1], keepDims: true });
    await expectSameAsCpu('Reduce', [host([], [0, 3])], { op: 'max', axes: [1], keepDims: false });
    await expectSameAsCpu('Reduce', [rand([2, 3], 8)], { op: 'sum', axes: [], keepDims: false });
  });
});

describe('ArgReduce', () => {
  it('first extreme along every axis; NaN wins; ties take the first', async () => {
    const x = host([3, 1, 3, Number.NaN, 2, Number.NaN, 0, 0, -1, 5, 5, 2], [3, 4]);
    for (const op of ['argmax', 'argmin'] as const) {
      for (const axis of [0, 1, -1]) for (const keepDims of [false, true]) await expectSameAsCpu('ArgReduce', [x], { op, axis, keepDims });
      await expectSameAsCpu('ArgReduce', [rand([4, 33, 5], 9)], { op, axis: 1, keepDims: false });
      await expectSameAsCpu('ArgReduce', [ints([6, 7], 10)], { op, axis: 0, keepDims: false });
      await expectSameAsCpu('ArgReduce', [host([7], [])], { op, axis: 0, keepDims: false });
    }
  });
});

describe('MatMul', () => {
  it('all transpose patterns, sizes off the tile grid', async () => {
    for (const [m, k, n] of [
      [1, 1, 1],
      [5, 7, 3],
      [33, 17, 65],
      [64, 64, 64],
    ] as const) {
      for (const transposeA of [false, true]) {
        for (const transposeB of [false, true]) {
          const a = rand(transposeA ? [k, m] : [m, k], m * 31 + k);
          const b = rand(transposeB ? [n, k] : [k, n], n * 17 + k);
          await expectSameAsCpu('MatMul', [a, b], { transposeA, transposeB }, { rtol: 1e-5, atol: 1e-5 });
        }
      }
    }
  });
  it('batch dims broadcast both ways; k = 0 gives zeros; 0 · ∞ is NaN', async () => {
    await expectSameAsCpu(
      'MatMul',
      [rand([2, 1, 3, 4], 1), rand([5, 4, 2], 2)],
      { transposeA: false, transposeB: false },
      { rtol: 1e-5, atol: 1e-6 },
    );
    await expectSameAsCpu(
      'MatMul',
      [rand([3, 4], 3), rand([2, 3, 5, 4], 4)],
      { transposeA: false, transposeB: true },
      { rtol: 1e-5, atol: 1e-6 },
    );
    await expectSameAsCpu('MatMul', [host([], [2, 0]), host([], [0, 3])], { transposeA: false, transposeB: false });
    await expectSameAsCpu('MatMul', [host([0, 1], [1, 2]), host([Number.POSITIVE_INFINITY, 1], [2, 1])], {
      transposeA: false,
      transposeB: false,
    });
  });
});

describe('data movement', () => {
  it('Transpose every permutation of a rank-3 tensor, every dtype', async () => {
    const perms = [
      [0, 1, 2],
      [0, 2, 1],
      [1, 0, 2],
      [1, 2, 0],
      [2, 0, 1],
      [2, 1, 0],
    ];
    for (const perm of perms) {
      await expectSameAsCpu('Transpose', [rand([2, 3, 5], 1)], { perm });
      await expectSameAsCpu('Transpose', [ints([2, 3, 5], 2)], { perm });
      await expectSameAsCpu('Transpose', [bools([2, 3, 5], 3)], { perm });
    }
  });
  it('Slice, Pad, BroadcastTo, Concat', async () => {
    await expectSameAsCpu('Slice', [rand([4, 5, 6], 4)], { begin: [1, 0, 2], size: [2, 5, 3] });
    await expectSameAsCpu('Slice', [rand([4, 5], 5)], { begin: [1, 1], size: [0, 3] });
    await expectSameAsCpu('Pad', [rand([2, 3], 6)], {
      paddings: [
        [1, 2],
        [0, 3],
      ],
      value: -0.5,
    });
    await expectSameAsCpu('Pad', [ints([2, 3], 7)], {
      paddings: [
        [0, 1],
        [2, 0],
      ],
      value: 9,
    });
    await expectSameAsCpu('BroadcastTo', [rand([3, 1], 8)], { shape: [2, 3, 4] });
    await expectSameAsCpu('BroadcastTo', [bools([1, 4], 9)], { shape: [3, 4] });
    await expectSameAsCpu('Concat', [rand([2, 3], 10), rand([2, 1], 11), rand([2, 4], 12)], { axis: 1 });
    await expectSameAsCpu('Concat', [ints([1, 3], 13), ints([2, 3], 14)], { axis: 0 });
  });
  it('Gather and ScatterAdd along every axis, repeated indices accumulate', async () => {
    const idx = host([2, 0, 2, 1], [2, 2], 'int32');
    for (const axis of [0, 1, 2]) {
      const x = rand([3, 3, 3], axis + 20);
      await expectSameAsCpu('Gather', [x, idx], { axis });
      const shape = [3, 3, 3];
      const updShape = [...shape.slice(0, axis), 2, 2, ...shape.slice(axis + 1)];
      await expectSameAsCpu('ScatterAdd', [rand(updShape, axis + 30), idx], { axis, shape }, { rtol: 1e-6 });
    }
    await expectSameAsCpu('Gather', [ints([5], 40), host([4, 4, 0], [3], 'int32')], { axis: 0 });
  });
});
