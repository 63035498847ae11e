/**
 * Broadcasting beyond the goldens: high ranks, size-1 dims on both sides, scalars, empty dims and
 * shapes big enough to leave a GPU's fast path — values and the summed-back gradients, vs a reference.
 */
import { maximum, minimum, randn, type Tensor } from '@surrograd/core';
import { describe } from 'vitest';
import { withBag } from '../bag.js';
import { expectWithin } from '../compare.js';
import { test } from '../declare.js';
import type { KitContext } from '../options.js';
import { broadcastBinary, broadcastShape, sumToShape } from '../reference/broadcast.js';

const PAIRS: [number[], number[]][] = [
  [[1, 1, 1], []],
  [
    [3, 1, 1],
    [1, 4, 1],
  ],
  [
    [5, 1],
    [1, 5],
  ],
  [[1], [7, 1, 1]],
  [
    [2, 1, 3, 1, 2],
    [3, 4, 1],
  ],
  [
    [6, 1, 4, 1],
    [5, 1, 3],
  ],
  [
    [2, 3, 1, 1, 2, 1],
    [1, 1, 4, 3, 1, 5],
  ],
  [
    [64, 1, 33],
    [1, 17, 33],
  ],
  [
    [257, 1],
    [1, 129],
  ],
  [
    [0, 1],
    [1, 4],
  ],
  [
    [3, 0, 2],
    [1, 2],
  ],
];

const f = Math.fround;
type Ref = (x: number, y: number) => number;

const OPS: [string, (a: Tensor, b: Tensor) => Tensor, Ref][] = [
  ['add', (a, b) => a.add(b), (x, y) => f(x + y)],
  ['sub', (a, b) => a.sub(b), (x, y) => f(x - y)],
  ['mul', (a, b) => a.mul(b), (x, y) => f(x * y)],
  ['div', (a, b) => a.div(b), (x, y) => f(x / y)],
  ['maximum', (a, b) => maximum(a, b), (x, y) => Math.max(x, y)],
  ['minimum', (a, b) => minimum(a, b), (x, y) => Math.min(x, y)],
];

const fmt = (s: number[]) => `[${s.join(',')}]`;

async function checkPair(kit: KitContext, aShape: number[], bShape: number[]): Promise<void> {
  await withBag(async (bag) => {
    const a = bag.add(randn(aShape, { seed: 31, requiresGrad: true }));
    const b = bag.add(randn(bShape, { seed: 32, requiresGrad: true }));
    const av = (await a.data()) as Float32Array;
    const bv = (await b.data()) as Float32Array;
    const bound = (want: ArrayLike<number>) => (i: number) => kit.tolerance.atol + kit.tolerance.rtol * Math.abs(want[i] as number);
    for (const [name, op, ref] of OPS) {
      const out = bag.add(op(a, b));
      const want = broadcastBinary(av, aShape, bv, bShape, ref);
      if (fmt(out.shape) !== fmt(want.shape)) throw new Error(`${name}: shape ${fmt(out.shape)}, expected ${fmt(want.shape)}`);
      expectWithin(name, (await out.data()) as Float32Array, want.values, bound(want.values));
    }
    // Gradients of sum(a * b * cot): the cotangent summed back over each operand's broadcast dims.
    const outShape = broadcastShape(aShape, bShape);
    const cot = bag.add(randn(outShape, { seed: 33 }));
    a.grad = null;
    b.grad = null;
    bag.add(a.mul(b)).backward(cot);
    const cv = (await cot.data()) as Float32Array;
    const da = sumToShape(broadcastBinary(cv, outShape, bv, bShape, (c, y) => c * y).values, outShape, aShape);
    const db = sumToShape(broadcastBinary(cv, outShape, av, aShape, (c, x) => c * x).values, outShape, bShape);
    const sumBound = (want: ArrayLike<number>) => (i: number) => 1e-4 + kit.tolerance.rtol * Math.abs(want[i] as number);
    expectWithin('d(a*b)/da', (await (a.grad as Tensor | null)?.data()) ?? new Float32Array(da.length), da, sumBound(da));
    expectWithin('d(a*b)/db', (await (b.grad as Tensor | null)?.data()) ?? new Float32Array(db.length), db, sumBound(db));
  });
}

export function broadcastingSuite(kit: KitContext): void {
  describe('broadcasting', () => {
    for (const [a, b] of PAIRS) {
      test(kit, `broadcasting/${fmt(a)} with ${fmt(b)}`, () => checkPair(kit, a, b));
      test(kit, `broadcasting/${fmt(b)} with ${fmt(a)}`, () => checkPair(kit, b, a));
    }
  });
}
