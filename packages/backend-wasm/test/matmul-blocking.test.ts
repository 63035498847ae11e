// The wasm MatMul kernel splits C into 4×8 register tiles, k into blocks of at most 256, and
// handles the tiles cut by the edge of C apart from the full ones; a row-major A's whole row blocks
// are read in place when C has at most 32 full panels, and packed otherwise. These shapes put
// every one of those paths (several k blocks accumulating into full and edge tiles, a row block
// with no full tile, a single column or row, k exactly one block and one past it, more panels than
// A is read in place for) under every transpose pair, checked against a float64 product of the
// same float32 inputs.
import { randn, runKernel, setBackend, type Tensor } from '@surrograd/core';
import { beforeAll, describe, expect, it } from 'vitest';
import '../src/index.js';
import { naiveMatmul } from './support/naive-matmul.js';

/** Throws naming the first element further than `tol` (relative to 1 + |want|) from the reference. */
function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, what: string): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const [got, want] = [actual[i] as number, expected[i] as number];
    if (!(Math.abs(got - want) <= tol * (1 + Math.abs(want)))) throw new Error(`${what}: [${i}] got ${got}, expected ${want}`);
  }
}

beforeAll(async () => {
  await setBackend('wasm');
});

describe('MatMul tiling and k blocking', () => {
  const shapes: [label: string, m: number, n: number, k: number][] = [
    ['four k blocks into full and edge tiles', 9, 27, 784],
    ['k one past a block', 8, 16, 257],
    ['k exactly one block', 5, 9, 256],
    ['rows fewer than a tile, several panels', 2, 40, 300],
    ['one column', 13, 1, 513],
    ['one row', 1, 23, 127],
    ['depth one', 7, 17, 1],
    ['full tiles only', 12, 32, 64],
    ['33 full panels and an edge one, over two k blocks', 9, 268, 300],
  ];
  for (const [label, m, n, k] of shapes) {
    for (const [tA, tB] of [
      [false, false],
      [false, true],
      [true, false],
      [true, true],
    ] as const) {
      it(`${label}: ${m}×${k}·${k}×${n}, transposeA ${tA}, transposeB ${tB}`, async () => {
        const a = randn(tA ? [k, m] : [m, k], { seed: 3 * m + k });
        const b = randn(tB ? [n, k] : [k, n], { seed: 5 * n + k });
        const c = runKernel('MatMul', [a, b], { transposeA: tA, transposeB: tB });
        expect(c.shape).toEqual([m, n]);
        const want = naiveMatmul((await a.data()) as Float32Array, (await b.data()) as Float32Array, m, n, k, tA, tB);
        expectClose(await c.data(), want, 1e-5 * Math.sqrt(k), `${m}×${k}·${k}×${n}`);
        for (const t of [a, b, c] as Tensor[]) t.dispose();
      });
    }
  }

  it('gives the same bits whether A is read in place (row-major) or packed (transposed)', async () => {
    // Both feed the micro-kernel the same values in the same order; only where it reads them differs.
    const [m, n, k] = [14, 200, 600];
    const a = randn([m, k], { seed: 7 });
    const aT = a.transpose(0, 1);
    const b = randn([k, n], { seed: 8 });
    const inPlace = runKernel('MatMul', [a, b], {});
    const packed = runKernel('MatMul', [aT, b], { transposeA: true });
    const [x, y] = [await inPlace.data(), await packed.data()];
    for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) throw new Error(`[${i}]: ${x[i]} read in place, ${y[i]} packed`);
    for (const t of [a, aT, b, inPlace, packed] as Tensor[]) t.dispose();
  });

  it('gives each matrix of a broadcast batch its own blocks, over several k blocks', async () => {
    const [m, n, k] = [6, 10, 300];
    const a = randn([3, 1, m, k], { seed: 11 });
    const b = randn([2, n, k], { seed: 12 });
    const c = runKernel('MatMul', [a, b], { transposeA: false, transposeB: true });
    expect(c.shape).toEqual([3, 2, m, n]);
    const [av, bv, cv] = [(await a.data()) as Float32Array, (await b.data()) as Float32Array, await c.data()];
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 2; j++) {
        const want = naiveMatmul(av.subarray(i * m * k, (i + 1) * m * k), bv.subarray(j * n * k, (j + 1) * n * k), m, n, k, false, true);
        const at = (i * 2 + j) * m * n;
        expectClose(cv.subarray(at, at + m * n), want, 1e-5 * Math.sqrt(k), `batch [${i}, ${j}]`);
      }
    for (const t of [a, b, c] as Tensor[]) t.dispose();
  });
});
