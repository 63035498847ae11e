/**
 * The Function-with-context API at PyTorch's level: ctx state, saved tensors with in-place checks,
 * needsInputGrad, non-tensor arguments, null gradients, broadcasting gradients summed to shape,
 * several outputs, materialized grads, onceDifferentiable, and the errors for each misuse.
 */
import {
  AutogradFunction,
  defineFunction,
  type FunctionCtx,
  gradients,
  keep,
  memory,
  noGrad,
  optim,
  type Tensor,
  tensor,
  tidy,
  where,
} from '@surrograd/core';
import { describe, expect } from 'vitest';
import { test } from '../declare.js';
import type { KitContext } from '../options.js';

const flat = async (t: Tensor | null) => (t ? Array.from(await t.data()) : null);

export function functionApiSuite(kit: KitContext): void {
  describe('Function API', () => {
    test(kit, 'function/ctx-state-and-non-tensor-args', async () => {
      const seen: boolean[][] = [];
      const Scale = defineFunction({
        name: 'Scale',
        forward(ctx: FunctionCtx<{ factor: number }>, x: Tensor, factor: number) {
          ctx.factor = factor;
          seen.push([...ctx.needsInputGrad]);
          return x.mul(factor);
        },
        backward(ctx: FunctionCtx<{ factor: number }>, dy) {
          return [dy.mul(ctx.factor), null];
        },
      });
      const x = tensor([1, 2, 3], { requiresGrad: true });
      tidy(() => Scale(x, 3).sum().backward());
      expect(await flat(x.grad)).toEqual([3, 3, 3]);
      x.dispose();
      expect(seen[0]).toEqual([true, false]);
    });

    test(kit, 'function/needs-input-grad-skips-unneeded', async () => {
      const computed: number[] = [];
      const Mul = defineFunction({
        name: 'MulTracked',
        forward(ctx, a: Tensor, b: Tensor) {
          ctx.saveForBackward(a, b);
          return a.mul(b);
        },
        backward(ctx, dy) {
          const [a, b] = ctx.savedTensors as [Tensor, Tensor];
          if (ctx.needsInputGrad[0]) computed.push(0);
          if (ctx.needsInputGrad[1]) computed.push(1);
          return [ctx.needsInputGrad[0] ? dy.mul(b) : null, ctx.needsInputGrad[1] ? dy.mul(a) : null];
        },
      });
      const a = tensor([2, 3], { requiresGrad: true });
      const b = tensor([5, 7]);
      tidy(() => Mul(a, b).sum().backward());
      expect(computed).toEqual([0]);
      expect(await flat(a.grad)).toEqual([5, 7]);
      expect(b.grad).toBeNull();
      a.dispose();
      b.dispose();
    });

    test(kit, 'function/broadcast-gradient-summed-to-input-shape', async () => {
      const Route = defineFunction({
        name: 'Route',
        forward: (_ctx, xf: Tensor, _xb: Tensor) => xf.clone(),
        backward: (_ctx, dy) => [null, dy],
      });
      for (const shape of [[3, 5], [1, 5], [5]]) {
        const xf = tensor(new Float32Array(15).fill(1), { shape: [3, 5] });
        const xb = tensor(new Float32Array(shape.reduce((p, d) => p * d, 1)), { shape, requiresGrad: true });
        tidy(() => Route(xf, xb).sum().backward());
        expect(xb.grad!.shape).toEqual(shape);
        expect(Math.max(...(await xb.grad!.data()))).toBe(shape.length === 2 && shape[0] === 3 ? 1 : 3);
        xf.dispose();
        xb.dispose();
      }
    });

    test(kit, 'function/incompatible-gradient-shape-is-a-clear-error', async () => {
      const Bad = defineFunction({
        name: 'BadShape',
        forward: (_ctx, x: Tensor) => x.mul(2),
        backward: (_ctx, dy) => dy.sum(0),
      });
      const before = memory().numTensors;
      const x = tensor(
        [
          [1, 2],
          [3, 4],
        ],
        { requiresGrad: true },
      );
      expect(() => tidy(() => Bad(x).sum().backward())).toThrow(
        "BadShape: the gradient of argument 0 has shape [2], which is not the input's shape [2, 2] nor a shape the input broadcasts to",
      );
      x.dispose();
      expect(memory().numTensors).toBe(before);
    });

    test(kit, 'function/wrong-number-of-gradients-is-a-clear-error', async () => {
      const Two = defineFunction({
        name: 'TwoInputs',
        forward: (_ctx, a: Tensor, b: Tensor) => a.add(b),
        backward: (_ctx, dy) => [dy],
      });
      const a = tensor([1], { requiresGrad: true });
      expect(() => tidy(() => Two(a, a).sum().backward())).toThrow('TwoInputs: backward returned 1 gradients, expected 2');
      const Stray = defineFunction({
        name: 'StrayGrad',
        forward: (_ctx, x: Tensor, _k: number) => x.mul(2),
        backward: (_ctx, dy) => [dy, dy],
      });
      expect(() => tidy(() => Stray(a, 3).sum().backward())).toThrow(
        'StrayGrad: backward returned a gradient for argument 1, which is not a tensor',
      );
      a.dispose();
    });

    test(kit, 'function/saved-tensor-modified-in-place-is-an-error', async () => {
      const w = tensor([1, 2, 3], { requiresGrad: true });
      const opt = new optim.SGD([w], { lr: 0.1 });
      const loss = w.mul(w).sum();
      // An optimizer step between forward and backward changes w, which Mul saved.
      w.grad = tensor([1, 1, 1]);
      opt.step();
      expect(() => loss.backward()).toThrow(
        /modified by an in-place operation: saved tensor \d \(shape \[3\], float32\) is at version 1; expected version 0/,
      );
      loss.dispose();
      w.dispose();
    });

    test(kit, 'function/second-backward-without-retain-graph-is-an-error', async () => {
      const x = tensor([1, 2], { requiresGrad: true });
      const y = x.exp().sum();
      y.backward();
      expect(() => y.backward()).toThrow(/Exp: trying to backward through the graph a second time.*retainGraph: true/);
      const z = x.exp().sum();
      z.backward({ retainGraph: true });
      z.backward();
      const e = Math.exp(1);
      expect((await flat(x.grad))![0]).toBeCloseTo(3 * e, 4);
      y.dispose();
      z.dispose();
      x.dispose();
    });

    test(kit, 'function/several-outputs-and-materialized-grads', async () => {
      // Kept past backward to be read afterwards (backward itself cannot await a read).
      const received: (Tensor | null)[] = [];
      const Split = defineFunction({
        name: 'Split',
        forward(ctx, x: Tensor, materialize: boolean) {
          ctx.setMaterializeGrads(materialize);
          return [x.mul(2), x.mul(3)];
        },
        backward(_ctx, d1, d2) {
          received.push(d2 ? keep(d2.clone()) : null);
          const g = d1.mul(2);
          return [d2 ? g.add(d2.mul(3)) : g, null];
        },
      });
      const x = tensor([1, 1], { requiresGrad: true });
      tidy(() => Split(x, true)[0]!.sum().backward());
      tidy(() => Split(x, false)[0]!.sum().backward());
      expect(received.length).toBe(2);
      expect(await flat(received[0] ?? null)).toEqual([0, 0]);
      expect(received[1]).toBeNull();
      received[0]?.dispose();
      expect(await flat(x.grad)).toEqual([4, 4]);
      x.dispose();
    });

    test(kit, 'function/mark-non-differentiable', async () => {
      const WithMask = defineFunction({
        name: 'WithMask',
        forward(ctx, x: Tensor) {
          const mask = x.gt(0).cast('float32');
          ctx.markNonDifferentiable(mask);
          return [x.relu(), mask];
        },
        backward: (_ctx, dy) => dy,
      });
      const x = tensor([-1, 2], { requiresGrad: true });
      tidy(() => {
        const [y, mask] = WithMask(x) as [Tensor, Tensor];
        expect(y.requiresGrad).toBe(true);
        expect(mask.requiresGrad).toBe(false);
      });
      x.dispose();
    });

    test(kit, 'function/class-style-apply', async () => {
      class Cube extends AutogradFunction {
        static override forward(ctx: FunctionCtx, x: Tensor) {
          ctx.saveForBackward(x);
          return x.pow(3);
        }
        static override backward(ctx: FunctionCtx, dy: Tensor) {
          const [x] = ctx.savedTensors as [Tensor];
          return dy.mul(x.square().mul(3));
        }
      }
      const x = tensor([2], { requiresGrad: true });
      tidy(() => (Cube.apply(x) as Tensor).sum().backward());
      expect(await flat(x.grad)).toEqual([12]);
      x.dispose();
    });

    test(kit, 'function/once-differentiable-refuses-double-backward', async () => {
      const Once = defineFunction({
        name: 'OnceSquare',
        onceDifferentiable: true,
        forward(ctx, x: Tensor) {
          ctx.saveForBackward(x);
          return x.square();
        },
        backward(ctx, dy) {
          const [x] = ctx.savedTensors as [Tensor];
          return dy.mul(x).mul(2);
        },
      });
      const x = tensor([3], { requiresGrad: true });
      const g = tidy(() => {
        const [g] = gradients(Once(x).sum(), [x], { createGraph: true }) as [Tensor];
        expect(() => g.sum().backward()).toThrow('OnceSquare is marked onceDifferentiable');
        return g.detach();
      });
      expect(await flat(g)).toEqual([6]);
      g.dispose();
      x.dispose();
    });

    test(kit, 'function/forward-errors-leave-no-tensors', async () => {
      const Throws = defineFunction({
        name: 'Throws',
        forward(_ctx, x: Tensor) {
          x.mul(2);
          throw new Error('boom');
        },
        backward: (_ctx, dy) => dy,
      });
      const x = tensor([1, 2], { requiresGrad: true });
      const before = memory();
      expect(() => Throws(x)).toThrow('boom');
      expect(memory().numTensors).toBe(before.numTensors);
      expect(memory().numBytes).toBe(before.numBytes);
      const NotTensor = defineFunction({ name: 'NotTensor', forward: (_ctx, _x: Tensor) => 3 as unknown as Tensor, backward: () => null });
      expect(() => NotTensor(x)).toThrow('NotTensor: forward must return a Tensor or an array holding at least one Tensor, got number 3');
      x.dispose();
    });

    test(kit, 'function/saved-tensors-freed-after-backward', async () => {
      const x = tensor(new Float32Array(1000), { shape: [1000], requiresGrad: true });
      const base = memory();
      tidy(() => x.mul(2).exp().mul(x).sum().backward());
      x.grad = null;
      expect(memory().numBytes).toBe(base.numBytes);
      expect(memory().numTensors).toBe(base.numTensors);
      // Without backward, the graph frees its saved buffers when its tensors are disposed.
      tidy(() => {
        x.mul(2).exp().sum();
      });
      expect(memory().numBytes).toBe(base.numBytes);
      x.dispose();
    });

    test(kit, 'function/nsrelu-where-form', async () => {
      const NSReLU = defineFunction({
        name: 'NSReLU',
        forward(ctx, x: Tensor) {
          ctx.saveForBackward(x);
          return x.relu();
        },
        backward(ctx, dy: Tensor) {
          const [x] = ctx.savedTensors as [Tensor];
          return where(x.lt(0), dy.mul(0.1), dy);
        },
      });
      const x = tensor([-2, 0, 3], { requiresGrad: true });
      const y = NSReLU(x);
      expect(await flat(y)).toEqual([0, 0, 3]);
      tidy(() => y.sum().backward());
      expect(await flat(x.grad)).toEqual([Math.fround(0.1), 1, 1]);
      y.dispose();
      x.dispose();
    });

    test(kit, 'function/no-grad-records-nothing', async () => {
      const x = tensor([1, 2], { requiresGrad: true });
      const y = noGrad(() => x.mul(2));
      expect(y.requiresGrad).toBe(false);
      expect(y.gradFn).toBeNull();
      y.dispose();
      x.dispose();
    });
  });
}
