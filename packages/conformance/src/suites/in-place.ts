/**
 * In-place ops (`add_ sub_ mul_ div_ pow_ neg_ clamp_ relu_ zero_ fill_ copy_ maskedFill_`) with
 * PyTorch's semantics: each bumps the version; a leaf that requires grad can't be modified while
 * gradients are recorded; on a non-leaf the op is recorded and gradients flow through it (history
 * rebase), against PyTorch goldens (in-place.json); a value some node saved, modified in place, is
 * caught at backward; and `ctx.markDirty` for Functions that modify an input, with PyTorch's rules.
 */
import { defineFunction, maskedFill, memory, noGrad, type Tensor, tensor, tidy, where } from '@surrograd/core';
import { describe, expect } from 'vitest';
import { badInput, disposeAll, flat } from '../bad-input-case.js';
import { withBag } from '../bag.js';
import { expectTensorClose } from '../compare.js';
import { test } from '../declare.js';
import { expectedOf, goldenTensor } from '../decode.js';
import { type InPlaceCase, loadInPlaceCases } from '../goldens.js';
import { expectGrad } from '../grads.js';
import type { KitContext } from '../options.js';
import { expectSameMemory, snapshot } from '../snapshot.js';

/** PyTorch's AddOneInPlace of the golden script: adds 1 to its input in place and returns it. */
const AddOneInPlace = defineFunction({
  name: 'AddOneInPlace',
  forward(ctx, t: Tensor) {
    t.add_(1);
    ctx.markDirty(t);
    return t;
  },
  backward: (_ctx, dy: Tensor) => dy,
});

type Step = InPlaceCase['steps'][number];

function applyStep(y: Tensor, step: Step, x: Tensor): Tensor {
  const [op, ...raw] = step as [string, ...(string | number | number[])[]];
  const args = raw.map((a) => (a === 'x' ? x : a === 'x<0' ? x.lt(0) : a));
  switch (op) {
    case 'AddOneInPlace':
      return AddOneInPlace(y);
    case 'clamp_': {
      const [lo, hi] = args[0] as number[];
      return y.clamp_(lo, hi);
    }
    case 'masked_fill_':
      return y.maskedFill_(args[0] as Tensor, args[1] as number);
    default:
      return (y as unknown as Record<string, (...a: unknown[]) => Tensor>)[op]!.call(y, ...args);
  }
}

function goldens(kit: KitContext): void {
  for (const c of loadInPlaceCases()) {
    test(kit, `in-place/${c.name}`, async () => {
      const before = snapshot();
      await withBag(async (bag) => {
        const x = bag.add(goldenTensor(c.x, true));
        const y = tidy(() => {
          let t = x.mul(2);
          for (const step of c.steps) t = applyStep(t, step, x);
          return t;
        });
        bag.add(y);
        await expectTensorClose('out', y, expectedOf(c.out), kit.tolerance);
        y.backward(bag.add(goldenTensor(c.cotangent)));
        await expectGrad('grad of x', x, c.grad, kit.tolerance);
      });
      expectSameMemory(`in-place/${c.name}`, before, snapshot());
    });
  }
}

function semantics(kit: KitContext): void {
  test(kit, 'in-place/returns-itself-bumps-the-version-and-keeps-views-apart', async () => {
    const x = tensor([1, 2, 3]);
    const view = x.reshape([3]);
    expect(x.add_(1)).toBe(x);
    expect(x.version).toBe(1);
    x.mul_(tensor([2, 2, 2]))
      .sub_(1)
      .div_(2)
      .pow_(2)
      .neg_()
      .clamp_(-4, null);
    expect(x.version).toBe(7);
    expect(await flat(x)).toEqual([-2.25, -4, -4]);
    // Views made before keep their values (buffers are immutable; see docs/errors.md).
    expect(await flat(view)).toEqual([1, 2, 3]);
    x.zero_();
    expect(await flat(x)).toEqual([0, 0, 0]);
    x.fill_(7).copy_(tensor([1, 2, 3]));
    expect(await flat(x)).toEqual([1, 2, 3]);
    x.maskedFill_(x.gt(1), -1).relu_();
    expect(await flat(x)).toEqual([1, 0, 0]);
    disposeAll(x, view);
  });
  badInput(kit, 'in-place/leaf-that-requires-grad', async () => {
    const w = tensor([1, 2], { requiresGrad: true });
    expect(() => w.add_(1)).toThrow(
      /^add_: tensor #\d+ \(shape \[2\]\) is a leaf that requires grad and can't be modified in place while gradients are recorded/,
    );
    expect(w.version).toBe(0);
    noGrad(() => w.mul_(3));
    expect(await flat(w)).toEqual([3, 6]);
    expect(w.version).toBe(1);
    disposeAll(w);
  });
  badInput(kit, 'in-place/modified-saved-value-is-caught', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const w = tensor([3, 4], { requiresGrad: true });
    tidy(() => {
      const y = x.mul(2);
      const z = y.mul(w); // saves y
      y.add_(1);
      expect(() => z.sum().backward()).toThrow(
        /^Mul: one of the tensors needed for gradient computation has been modified by an in-place operation/,
      );
    });
    disposeAll(x, w);
  });
  badInput(kit, 'in-place/shape-and-dtype-are-kept', () => {
    const x = tensor([1, 2, 3]);
    const wide = tensor(new Float32Array(6), { shape: [2, 3] });
    const i = tensor([1, 2], { dtype: 'int32' });
    expect(() => x.add_(wide)).toThrow(
      'add_: the result has shape [2, 3] and dtype float32, but the tensor modified in place has [3] float32; an in-place op can broadcast its other operands, not the tensor itself',
    );
    expect(() => i.mul_(1.5)).toThrow('mul_: the result has shape [2] and dtype float32, but the tensor modified in place has [2] int32');
    expect([x.version, i.version]).toEqual([0, 0]);
    disposeAll(x, wide, i);
  });
  badInput(kit, 'in-place/errors-name-the-in-place-op', () => {
    // The out-of-place op underneath names itself; the user called the in-place one.
    const x = tensor([1, 2, 3]);
    const short = tensor([1, 2]);
    expect(() => x.add_(short)).toThrow(new Error('add_: shapes [3] and [2] cannot be broadcast together'));
    expect(() => x.sub_(x, 2 as never)).toThrow(new TypeError('sub_: the third argument must be options such as { alpha: 2 }, got 2'));
    expect(() => x.div_(short)).toThrow('div_: shapes [3] and [2] cannot be broadcast together');
    expect(x.version).toBe(0);
    disposeAll(x, short);
  });
  test(kit, 'in-place/masked-fill-out-of-place', async () => {
    const x = tensor([1, -2, 3]);
    const y = maskedFill(x, x.lt(0), 0);
    const z = where(x.gt(2), 10, 20);
    expect([await flat(y), await flat(x), await flat(z)]).toEqual([
      [1, 0, 3],
      [1, -2, 3],
      [20, 20, 10],
    ]);
    disposeAll(x, y, z);
  });
  test(kit, 'in-place/memory-flat-over-100-graphs', async () => {
    const x = tensor([0.5, -1, 2], { requiresGrad: true });
    const before = snapshot();
    for (let i = 0; i < 100; i++) {
      tidy(() => {
        const y = x.mul(2);
        y.add_(1).mul_(x).relu_();
        y.sum().backward();
      });
      x.grad = null;
    }
    expectSameMemory('in-place graphs', before, snapshot());
    disposeAll(x);
  });
}

/**
 * A buffer only the modified tensor holds may be written in place by the backend (donation):
 * nothing a user can observe changes, so these hold on every backend, donating or not.
 */
function donatedBuffers(kit: KitContext): void {
  test(kit, 'in-place/sole-holder-values-views-and-memory', async () => {
    const before = snapshot();
    const x = tensor([1, 2, 3]);
    tidy(() =>
      noGrad(() => {
        x.add_(1)
          .mul_(tensor([2, 2, 2]))
          .sub_(1)
          .div_(2)
          .pow_(2)
          .neg_()
          .clamp_(-4, -1)
          .maskedFill_(x.lt(-3), -10);
      }),
    );
    expect(x.version).toBe(8);
    expect(await flat(x)).toEqual([-2.25, -10, -10]);
    // Gradients are off for tensors that don't require them, without noGrad too.
    x.relu_().add_(1.5);
    expect(await flat(x)).toEqual([1.5, 1.5, 1.5]);
    // The tensor read twice (x·x), or through another tensor on its buffer, is never overwritten early.
    const view = x.reshape([3]);
    x.mul_(view);
    expect([await flat(x), await flat(view)]).toEqual([
      [2.25, 2.25, 2.25],
      [1.5, 1.5, 1.5],
    ]);
    tidy(() => x.mul_(x).add_(tensor([[1], [2]]).sum()));
    expect(await flat(x)).toEqual([8.0625, 8.0625, 8.0625]);
    const i = tensor([5, -6], { dtype: 'int32' });
    i.neg_().add_(1).clamp_(-5, null);
    expect(await flat(i)).toEqual([-4, 7]);
    const b = tensor([1, 0, 1], { dtype: 'bool' });
    tidy(() => b.maskedFill_(tensor([1, 1, 0], { dtype: 'bool' }), 0));
    expect(await flat(b)).toEqual([0, 0, 1]);
    disposeAll(x, view, i, b);
    expectSameMemory('in-place ops on sole holders', before, snapshot());
  });
  badInput(kit, 'in-place/sole-holder-saved-by-a-graph-is-caught', () => {
    const w = tensor([3, 4], { requiresGrad: true });
    const y = tensor([1, 2]);
    tidy(() => {
      const z = y.mul(w); // saves y for w's gradient
      noGrad(() => y.add_(1));
      expect(() => z.sum().backward()).toThrow(
        /^Mul: one of the tensors needed for gradient computation has been modified by an in-place operation/,
      );
    });
    disposeAll(w, y);
  });
  test(kit, 'in-place/sole-holder-inside-a-backward-hook', async () => {
    const x = tensor([1, -2, 3], { requiresGrad: true });
    await withBag(async (bag) => {
      // The thread's NSReLU backward: an in-place masked multiply on a clone of dy.
      const NSReLU = defineFunction({
        name: 'NSReLU',
        forward(ctx, t: Tensor) {
          ctx.neg = t.lt(0);
          return t.clamp(0, null);
        },
        backward(ctx, dy: Tensor) {
          const g = dy.clone();
          g.mul_(where(ctx.neg as Tensor, 0.1, 1));
          return g;
        },
      });
      const y = bag.add(NSReLU(x));
      y.registerHook((g) => g.clone().mul_(2).add_(1));
      y.sum().backward();
      await expectTensorClose('grad of x', x.grad as Tensor, { shape: [3], dtype: 'float32', values: [3, 0.3, 3] }, kit.tolerance);
    });
    disposeAll(x);
  });
}

/** With `inPlaceKernels`: the backend's kernels write an in-place result into the tensor's own buffer when they may. */
function inBufferKernels(kit: KitContext): void {
  if (!kit.inPlaceKernels) return;
  test(kit, 'in-place/kernels-write-into-the-sole-holders-buffer', async () => {
    const x = tensor([-2, -0.5, 0.25, 1, 3]);
    const buffer = x.dataId;
    const buffers = memory().numDataBuffers;
    noGrad(() => {
      x.add_(1).mul_(2).sub_(0.5).div_(2).pow_(2).neg_().clamp_(-2, 1).add_(1.5).relu_();
      tidy(() => x.maskedFill_(x.gt(1), 9));
    });
    expect(x.dataId === buffer).toBe(true);
    expect(memory().numDataBuffers).toBe(buffers);
    expect(await flat(x)).toEqual([0, 9, 0.5, 0, 0]);
    // Another holder (a view, a node that saved it) or a recorded op: a new buffer, the old one intact.
    const view = x.reshape([5]);
    x.add_(1);
    expect([x.dataId === buffer, view.dataId === buffer]).toEqual([false, true]);
    expect(await flat(view)).toEqual([0, 9, 0.5, 0, 0]);
    const w = tensor([1, 1, 1, 1, 1], { requiresGrad: true });
    const recorded = x.dataId;
    tidy(() => x.mul_(w));
    expect(x.dataId === recorded).toBe(false);
    disposeAll(x, view, w);
  });
}

function markDirty(kit: KitContext): void {
  test(kit, 'in-place/mark-dirty-returns-the-same-tensor-rewired', async () => {
    const x = tensor([1, 2], { requiresGrad: true });
    await withBag(async (bag) => {
      const y = bag.add(x.mul(3));
      const mul = y.gradFn;
      const out = AddOneInPlace(y);
      expect(out).toBe(y);
      expect(y.gradFn === mul).toBe(false);
      expect(y.version).toBe(2);
      expect(await flat(y)).toEqual([4, 7]);
      y.sum().backward();
      expect(await flat(x.grad as Tensor)).toEqual([3, 3]);
    });
    disposeAll(x);
  });
  badInput(kit, 'in-place/mark-dirty-rules', () => {
    const NotReturned = defineFunction({
      name: 'NotReturned',
      forward(ctx, t: Tensor) {
        t.add_(1);
        ctx.markDirty(t);
        return t.mul(2);
      },
      backward: (_ctx, dy: Tensor) => dy.mul(2),
    });
    const NotAnInput = defineFunction({
      name: 'NotAnInput',
      forward(ctx, t: Tensor) {
        const u = t.mul(2);
        ctx.markDirty(u);
        return u;
      },
      backward: (_ctx, dy: Tensor) => dy.mul(2),
    });
    const leaf = tensor([1, 2], { requiresGrad: true });
    const plain = tensor([1, 2]);
    tidy(() => {
      expect(() => NotReturned(plain)).toThrow('NotReturned: input 0 was marked dirty but forward did not return it');
      expect(() => NotAnInput(plain)).toThrow(/^NotAnInput: markDirty was given tensor #\d+ \(shape \[2\]\), which is not an input/);
      expect(() => AddOneInPlace(leaf)).toThrow(
        'AddOneInPlace: input 0 is a leaf that requires grad and was modified in place (markDirty) while gradients are recorded',
      );
    });
    disposeAll(leaf, plain);
  });
}

export function inPlaceSuite(kit: KitContext): void {
  describe('in-place ops', () => {
    goldens(kit);
    semantics(kit);
    donatedBuffers(kit);
    inBufferKernels(kit);
    markDirty(kit);
  });
}
