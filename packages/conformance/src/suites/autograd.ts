/** The tape itself: accumulation, retainGrad, functional gradients, grad transforms, lifetimes. */
import { grad, gradients, memory, straightThrough, type Tensor, tensor, tidy, valueAndGrad } from '@surrograd/core';
import { describe, expect } from 'vitest';
import { test } from '../declare.js';
import type { KitContext } from '../options.js';

const flat = async (t: Tensor | null) => (t ? Array.from(await t.data()) : null);

export function autogradSuite(kit: KitContext): void {
  describe('autograd engine', () => {
    test(kit, 'autograd/accumulates-and-grad-is-settable', async () => {
      const x = tensor([1, 2], { requiresGrad: true });
      tidy(() => x.mul(3).sum().backward());
      const first = x.grad!;
      tidy(() => x.mul(x).sum().backward());
      // Accumulation is in place, as PyTorch: the old reference sees the sum.
      expect(x.grad).toBe(first);
      expect(await flat(x.grad)).toEqual([5, 7]);
      x.grad = null;
      expect(x.grad).toBeNull();
      x.grad = tensor([9, 9]);
      expect(await flat(x.grad)).toEqual([9, 9]);
      expect(() => {
        x.grad = tensor([1, 2, 3]);
      }).toThrow('grad: assigned gradient has shape [3] and dtype float32, expected [2] float32');
      x.dispose();
    });

    test(kit, 'autograd/diamond-graph-and-shared-inputs', async () => {
      const x = tensor([2], { requiresGrad: true });
      tidy(() => {
        const a = x.mul(x);
        const b = a.add(x).mul(a);
        b.sum().backward();
      });
      // b = (x² + x)·x² → db/dx = 4x³ + 3x² = 44 at x = 2
      expect(await flat(x.grad)).toEqual([44]);
      x.dispose();
    });

    test(kit, 'autograd/non-scalar-backward-needs-a-gradient', async () => {
      const x = tensor([1, 2], { requiresGrad: true });
      tidy(() => {
        const y = x.mul(2);
        expect(() => y.backward()).toThrow(
          'backward: a gradient can be created implicitly only for a one-element output; output 0 has shape [2]',
        );
        expect(() => y.backward(tensor([1, 1, 1]))).toThrow('backward: gradient 0 has shape [3] but the output has shape [2]');
        y.backward(tensor([1, 10]));
      });
      expect(await flat(x.grad)).toEqual([2, 20]);
      const c = tensor([1, 2]);
      expect(() => c.sum().backward()).toThrow('does not require grad and has no gradFn');
      c.dispose();
      x.dispose();
    });

    test(kit, 'autograd/retain-grad-and-gradients-of-intermediates', async () => {
      const x = tensor([1, 2, 3], { requiresGrad: true });
      const [gh, gx, hGrad] = tidy(() => {
        const h = x.mul(2).retainGrad();
        const y = h.square().sum();
        const [gh, gx] = gradients(y, [h, x], { retainGraph: true }) as [Tensor, Tensor];
        expect(x.grad).toBeNull();
        y.backward();
        return [gh, gx, h.grad!.clone()];
      });
      expect(await flat(gh)).toEqual([4, 8, 12]);
      expect(await flat(gx)).toEqual([8, 16, 24]);
      expect(await flat(hGrad)).toEqual([4, 8, 12]);
      for (const t of [gh, gx, hGrad]) t.dispose();
      const unused = tensor([1], { requiresGrad: true });
      tidy(() => {
        const y = x.sum();
        expect(() => gradients(y, [unused], { retainGraph: true })).toThrow('was not used to compute the outputs');
        expect(gradients(y, [unused], { allowUnused: true })).toEqual([null]);
      });
      unused.dispose();
      x.dispose();
    });

    test(kit, 'autograd/grad-transforms-nest', async () => {
      const f = (v: Tensor) => v.pow(3).sum();
      const x = tensor([2, -1]);
      const [value, g] = valueAndGrad(f)(x) as [Tensor, Tensor];
      expect(await flat(value)).toEqual([7]);
      expect(await flat(g)).toEqual([12, 3]);
      const d2 = grad((v: Tensor) => (grad(f)(v) as Tensor).sum())(x) as Tensor;
      expect(await flat(d2)).toEqual([12, -6]);
      const d3 = grad((v: Tensor) => (grad((w: Tensor) => (grad(f)(w) as Tensor).sum())(v) as Tensor).sum())(x) as Tensor;
      expect(await flat(d3)).toEqual([6, 6]);
      const [ga, gb] = grad((a: Tensor, b: Tensor) => a.mul(b).sum(), { argnums: [0, 1] })(x, tensor([5, 7])) as Tensor[];
      expect(await flat(ga!)).toEqual([5, 7]);
      expect(await flat(gb!)).toEqual([2, -1]);
      for (const t of [value, g, d2, d3, ga!, gb!, x]) t.dispose();
    });

    test(kit, 'autograd/grad-transform-leaks-nothing', async () => {
      const x = tensor([1, 2, 3]);
      const before = memory();
      for (let i = 0; i < 5; i++) (grad((v: Tensor) => v.exp().mul(v).sum())(x) as Tensor).dispose();
      expect(memory().numTensors).toBe(before.numTensors);
      expect(memory().numBytes).toBe(before.numBytes);
      x.dispose();
    });

    test(kit, 'autograd/straight-through-value-is-exact', async () => {
      const xf = tensor([1, 2, 3]);
      const xb = tensor([Number.POSITIVE_INFINITY, Number.NaN, 1e30], { requiresGrad: true });
      const y = tidy(() => {
        const y = straightThrough(xf, xb);
        y.mul(tensor([1, 2, 3]))
          .sum()
          .backward();
        return y.detach();
      });
      expect(await flat(y)).toEqual([1, 2, 3]);
      y.dispose();
      expect(await flat(xb.grad)).toEqual([1, 2, 3]);
      expect(() => straightThrough(xf, tensor([1, 2]))).toThrow(
        "straightThrough: xBackward's shape [2] does not broadcast to xForward's shape [3]",
      );
      xf.dispose();
      xb.dispose();
    });

    test(kit, 'autograd/disposed-tensor-is-a-clear-error', async () => {
      const x = tensor([1, 2]);
      x.dispose();
      expect(() => x.add(1)).toThrow(/add: tensor #\d+ \(shape \[2\]\) was disposed/);
      expect(() => x.dataSync()).toThrow('was disposed');
      x.dispose();
    });

    test(kit, 'autograd/tidy-keeps-grads-of-outer-tensors', async () => {
      const w = tensor([1, 2], { requiresGrad: true });
      const before = memory();
      const loss = tidy(() => {
        const l = w.mul(w).sum();
        l.backward();
        return l.detach();
      });
      expect(await flat(w.grad)).toEqual([2, 4]);
      expect(await flat(loss)).toEqual([5]);
      loss.dispose();
      w.grad = null;
      expect(memory().numTensors).toBe(before.numTensors);
      expect(memory().numBytes).toBe(before.numBytes);
      expect(() => tidy((() => Promise.resolve(1)) as never)).toThrow('tidy: the function is async (or returned a Promise)');
      w.dispose();
    });

    test(kit, 'autograd/using-declarations-dispose', async () => {
      const before = memory().numTensors;
      {
        using a = tensor([1, 2, 3]);
        expect(a.size).toBe(3);
      }
      expect(memory().numTensors).toBe(before);
    });
  });
}
