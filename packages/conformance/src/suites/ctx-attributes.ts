/**
 * Tensors kept as ctx attributes, the way the thread writes NSReLU (`ctx.neg = x.lt(0)`): directly
 * or inside arrays and plain objects on ctx, in both Function styles. They survive from forward to
 * backward, are freed with the graph (after a backward that doesn't retain it, or when its outputs
 * are disposed, or at once when nothing needs a gradient), never free a tensor the caller holds,
 * and get the saved tensors' in-place version check.
 */
import {
  AutogradFunction,
  defineFunction,
  type FunctionCtx,
  grad,
  memory,
  noGrad,
  type Tensor,
  tensor,
  tidy,
  valueAndGrad,
  where,
} from '@surrograd/core';
import { describe, expect } from 'vitest';
import { disposeAll, flat } from '../bad-input-case.js';
import { test } from '../declare.js';
import type { KitContext } from '../options.js';
import { expectSameMemory, snapshot } from '../snapshot.js';

/** The thread's NSReLU: relu forward, slope 0.1 below 0 backward, with its mask on ctx. */
const NSReLU = defineFunction({
  name: 'NSReLU',
  forward(ctx: FunctionCtx<{ neg: Tensor }>, x: Tensor) {
    ctx.neg = x.lt(0);
    return x.clamp(0);
  },
  backward(ctx: FunctionCtx<{ neg: Tensor }>, dy: Tensor) {
    return dy.mul(where(ctx.neg, 0.1, 1));
  },
});

class NSReLUClass extends AutogradFunction {
  static override forward(ctx: FunctionCtx<{ neg: Tensor }>, x: Tensor): Tensor {
    ctx.neg = x.lt(0);
    return x.clamp(0);
  }
  static override backward(ctx: FunctionCtx<{ neg: Tensor }>, dy: Tensor): Tensor {
    return dy.mul(where(ctx.neg, 0.1, 1));
  }
}

const X = [-2, -0.5, 0, 0.5, 3];
const GRAD = [0.1, 0.1, 1, 1, 1].map(Math.fround);

export function ctxAttributesSuite(kit: KitContext): void {
  describe('ctx attributes', () => {
    for (const [style, apply] of [
      ['defineFunction', (x: Tensor) => NSReLU(x)],
      ['class', (x: Tensor) => NSReLUClass.apply(x) as Tensor],
    ] as const) {
      test(kit, `ctx-attributes/nsrelu-${style}-gradient-and-memory-over-1000-calls`, async () => {
        const x = tensor(X, { requiresGrad: true });
        tidy(() => apply(x).sum().backward());
        expect((await flat(x.grad as Tensor)).map(Math.fround)).toEqual(GRAD);
        x.grad = null;
        const before = snapshot();
        for (let i = 0; i < 1000; i++) {
          tidy(() => apply(x).sum().backward());
          x.grad = null;
        }
        expectSameMemory(`NSReLU (${style}) with backward`, before, snapshot());
        // Graphs dropped without backward free their ctx tensors too.
        for (let i = 0; i < 100; i++) apply(x).dispose();
        expectSameMemory(`NSReLU (${style}) without backward`, before, snapshot());
        disposeAll(x);
      });
    }

    test(kit, 'ctx-attributes/freed-at-once-when-no-gradient-is-needed', async () => {
      const x = tensor(X);
      const before = snapshot();
      const y = apply(x);
      // Only the output is left: the mask went when forward returned.
      expect(memory().numTensors).toBe(before.numTensors + 1);
      const y2 = noGrad(() => apply(tensor(X, { requiresGrad: true })));
      expect(await flat(y)).toEqual(await flat(y2));
      disposeAll(y, y2, x);
      function apply(t: Tensor): Tensor {
        return NSReLU(t);
      }
    });

    test(kit, 'ctx-attributes/in-arrays-objects-inputs-and-outputs', async () => {
      const caller: Tensor[] = [];
      const Mixed = defineFunction({
        name: 'Mixed',
        forward(ctx, x: Tensor, w: Tensor) {
          const y = x.mul(w);
          caller.push(w);
          ctx.parts = [x.gt(0), { scale: w, note: 'w' }];
          ctx.inputs = caller; // the caller's array: must not be changed
          ctx.out = y;
          ctx.shape = x.shape;
          return y;
        },
        backward(ctx, dy: Tensor) {
          const [mask, { scale }] = ctx.parts as [Tensor, { scale: Tensor }];
          expect(ctx.shape).toEqual([3]);
          expect((ctx.out as Tensor).shape).toEqual([3]);
          expect((ctx.inputs as Tensor[])[0]?.shape).toEqual([3]);
          return [where(mask, dy.mul(scale), 0), dy.mul(ctx.out as Tensor).div(scale)];
        },
      });
      const x = tensor([1, -2, 3], { requiresGrad: true });
      const w = tensor([2, 2, 2], { requiresGrad: true });
      const before = snapshot();
      tidy(() => Mixed(x, w).sum().backward());
      expect(await flat(x.grad as Tensor)).toEqual([2, 0, 2]);
      expect(await flat(w.grad as Tensor)).toEqual([1, -2, 3]);
      // Freeing the graph freed ctx's own aliases, not the caller's tensors.
      expect(caller[0]).toBe(w);
      expect(w.isDisposed).toBe(false);
      expect(await flat(w)).toEqual([2, 2, 2]);
      x.grad = null;
      w.grad = null;
      expectSameMemory('Mixed', before, snapshot());
      disposeAll(x, w);
    });

    test(kit, 'ctx-attributes/in-place-change-is-caught-before-backward', async () => {
      const Keep = defineFunction({
        name: 'KeepInput',
        forward(ctx, x: Tensor, w: Tensor) {
          ctx.w = w;
          return x.mul(w);
        },
        backward(ctx, dy: Tensor) {
          return [dy.mul(ctx.w as Tensor), null];
        },
      });
      const x = tensor([1, 2], { requiresGrad: true });
      const w = tensor([3, 4]);
      const before = snapshot();
      tidy(() => {
        const y = Keep(x, w).sum();
        const next = tensor([5, 6]);
        w.assign(next);
        next.dispose();
        expect(() => y.backward()).toThrow(
          'KeepInput: one of the tensors needed for gradient computation has been modified by an in-place operation: ctx.w (shape [2], float32) is at version 1; expected version 0',
        );
      });
      expectSameMemory('KeepInput', before, snapshot());
      disposeAll(x, w);
    });

    test(kit, 'tensor/requires-grad-and-detach-in-place', async () => {
      const before = snapshot();
      const x = tensor([1, 2]).requiresGrad_();
      expect(x.requiresGrad).toBe(true);
      const y = x.mul(3);
      expect(y.detach_()).toBe(y);
      expect([y.requiresGrad, y.isLeaf, y.gradFn]).toEqual([false, true, null]);
      expect(await flat(y)).toEqual([3, 6]);
      // A detached tensor is a leaf: it may require grad again, and gradients stop at it.
      y.requiresGrad_();
      tidy(() => y.mul(y).sum().backward());
      expect(await flat(y.grad as Tensor)).toEqual([6, 12]);
      expect(x.grad).toBeNull();
      expect(() => tidy(() => x.mul(2).requiresGrad_(false))).toThrow('requiresGrad: you can only change requiresGrad of leaf tensors');
      disposeAll(x, y);
      expectSameMemory('detach_', before, snapshot());
    });

    test(kit, 'ctx-attributes/second-backward-says-why', async () => {
      const x = tensor(X, { requiresGrad: true });
      tidy(() => {
        const y = NSReLU(x).sum();
        y.backward();
        expect(() => y.backward()).toThrow(
          'NSReLU: trying to backward through the graph a second time: the tensors on ctx (ctx.neg) were freed by the first backward()',
        );
        const z = NSReLU(x).sum();
        z.backward({ retainGraph: true });
        z.backward();
      });
      expect(x.grad === null).toBe(false);
      disposeAll(x);
    });
  });
}

/**
 * Compile-time checks (the kit's build fails if they regress): class-style `apply` is typed from
 * the subclass's static forward, and `grad` returns a Tensor for one argnum and a tuple for a list.
 * Never called: the values are checked by the tests above and in the function API suite.
 */
export function typedApiChecks(x: Tensor, a: Tensor, b: Tensor): Tensor[] {
  const y: Tensor = NSReLUClass.apply(x);
  // @ts-expect-error NSReLU's forward takes one tensor
  NSReLUClass.apply(x, 2);
  const g: Tensor = grad((v: Tensor) => v.sum())(x);
  const [ga, gb]: [Tensor, Tensor] = grad((p: Tensor, q: Tensor) => p.mul(q).sum(), { argnums: [0, 1] })(a, b);
  const [value, gq]: [Tensor, Tensor] = valueAndGrad((p: Tensor, q: Tensor) => p.mul(q).sum(), { argnums: 1 })(a, b);
  return [y, g, ga, gb, value, gq];
}
