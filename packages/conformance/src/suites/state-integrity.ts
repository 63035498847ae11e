/**
 * No half-changed state and no unclear message: `.grad` assignment checked completely when it
 * happens; optimizers refuse duplicated and disposed parameters and step all or nothing; an async
 * `tidy` leaks nothing; and the messages a new user meets name the op they called, the value they
 * passed (NaN as NaN, a string as a string) and what was expected.
 */
import { arange, concat, gradcheck, memory, nn, onBackend, optim, type Tensor, tensor, tidy, zeros } from '@surrograd/core';
import { describe, expect } from 'vitest';
import { badInput, disposeAll, flat, onOther, otherBackend } from '../bad-input-case.js';
import type { KitContext } from '../options.js';

function gradAssignment(kit: KitContext): void {
  badInput(kit, 'grad-assignment/itself', async () => {
    const x = tensor([1, 2], { requiresGrad: true });
    expect(() => {
      x.grad = x;
    }).toThrow(/^grad: tensor #\d+ \(shape \[2\]\) can't be assigned itself/);
    const view = x.reshape([2]);
    expect(() => {
      x.grad = view;
    }).toThrow("can't be assigned itself (or a tensor sharing its buffer)");
    expect(x.grad).toBe(null);
    // x is untouched and still trains.
    tidy(() => x.mul(x).sum().backward());
    expect(await flat(x)).toEqual([1, 2]);
    expect(await flat(x.grad as unknown as Tensor)).toEqual([2, 4]);
    disposeAll(view, x);
  });
  badInput(kit, 'grad-assignment/shape-and-dtype', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    const wrongShape = tensor([1, 2, 3]);
    const wrongDtype = tensor([1, 2], { dtype: 'int32' });
    expect(() => {
      x.grad = wrongShape;
    }).toThrow('grad: assigned gradient has shape [3] and dtype float32, expected [2] float32');
    expect(() => {
      x.grad = wrongDtype;
    }).toThrow('grad: assigned gradient has shape [2] and dtype int32, expected [2] float32');
    disposeAll(x, wrongShape, wrongDtype);
  });
  const other = otherBackend(kit);
  if (other === undefined) return;
  badInput(kit, 'grad-assignment/other-backend', async () => {
    const foreign = await onOther(kit, other, () => tensor([1, 1]));
    const x = tensor([1, 2], { requiresGrad: true });
    expect(() => {
      x.grad = foreign;
    }).toThrow(`grad: assigned gradient [2] is on backend '${foreign.backend.name}', but the tensor is on '${x.backend.name}'`);
    expect(x.grad).toBe(null);
    disposeAll(x, foreign);
  });
}

function optimizers(kit: KitContext): void {
  badInput(kit, 'optimizer/step-is-all-or-nothing', async () => {
    const a = tensor([1, 2], { requiresGrad: true });
    const b = tensor([3, 4], { requiresGrad: true });
    const opt = new optim.Adam([a, b], { lr: 0.1 });
    // A first good step gives Adam state to keep.
    a.grad = tensor([1, 1]);
    b.grad = tensor([1, 1]);
    opt.step();
    const [a1, b1] = [await flat(a), await flat(b)];
    // A gradient disposed behind the optimizer's back: the step must fail before touching a.
    (b.grad as Tensor).dispose();
    const state = memory();
    expect(() => opt.step()).toThrow(/^Adam\.step: the gradient of parameter 1: tensor #\d+ \(shape \[2\]\) was disposed/);
    expect(opt.stepCount).toBe(1);
    expect(await flat(a)).toEqual(a1);
    expect(await flat(b)).toEqual(b1);
    expect(memory().numTensors).toBe(state.numTensors);
    b.grad = null;
    opt.dispose();
    disposeAll(a, b);
  });
  for (const [name, make] of [
    ['SGD', (ps: Tensor[]) => new optim.SGD(ps, { lr: 0.1 })],
    ['Adam', (ps: Tensor[]) => new optim.Adam(ps)],
    ['AdamW', (ps: Tensor[]) => new optim.AdamW(ps)],
  ] as const) {
    badInput(kit, `optimizer/${name}-same-parameter-twice`, () => {
      const w = tensor([1, 2], { requiresGrad: true });
      expect(() => make([w, w])).toThrow(
        new RegExp(`^${name}: parameter 1 \\(tensor #\\d+, shape \\[2\\]\\) appears twice, also as parameter 0`),
      );
      disposeAll(w);
    });
    badInput(kit, `optimizer/${name}-disposed-parameter`, () => {
      const w = tensor([1, 2], { requiresGrad: true });
      const v = tensor([1], { requiresGrad: true });
      v.dispose();
      expect(() => make([w, v])).toThrow(new RegExp(`^${name}: parameter 1 \\(tensor #\\d+, shape \\[1\\]\\) was disposed`));
      const opt = make([w]);
      w.grad = tensor([1, 1]);
      w.dispose();
      expect(() => opt.step()).toThrow(new RegExp(`^${name}\\.step: parameter 0 \\(tensor #\\d+, shape \\[2\\]\\) was disposed`));
      expect(opt.stepCount).toBe(0);
    });
  }
}

function leaks(kit: KitContext): void {
  badInput(kit, 'tidy/async-function-leaks-nothing', async () => {
    let ran = false;
    expect(() =>
      tidy((async () => {
        ran = true;
        tensor([1]);
        await null;
        tensor([2, 3]);
      }) as never),
    ).toThrow('tidy: the function is async (or returned a Promise); tidy is synchronous');
    // Refused before it ran: nothing was made, before or after an await.
    await new Promise((r) => setTimeout(r, 0));
    expect(ran).toBe(false);
  });
}

function messages(kit: KitContext): void {
  badInput(kit, 'messages/nan-in-shapes', () => {
    expect(() => zeros([Number.NaN])).toThrow('zeros: a shape must be an array of non-negative integers, got [NaN]');
    const x = tensor([1, 2, 3, 4, 5, 6]);
    expect(() => x.reshape([Number.NaN, 6])).toThrow('reshape: a shape must be an array of non-negative integers, got [NaN, 6]');
    x.dispose();
  });
  badInput(kit, 'messages/axis-given-as-a-string', () => {
    const x = tensor([[1, 2]]);
    expect(() => x.max('1' as unknown as number)).toThrow('max: an axis must be an integer (or an array of them), got "1"');
    expect(() => x.sum(['0'] as unknown as number[])).toThrow('sum: an axis must be an integer, got "0"');
    x.dispose();
  });
  badInput(kit, 'messages/too-many-elements', () => {
    expect(() => zeros([2 ** 31, 2 ** 31])).toThrow(
      'zeros: shape [2147483648, 2147483648] has 4611686018427388000 elements; a tensor can have at most 2147483647 (2^31 - 1)',
    );
    expect(() => arange(Number.POSITIVE_INFINITY)).toThrow('arange: stop must be a finite number, got Infinity');
    expect(() => arange(0, Number.NaN)).toThrow('arange: stop must be a finite number, got NaN');
    expect(() => arange(0, 2 ** 32, 1, { dtype: 'float32' })).toThrow('arange: shape [4294967296] has 4294967296 elements');
  });
  badInput(kit, 'messages/deeply-nested-array', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(() => tensor(deep as number[])).toThrow('tensor: the nested array is more than 64 levels deep');
  });
  badInput(kit, 'messages/booleans-mixed-with-numbers', async () => {
    const t = tensor([true, 2] as unknown as number[]);
    expect(t.dtype).toBe('float32');
    expect(await flat(t)).toEqual([1, 2]);
    t.dispose();
  });
  badInput(kit, 'messages/mse-loss-with-a-disposed-operand', () => {
    const p = tensor([1, 2]);
    const q = tensor([1, 2]);
    q.dispose();
    expect(() => nn.mseLoss(p, q)).toThrow(/^mseLoss \(target\): tensor #\d+ \(shape \[2\]\) was disposed/);
    p.dispose();
  });
  badInput(kit, 'messages/cross-entropy-typed-array-labels', async () => {
    const logits = tensor([
      [1, 2],
      [3, 4],
    ]);
    const fromTyped = nn.crossEntropy(logits, new Int32Array([0, 1]));
    const fromArray = nn.crossEntropy(logits, [0, 1]);
    expect(await flat(fromTyped)).toEqual(await flat(fromArray));
    expect(() => nn.crossEntropy(logits, new Float32Array([0, 1]) as unknown as Int32Array)).toThrow(
      'crossEntropy: typed-array labels must be an Int32Array, got a Float32Array',
    );
    disposeAll(logits, fromTyped, fromArray);
  });
  badInput(kit, 'messages/gradcheck-in-float32-says-why', () => {
    const x = tensor([0.5, 1, 2], { requiresGrad: true });
    if (x.backend.readSync) {
      expect(() => gradcheck((t) => t.exp().mul(t), [x])).toThrow(/The inputs are float32: .*Use float64 inputs/);
    } else {
      expect(() => gradcheck((t) => t.exp(), [x])).toThrow(`gradcheck: backend '${x.backend.name}' can't read synchronously`);
    }
    disposeAll(x);
  });
  badInput(kit, 'messages/tensors-print-as-pytorch', () => {
    const t = tensor(
      [
        [1, 0],
        [0, 3],
      ],
      { requiresGrad: true },
    );
    const i = tensor([1, 2], { dtype: 'int32' });
    const y = t.mul(2);
    const inspect = (v: Tensor) => (v as unknown as Record<symbol, () => string>)[Symbol.for('nodejs.util.inspect.custom')]!();
    if (t.backend.readSync) {
      expect(String(t)).toBe('tensor([[1, 0], [0, 3]], requiresGrad=true)');
      expect(inspect(t)).toBe(String(t));
      expect(String(i)).toBe('tensor([1, 2], dtype=int32)');
      expect(String(y)).toBe('tensor([[2, 0], [0, 6]], gradFn=Mul)');
      const big = tensor(
        new Float32Array(2000).map((_, k) => k / 8),
        { shape: [2, 1000] },
      );
      expect(String(big)).toBe(
        'tensor([[0, 0.125, 0.25, ..., 124.625, 124.75, 124.875], [125, 125.125, 125.25, ..., 249.625, 249.75, 249.875]])',
      );
      big.dispose();
    } else {
      expect(String(t)).toBe(`tensor(<on ${t.backend.name}: await data()>, shape=[2, 2], requiresGrad=true)`);
    }
    disposeAll(t, i, y);
  });
  badInput(kit, 'messages/on-backend-with-a-name', () => {
    expect(() => onBackend('cpu' as never, () => 1)).toThrow(
      'onBackend: expected a Backend instance such as tensor.backend, got "cpu" (for a name, pass await initBackend("cpu"))',
    );
  });
  const other = otherBackend(kit);
  if (other === undefined) return;
  badInput(kit, 'messages/other-backend-names-the-users-op', async () => {
    const foreign = await onOther(kit, other, () => tensor([0, 1], { dtype: 'int32' }));
    const foreignF = await onOther(kit, other, () => tensor([1, 2]));
    const logits = tensor([
      [1, 2],
      [3, 4],
    ]);
    const a = tensor([1, 2]);
    expect(() => nn.crossEntropy(logits, foreign)).toThrow(`crossEntropy: operand 1 [2] is on backend '${foreign.backend.name}'`);
    expect(() => nn.mseLoss(a, foreignF)).toThrow(`mseLoss: operand 1 [2] is on backend '${foreignF.backend.name}'`);
    expect(() => concat([a, foreignF])).toThrow(`concat: operand 1 [2] is on backend '${foreignF.backend.name}'`);
    disposeAll(foreign, foreignF, logits, a);
  });
}

export function stateIntegritySuite(kit: KitContext): void {
  describe('state integrity', () => {
    gradAssignment(kit);
    optimizers(kit);
    leaks(kit);
    messages(kit);
  });
}
