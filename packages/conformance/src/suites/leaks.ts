/**
 * Leaks over long runs and along error paths: memory() stays flat across 1000 training steps
 * (with tidy, and with every tensor disposed by hand), nested tidy frees each level's
 * intermediates, and exceptions thrown inside tidy or a custom Function free what they made.
 */
import { defineFunction, keep, optim, type Tensor, tensor, tidy } from '@surrograd/core';
import { describe, expect } from 'vitest';
import { test } from '../declare.js';
import type { KitContext } from '../options.js';
import { expectSameMemory, snapshot } from '../snapshot.js';

const STEPS = 1000;

/** A tiny linear regression: big enough to allocate a graph per step, small enough for 1000 steps. */
function problem() {
  const x = tensor([0, 1, 2, 3, 4, 5], { shape: [3, 2] });
  const target = tensor([1, 0, 3, 1, 5, 2], { shape: [3, 2] });
  const w = tensor([0.1, 0, 0, 0.1], { shape: [2, 2], requiresGrad: true });
  const b = tensor([0, 0], { requiresGrad: true });
  const dispose = () => {
    for (const t of [x, target, w, b]) {
      t.grad?.dispose();
      t.dispose();
    }
  };
  return { x, target, w, b, dispose };
}

async function trainWithTidy(): Promise<void> {
  const before = snapshot();
  const { x, target, w, b, dispose } = problem();
  const opt = new optim.SGD([w, b], { lr: 0.01, momentum: 0.9 });
  const step = () =>
    tidy(() => {
      opt.zeroGrad();
      const loss = x.matmul(w).add(b).sub(target).square().mean();
      loss.backward();
      opt.step();
    });
  step();
  step();
  const warm = snapshot();
  for (let i = 0; i < STEPS; i++) step();
  expectSameMemory(`${STEPS} tidy'd SGD steps`, warm, snapshot());
  // Training must have made progress, or the loop did nothing worth measuring.
  const loss = tidy(() => x.matmul(w).add(b).sub(target).square().mean());
  expect((await loss.data())[0]! < 0.5).toBe(true);
  loss.dispose();
  opt.zeroGrad();
  opt.dispose();
  dispose();
  expectSameMemory('after disposing the problem', before, snapshot());
}

async function trainWithoutTidy(): Promise<void> {
  const before = snapshot();
  const { x, target, w, b, dispose } = problem();
  const opt = new optim.SGD([w, b], { lr: 0.01 });
  const step = () => {
    opt.zeroGrad();
    const made: Tensor[] = [];
    const track = (t: Tensor) => {
      made.push(t);
      return t;
    };
    const loss = track(track(track(track(track(x.matmul(w)).add(b)).sub(target)).square()).mean());
    loss.backward();
    opt.step();
    for (const t of made) t.dispose();
  };
  step();
  step();
  const warm = snapshot();
  for (let i = 0; i < STEPS; i++) step();
  expectSameMemory(`${STEPS} SGD steps disposing by hand`, warm, snapshot());
  opt.zeroGrad();
  opt.dispose();
  dispose();
  expectSameMemory('after disposing the problem', before, snapshot());
}

async function nestedTidy(): Promise<void> {
  const before = snapshot();
  const x = tensor([1, 2, 3]);
  let insideOuter = 0;
  const result = tidy(() => {
    const outerTemp = x.mul(2);
    const inner = tidy(() => outerTemp.add(1).exp().add(outerTemp));
    // Only the inner result survives the inner tidy: outerTemp, x and the outer's live tensors.
    insideOuter = snapshot().numTensors - before.numTensors;
    return inner.sum();
  });
  expect(insideOuter).toBe(3);
  expect(snapshot().numTensors - before.numTensors).toBe(2);
  const expected = [1, 2, 3].reduce((s, v) => s + Math.exp(2 * v + 1) + 2 * v, 0);
  expect((await result.data())[0]!).toBeCloseTo(expected, 0);
  result.dispose();
  x.dispose();
  expectSameMemory('nested tidy', before, snapshot());
}

async function exceptionInTidy(): Promise<void> {
  const before = snapshot();
  const x = tensor([1, 2], { requiresGrad: true });
  expect(() =>
    tidy(() => {
      const y = x.exp().mul(3);
      keep(y.sum()).dispose();
      x.sub(y).sum().backward();
      throw new Error('thrown inside tidy');
    }),
  ).toThrow('thrown inside tidy');
  x.grad?.dispose();
  x.dispose();
  expectSameMemory('exception inside tidy', before, snapshot());
}

async function exceptionInCustomForward(): Promise<void> {
  const before = snapshot();
  const Throws = defineFunction({
    name: 'ThrowsInForward',
    forward(ctx, x: Tensor) {
      ctx.saveForBackward(x.mul(2));
      x.exp();
      throw new Error('forward failed');
    },
    backward: (_ctx, dy) => dy,
  });
  const x = tensor([1, 2], { requiresGrad: true });
  expect(() => Throws(x)).toThrow('forward failed');
  expect(() => tidy(() => Throws(x))).toThrow('forward failed');
  x.dispose();
  expectSameMemory('exception in a custom forward', before, snapshot());
}

async function exceptionInCustomBackward(): Promise<void> {
  const before = snapshot();
  const Throws = defineFunction({
    name: 'ThrowsInBackward',
    forward(ctx, x: Tensor) {
      ctx.saveForBackward(x.exp());
      return x.mul(2);
    },
    backward(ctx, dy) {
      const [e] = ctx.savedTensors as [Tensor];
      dy.mul(e);
      throw new Error('backward failed');
    },
  });
  const x = tensor([1, 2], { requiresGrad: true });
  expect(() => tidy(() => Throws(x).add(x.square()).sum().backward())).toThrow('backward failed');
  // Without tidy, disposing the output releases what the failed backward left on the graph.
  const y = Throws(x);
  const loss = y.sum();
  expect(() => loss.backward()).toThrow('backward failed');
  loss.dispose();
  y.dispose();
  x.grad?.dispose();
  x.dispose();
  expectSameMemory('exception in a custom backward', before, snapshot());
}

export function leaksSuite(kit: KitContext): void {
  describe('leaks', () => {
    test(kit, `leaks/${STEPS}-training-steps-with-tidy`, trainWithTidy, kit.largeTimeoutMs);
    test(kit, `leaks/${STEPS}-training-steps-disposing-by-hand`, trainWithoutTidy, kit.largeTimeoutMs);
    test(kit, 'leaks/nested-tidy', nestedTidy);
    test(kit, 'leaks/exception-inside-tidy', exceptionInTidy);
    test(kit, 'leaks/exception-inside-custom-forward', exceptionInCustomForward);
    test(kit, 'leaks/exception-inside-custom-backward', exceptionInCustomBackward);
  });
}
