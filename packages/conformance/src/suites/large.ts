/**
 * Sizes where GPU tiling, workgroup and SIMD tail bugs show: 1M-element elementwise ops and
 * reductions, 300×300 and odd-sized batched matmul, wide softmax — against naive JS references.
 */
import { leakyRelu, rand, randn, type Tensor, tensor } from '@surrograd/core';
import { describe, expect } from 'vitest';
import { type TensorBag, withBag } from '../bag.js';
import { expectWithin } from '../compare.js';
import { test } from '../declare.js';
import type { KitContext } from '../options.js';
import { naiveMatmul } from '../reference/matmul.js';

const MILLION = 1 << 20;
const f = Math.fround;

async function read(t: Tensor): Promise<Float32Array> {
  return (await t.data()) as Float32Array;
}

function relBound(kit: KitContext, expected: ArrayLike<number>) {
  return (i: number) => kit.tolerance.atol + kit.tolerance.rtol * Math.abs(expected[i] as number);
}

async function elementwiseChain(kit: KitContext, bag: TensorBag): Promise<void> {
  const x = bag.add(randn([MILLION], { seed: 11, requiresGrad: true }));
  const y = bag.add(rand([MILLION], { seed: 12 }));
  const out = bag.add(leakyRelu(x.mul(1.5).add(y), { slope: 0.2 }).mul(y));
  bag.add(out.sum()).backward();
  const [xv, yv, ov, gv] = [await read(x), await read(y), await read(out), await read(x.grad as Tensor)];
  const want = new Float32Array(MILLION);
  const grad = new Float32Array(MILLION);
  for (let i = 0; i < MILLION; i++) {
    const pre = f(f((xv[i] as number) * 1.5) + (yv[i] as number));
    want[i] = f((pre > 0 ? pre : f(pre * f(0.2))) * (yv[i] as number));
    grad[i] = f(f((yv[i] as number) * (pre > 0 ? 1 : f(0.2))) * 1.5);
  }
  expectWithin('leakyRelu(x * 1.5 + y) * y', ov, want, relBound(kit, want));
  expectWithin('its gradient', gv, grad, relBound(kit, grad));
}

async function activations(kit: KitContext, bag: TensorBag): Promise<void> {
  const x = bag.add(randn([MILLION], { seed: 13, std: 3 }));
  const xv = await read(x);
  const cases: [string, (t: Tensor) => Tensor, (v: number) => number, (v: number) => number][] = [
    ['sigmoid', (t) => t.sigmoid(), (v) => 1 / (1 + Math.exp(-v)), (v) => Math.exp(-v) / (1 + Math.exp(-v)) ** 2],
    ['tanh', (t) => t.tanh(), Math.tanh, (v) => 1 - Math.tanh(v) ** 2],
    ['exp', (t) => t.exp(), Math.exp, Math.exp],
  ];
  for (const [name, op, value, derivative] of cases) {
    const leaf = bag.add(x.detach());
    leaf.requiresGrad = true;
    const out = bag.add(op(leaf));
    bag.add(out.sum()).backward();
    const want = Float32Array.from(xv, value);
    const grad = Float32Array.from(xv, derivative);
    expectWithin(`${name}(x)`, await read(out), want, relBound(kit, want));
    expectWithin(`${name}'(x)`, await read(leaf.grad as Tensor), grad, (i) => 1e-6 + 1e-3 * Math.abs(grad[i] as number));
  }
}

async function reductions(kit: KitContext, bag: TensorBag): Promise<void> {
  const x = bag.add(randn([1000, 1000], { seed: 14 }));
  const xv = await read(x);
  let total = 0;
  let magnitude = 0;
  const colSums = new Float64Array(1000);
  const colMags = new Float64Array(1000);
  const rowMax = new Float32Array(1000).fill(Number.NEGATIVE_INFINITY);
  for (let r = 0; r < 1000; r++) {
    for (let c = 0; c < 1000; c++) {
      const v = xv[r * 1000 + c] as number;
      total += v;
      magnitude += Math.abs(v);
      colSums[c] = (colSums[c] as number) + v;
      colMags[c] = (colMags[c] as number) + Math.abs(v);
      if (v > (rowMax[r] as number)) rowMax[r] = v;
    }
  }
  // float32 summation error grows with the sum of magnitudes, whatever the order.
  const sumBound = (mag: number) => 1e-5 * mag + kit.tolerance.atol;
  expectWithin('sum()', await read(bag.add(x.sum())), [total], () => sumBound(magnitude));
  expectWithin('mean()', await read(bag.add(x.mean())), [total / 1e6], () => sumBound(magnitude) / 1e6);
  expectWithin('sum(0)', await read(bag.add(x.sum(0))), colSums, (i) => sumBound(colMags[i] as number));
  expectWithin('max(1)', await read(bag.add(x.max(1))), rowMax, () => 0);
}

async function squareMatmul(kit: KitContext, bag: TensorBag, n: number): Promise<void> {
  const a = bag.add(randn([n, n], { seed: 15, requiresGrad: true }));
  const b = bag.add(randn([n, n], { seed: 16, requiresGrad: true }));
  const g = bag.add(randn([n, n], { seed: 17 }));
  const c = bag.add(a.matmul(b));
  c.backward(g);
  const [av, bv, gv] = [await read(a), await read(b), await read(g)];
  const bound = (p: { magnitude: Float64Array }) => (i: number) =>
    kit.tolerance.atol + Math.max(kit.tolerance.rtol, n * 1.2e-7) * (p.magnitude[i] as number);
  const ab = naiveMatmul(av, bv, n, n, n);
  expectWithin(`[${n},${n}] @ [${n},${n}]`, await read(c), ab.values, bound(ab));
  const da = naiveMatmul(gv, bv, n, n, n, false, true);
  expectWithin('dA = G · Bᵀ', await read(a.grad as Tensor), da.values, bound(da));
  const db = naiveMatmul(av, gv, n, n, n, true, false);
  expectWithin('dB = Aᵀ · G', await read(b.grad as Tensor), db.values, bound(db));
}

async function batchedOddMatmul(kit: KitContext, bag: TensorBag): Promise<void> {
  const [batch, m, k, n] = [3, 67, 129, 33];
  const a = bag.add(randn([batch, m, k], { seed: 18 }));
  const b = bag.add(randn([k, n], { seed: 19 }));
  const c = bag.add(a.matmul(b));
  if (c.shape.join() !== [batch, m, n].join()) throw new Error(`shape [${c.shape}], expected [${batch}, ${m}, ${n}]`);
  const [av, bv, cv] = [await read(a), await read(b), await read(c)];
  for (let i = 0; i < batch; i++) {
    const ref = naiveMatmul(av.subarray(i * m * k, (i + 1) * m * k), bv, m, k, n);
    const got = cv.subarray(i * m * n, (i + 1) * m * n);
    expectWithin(
      `batch ${i}`,
      got,
      ref.values,
      (j) => kit.tolerance.atol + Math.max(kit.tolerance.rtol, k * 1.2e-7) * (ref.magnitude[j] as number),
    );
  }
}

async function wideSoftmax(kit: KitContext, bag: TensorBag): Promise<void> {
  const [rows, cols] = [512, 1000];
  const x = bag.add(randn([rows, cols], { seed: 20, std: 4 }));
  const xv = await read(x);
  const want = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    const row = xv.subarray(r * cols, (r + 1) * cols);
    const m = Math.max(...row);
    let s = 0;
    for (const v of row) s += Math.exp(v - m);
    for (let c = 0; c < cols; c++) want[r * cols + c] = Math.exp((row[c] as number) - m) / s;
  }
  expectWithin('softmax(-1)', await read(bag.add(x.softmax(-1))), want, (i) => 1e-7 + kit.tolerance.rtol * (want[i] as number));
}

/** A stable sort's order of one row: NaN the largest value, -0 equal to 0, ties by position. */
function stableOrder(row: ArrayLike<number>, descending: boolean): number[] {
  const key = (v: number) => (Number.isNaN(v) ? Number.POSITIVE_INFINITY : v);
  const rank = (v: number) => (Number.isNaN(v) ? 1 : 0);
  return Array.from({ length: row.length }, (_, i) => i).sort((i, j) => {
    const [a, b] = [row[i] as number, row[j] as number];
    // NaN after +Inf ascending (before it descending): compare (value, is-NaN) pairs.
    const by = key(a) - key(b) || rank(a) - rank(b);
    return (descending ? -by : by) || i - j;
  });
}

/**
 * Rows of 520 with many ties, ±0, ±Inf and NaN, sorted both ways, and topk: longer than one block
 * of a composed sort's comparisons (256 columns), small enough for it on a software GPU.
 */
async function longSorts(kit: KitContext, bag: TensorBag): Promise<void> {
  const [rows, cols] = [8, 520];
  const special = [0, -0, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NaN];
  const values = Float32Array.from({ length: rows * cols }, (_, i) =>
    i % 97 === 0 ? (special[(i / 97) % special.length] as number) : Math.round(Math.sin(i * 12.9898) * 20) / 4,
  );
  const x = bag.add(tensor(values, { shape: [rows, cols] }));
  for (const descending of [false, true]) {
    const [v, idx] = x.sort(-1, { descending });
    const [got, gotIdx] = [await read(bag.add(v)), await bag.add(idx).data()];
    const wantIdx: number[] = [];
    for (let r = 0; r < rows; r++) wantIdx.push(...stableOrder(values.subarray(r * cols, (r + 1) * cols), descending).map((c) => c));
    expect(Array.from(gotIdx), `sort indices, descending ${descending}`).toEqual(wantIdx);
    const want = wantIdx.map((c, k) => values[Math.floor(k / cols) * cols + c] as number);
    expect(
      Array.from(got).every((g, k) => Object.is(g, want[k]) || (g === 0 && want[k] === 0)),
      `sort values, descending ${descending}`,
    ).toBe(true);
  }
  const [top, topIdx] = x.topk(5);
  const gotTop = await bag.add(topIdx).data();
  bag.add(top);
  const wantTop: number[] = [];
  for (let r = 0; r < rows; r++) wantTop.push(...stableOrder(values.subarray(r * cols, (r + 1) * cols), true).slice(0, 5));
  expect(Array.from(gotTop), 'topk(5) indices').toEqual(wantTop);
  void kit;
}

export function largeSuite(kit: KitContext): void {
  describe('large sizes', () => {
    const run = (id: string, body: (bag: TensorBag) => Promise<void>) => test(kit, `large/${id}`, () => withBag(body), kit.largeTimeoutMs);
    run('1M-element leakyRelu chain, forward and backward', (bag) => elementwiseChain(kit, bag));
    run('1M-element sigmoid, tanh, exp, forward and backward', (bag) => activations(kit, bag));
    run('[1000,1000] sum, mean, sum(0), max(1)', (bag) => reductions(kit, bag));
    run('300×300 matmul, forward and backward', (bag) => squareMatmul(kit, bag, 300));
    run('[3,67,129] @ [129,33] batched matmul', (bag) => batchedOddMatmul(kit, bag));
    run('[512,1000] softmax', (bag) => wideSoftmax(kit, bag));
    run('[8,520] sort both ways and topk, ties, ±0, ±Inf and NaN', (bag) => longSorts(kit, bag));
  });
}
