/**
 * Hooks, against PyTorch (hooks.json): tensor hooks on a non-leaf (in registration order, with
 * retainGrad seeing their result) and on a leaf, post-accumulate hooks, handles that remove, a
 * hook returning the wrong shape; nn.Module forward pre-hooks, forward hooks and full backward
 * hooks on a Linear layer — what the demo's activation probes are built on.
 */
import { gradients, keep, nn, noGrad, type Tensor, tensor, tidy } from '@surrograd/core';
import { describe, expect } from 'vitest';
import { badInput, disposeAll, flat } from '../bad-input-case.js';
import { withBag } from '../bag.js';
import { expectTensorClose } from '../compare.js';
import { test } from '../declare.js';
import { expectedOf, goldenTensor } from '../decode.js';
import { loadHooks } from '../goldens.js';
import { expectGrad } from '../grads.js';
import type { KitContext } from '../options.js';
import { expectSameMemory, snapshot } from '../snapshot.js';

/** A tensor's gradient, read through a function so TypeScript doesn't narrow it after `t.grad = null`. */
const gradOf = (t: Tensor): Tensor => t.grad as Tensor;

function tensorHooks(kit: KitContext): void {
  test(kit, 'hooks/tensor-hooks-as-pytorch', async () => {
    const g = loadHooks().tensor;
    const before = snapshot();
    await withBag(async (bag) => {
      const x = bag.add(goldenTensor(g.x, true));
      const w = bag.add(goldenTensor(g.w));
      x.registerHook((grad) => grad.sub(0.5));
      tidy(() => {
        const y = x.mul(2);
        y.registerHook((grad) => grad.mul(3));
        y.registerHook((grad) => grad.add(1));
        y.retainGrad();
        y.mul(y).mul(w).sum().backward();
        return undefined;
      });
      await expectGrad('x.grad', x, g.xGrad, kit.tolerance);
    });
    expectSameMemory('tensor hooks', before, snapshot());
  });
  test(kit, 'hooks/retain-grad-sees-the-hooks-and-remove-works', async () => {
    const g = loadHooks().tensor;
    await withBag(async (bag) => {
      const x = bag.add(goldenTensor(g.x, true));
      const w = bag.add(goldenTensor(g.w));
      const y = bag.add(x.mul(2));
      y.registerHook((grad) => grad.mul(3));
      const second = y.registerHook((grad) => grad.add(1));
      y.retainGrad();
      tidy(() => y.mul(y).mul(w).sum().backward({ retainGraph: true }));
      await expectTensorClose('y.grad', y.grad as Tensor, expectedOf(g.yGrad), kit.tolerance);
      second.remove();
      second.remove();
      y.grad = null;
      x.grad = null;
      tidy(() => y.mul(y).mul(w).sum().backward());
      // Without the second hook: the first one's result only.
      const once = (g.yGrad.data as number[]).map((v) => v - 1);
      await expectTensorClose(
        'y.grad after remove()',
        gradOf(y),
        { shape: [4], dtype: 'float32', values: Float32Array.from(once) },
        kit.tolerance,
      );
    });
  });
  test(kit, 'hooks/post-accumulate-grad-hook-sees-the-new-grad', async () => {
    const w = tensor([1, 2], { requiresGrad: true });
    const seen: Tensor[] = [];
    const handle = w.registerPostAccumulateGradHook((leaf) => {
      seen.push(keep((leaf.grad as Tensor).mul(1)));
    });
    tidy(() => w.mul(3).sum().backward());
    tidy(() => w.mul(3).sum().backward());
    handle.remove();
    tidy(() => w.mul(3).sum().backward());
    expect(seen.length).toBe(2);
    // Each call saw .grad after that backward's accumulation.
    expect([await flat(seen[0] as Tensor), await flat(seen[1] as Tensor)]).toEqual([
      [3, 3],
      [6, 6],
    ]);
    expect(await flat(w.grad as Tensor)).toEqual([9, 9]);
    disposeAll(w, ...seen);
  });
  badInput(kit, 'hooks/wrong-shape-and-no-grad', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const plain = tensor([1, 2]);
    expect(() => plain.registerHook((g) => g)).toThrow(/^registerHook: tensor #\d+ \(shape \[2\]\) does not require grad/);
    expect(() =>
      tidy(() => {
        x.mul(2).registerPostAccumulateGradHook(() => {});
      }),
    ).toThrow(/is not a leaf that requires grad/);
    tidy(() => {
      const y = x.mul(2);
      y.registerHook((g) => g.sum());
      expect(() => y.sum().backward()).toThrow(
        'registerHook: the hook on output 0 of Mul returned a gradient of shape [] float32, expected [2] float32',
      );
    });
    expect(x.grad).toBeNull();
    disposeAll(x, plain);
  });
}

function moduleHooks(kit: KitContext): void {
  test(kit, 'hooks/module-forward-and-backward-hooks-as-pytorch', async () => {
    const g = loadHooks().module;
    const before = snapshot();
    await withBag(async (bag) => {
      const lin = new nn.Linear(3, 2);
      noGrad(() => {
        const w = goldenTensor(g.weight);
        const b = goldenTensor(g.bias);
        lin.weight.assign(w);
        (lin.bias as Tensor).assign(b);
        w.dispose();
        b.dispose();
      });
      const seen: { gradInput: Tensor | null; gradOutput: Tensor }[] = [];
      lin.registerForwardPreHook((_m, [input]) => input.mul(2));
      const post = lin.registerForwardHook((_m, _inputs, output) => output.add(1));
      lin.registerFullBackwardHook((_m, [gradInput], [gradOutput]) => {
        // Tensors a hook makes belong to backward's scope: keep() what outlives it.
        seen.push({ gradInput: gradInput ? bag.add(keep(gradInput.mul(1))) : null, gradOutput: bag.add(keep(gradOutput.mul(1))) });
        return [gradInput ? gradInput.mul(0.5) : null];
      });
      const x = bag.add(goldenTensor(g.x, true));
      const out = bag.add(tidy(() => lin.forward(x)));
      await expectTensorClose('out', out, expectedOf(g.out), kit.tolerance);
      out.backward(bag.add(goldenTensor(g.cotangent)));
      await expectGrad('x.grad', x, g.xGrad, kit.tolerance);
      await expectGrad('weight.grad', lin.weight, g.weightGrad, kit.tolerance);
      await expectGrad('bias.grad', lin.bias as Tensor, g.biasGrad, kit.tolerance);
      expect(seen.length).toBe(1);
      await expectTensorClose('hook gradInput', seen[0]?.gradInput as Tensor, expectedOf(g.hookGradInput), kit.tolerance);
      await expectTensorClose('hook gradOutput', seen[0]?.gradOutput as Tensor, expectedOf(g.hookGradOutput), kit.tolerance);
      post.remove();
      const plainOut = bag.add(tidy(() => lin.forward(x)));
      expect(plainOut.shape).toEqual([4, 2]);
      lin.zeroGrad();
      lin.dispose();
    });
    expectSameMemory('module hooks', before, snapshot());
  });
  test(kit, 'hooks/a-backward-pass-that-stops-inside-a-hooked-module-leaks-nothing', async () => {
    const model = new nn.Sequential(new nn.Linear(3, 4, { seed: 1 }), new nn.ReLU());
    let calls = 0;
    model.registerFullBackwardHook(() => {
      calls++;
    });
    let inner: Tensor | null = null;
    const h = (model.layers[0] as nn.Module).registerForwardHook((_m, _i, out) => {
      inner = keep(out);
    });
    const x = tensor([1, -2, 3], { requiresGrad: true });
    const before = snapshot();
    for (let i = 0; i < 20; i++) {
      tidy(() => {
        const y = model.forward(x).sum();
        // The gradient of the Linear's output: the pass ends before the Sequential's input.
        const [g] = gradients(y, [inner as Tensor]);
        expect(g?.shape).toEqual([4]);
      });
      (inner as Tensor | null)?.dispose();
    }
    expect(calls).toBe(0);
    expectSameMemory('passes that stop inside a hooked module', before, snapshot());
    h.remove();
    x.dispose();
    model.dispose();
  });
  test(kit, 'hooks/forward-hooks-record-activations', async () => {
    const model = new nn.Sequential(new nn.Linear(3, 4, { seed: 1 }), new nn.ReLU(), new nn.Linear(4, 2, { seed: 3 }));
    const zeros: Tensor[] = [];
    const relu = model.layers[1] as nn.Module;
    const h = relu.registerForwardHook((_m, _i, out) => {
      zeros.push(keep(out.eq(0).cast('float32').sum()));
    });
    const x = tensor(
      new Float32Array(9).map((_, i) => i - 6),
      { shape: [3, 3] },
    );
    const y = tidy(() => model.forward(x));
    expect(y.shape).toEqual([3, 2]);
    expect(zeros.length).toBe(1);
    const count = (await flat(zeros[0] as Tensor))[0] as number;
    expect(count >= 0 && count <= 12).toBe(true);
    h.remove();
    tidy(() => model.forward(x));
    expect(zeros.length).toBe(1);
    disposeAll(x, y, ...zeros);
    model.dispose();
  });
}

export function hooksSuite(kit: KitContext): void {
  describe('hooks', () => {
    tensorHooks(kit);
    moduleHooks(kit);
  });
}
