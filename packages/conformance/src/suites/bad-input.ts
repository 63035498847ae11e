/**
 * Bad input: every misuse is a clear error naming the operation and the offending shapes or
 * values, non-finite numbers flow through without exceptions, and after each error the library
 * still computes and memory() is where it was (a failed op must not strand buffers).
 */
import {
  concat,
  defineFunction,
  derivativeKind,
  forwardKind,
  type KernelName,
  memory,
  nn,
  optim,
  runKernel,
  setBackend,
  stack,
  type Tensor,
  tensor,
  tidy,
  where,
  zeros,
} from '@surrograd/core';
import { describe, expect } from 'vitest';
import { badInput, disposeAll, flat, onOther, otherBackend } from '../bad-input-case.js';
import type { KitContext } from '../options.js';

const BINARY_OPS = ['add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum', 'eq', 'ne', 'gt', 'ge', 'lt', 'le'] as const;

type BinaryMethod = (typeof BINARY_OPS)[number];

function incompatibleShapes(kit: KitContext): void {
  for (const op of BINARY_OPS) {
    badInput(kit, `shapes/${op}`, () => {
      const a = tensor(new Float32Array(6), { shape: [2, 3], requiresGrad: true });
      const b = tensor(new Float32Array(4), { shape: [2, 2] });
      expect(() => (a[op as BinaryMethod] as (o: Tensor) => Tensor)(b)).toThrow(
        `${op}: shapes [2, 3] and [2, 2] cannot be broadcast together`,
      );
      disposeAll(a, b);
    });
  }
  const cases: [string, (a: Tensor, b: Tensor) => Tensor, string][] = [
    ['matmul', (a, b) => a.matmul(b), 'matmul: shapes [2, 3] and [2, 2] are not aligned'],
    ['where', (a, b) => where(a.gt(0), a, b), 'where: shapes [2, 3] and [2, 3] and [2, 2] cannot be broadcast together'],
    ['concat', (a, b) => concat([a, b], 0), "concat: tensor 1 has shape [2, 2] float32, incompatible with tensor 0's [2, 3] float32"],
    ['stack', (a, b) => stack([a, b]), 'stack: tensor 1 has shape [2, 2], expected [2, 3] like tensor 0'],
    ['mseLoss', (a, b) => nn.mseLoss(a, b), 'mseLoss: prediction shape [2, 3] and target shape [2, 2] differ'],
    ['reshape', (a) => a.reshape([4]), 'reshape: cannot reshape tensor of shape [2, 3] (6 elements) into [4]'],
    ['broadcastTo', (a) => a.broadcastTo([3, 3]), 'broadcastTo: cannot broadcast shape [2, 3] to [3, 3]'],
    ['sum-axis', (a) => a.sum(2), 'sum: axis 2 is out of range for a tensor of rank 2'],
    ['linear-features', (a, b) => nn.linear(a, b), 'linear: the input [2, 3] must end in 2 features, as the weight [2, 2] takes'],
    ['linear-weight', (a, b) => nn.linear(b, a.sum(0)), 'linear: the weight must have shape [out, in], got [3]'],
    ['linear-bias', (a, b) => nn.linear(b, b, a), 'linear: the bias must have shape [2] for the weight [2, 2], got [2, 3]'],
  ];
  for (const [name, run, message] of cases) {
    badInput(kit, `shapes/${name}`, () => {
      const a = tensor(new Float32Array(6), { shape: [2, 3], requiresGrad: true });
      const b = tensor(new Float32Array(4), { shape: [2, 2] });
      expect(() => tidy(() => run(a, b))).toThrow(message);
      disposeAll(a, b);
    });
  }
}

function wrongDtypes(kit: KitContext): void {
  badInput(kit, 'dtype/matmul-int32-float32', () => {
    const a = tensor([[1]], { dtype: 'int32' });
    const b = tensor([[1]]);
    expect(() => a.matmul(b)).toThrow('matmul: operands must share a float dtype, got int32 and float32');
    disposeAll(a, b);
  });
  badInput(kit, 'dtype/requires-grad-on-int32', () => {
    expect(() => tensor([1, 2], { dtype: 'int32', requiresGrad: true })).toThrow(
      'requiresGrad: only floating-point tensors can require gradients, got int32',
    );
  });
  badInput(kit, 'dtype/zeros-requires-grad-on-int32', () => {
    expect(() => zeros([2], { dtype: 'int32', requiresGrad: true })).toThrow(
      'requiresGrad: only floating-point tensors can require gradients, got int32',
    );
  });
  badInput(kit, 'dtype/where-float-condition', () => {
    const a = tensor([1, -1]);
    expect(() => where(a, a, a)).toThrow('where: condition must be a bool tensor, got float32');
    a.dispose();
  });
  badInput(kit, 'dtype/unknown-dtype', () => {
    expect(() => tensor([1], { dtype: 'float16' as 'float32' })).toThrow('tensor: unknown dtype "float16"');
  });
  badInput(kit, 'dtype/float-labels', () => {
    const logits = tensor([[1, 2]]);
    const labels = tensor([0]);
    expect(() => nn.crossEntropy(logits, labels)).toThrow('crossEntropy: labels must be int32, got float32');
    disposeAll(logits, labels);
  });
}

function malformedData(kit: KitContext): void {
  badInput(kit, 'data/ragged-row-lengths', () => {
    expect(() => tensor([[1, 2], [3]])).toThrow('tensor: ragged nested array: at [1] expected 2 elements, got 1');
  });
  badInput(kit, 'data/ragged-depth', () => {
    expect(() => tensor([[1, 2], 3] as unknown as number[][])).toThrow(
      'tensor: ragged nested array: at [1] expected 2 elements, got number',
    );
  });
  badInput(kit, 'data/length-vs-shape-nested', () => {
    expect(() => tensor([1, 2, 3], { shape: [2, 2] })).toThrow('tensor: data has 3 values but shape [2, 2] needs 4');
  });
  badInput(kit, 'data/length-vs-shape-typed', () => {
    expect(() => tensor(new Float32Array(5), { shape: [2, 2] })).toThrow('tensor: data has 5 values but shape [2, 2] needs 4');
  });
  badInput(kit, 'data/negative-dimension', () => {
    expect(() => tensor([], { shape: [-1] })).toThrow('a shape must be an array of non-negative integers, got [-1]');
  });
}

function labelsOutOfRange(kit: KitContext): void {
  for (const [name, label] of [
    ['too-large', 2],
    ['negative', -1],
  ] as const) {
    badInput(kit, `labels/${name}-array`, () => {
      const logits = tensor(
        [
          [1, 2],
          [3, 4],
        ],
        { requiresGrad: true },
      );
      expect(() => tidy(() => nn.crossEntropy(logits, [0, label]))).toThrow(
        `crossEntropy: label ${label} at index 1 is out of range for 2 classes`,
      );
      disposeAll(logits);
    });
    // Backends that read synchronously check tensor labels up front; the others can't without a
    // device round trip, so the loss is NaN instead: loud, never a silently smaller loss.
    badInput(kit, `labels/${name}-tensor`, async () => {
      const logits = tensor(
        [
          [1, 2],
          [3, 4],
        ],
        { requiresGrad: true },
      );
      const labels = tensor([0, label], { dtype: 'int32' });
      if (labels.backend.readSync) {
        expect(() => tidy(() => nn.crossEntropy(logits, labels))).toThrow(
          `crossEntropy: label ${label} at index 1 is out of range for 2 classes`,
        );
      } else {
        const loss = tidy(() => nn.crossEntropy(logits, labels));
        expect(Number.isNaN((await loss.data())[0])).toBe(true);
        loss.dispose();
      }
      disposeAll(logits, labels);
    });
  }
  badInput(kit, 'labels/gather-index', () => {
    const x = tensor([[1, 2, 3]]);
    expect(() => x.gather([0, 5], 1)).toThrow('gather: index 5 at position 1 is out of range for axis 1 of size 3 (shape [1, 3])');
    x.dispose();
  });
}

function nonFinite(kit: KitContext): void {
  badInput(kit, 'non-finite/elementwise-propagates', async () => {
    const x = tensor([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 1]);
    const [plus, times, e] = tidy(() => [x.add(1), x.mul(0), x.exp()]) as [Tensor, Tensor, Tensor];
    expect(await flat(plus)).toEqual([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1, 2]);
    const t = await flat(times);
    expect([Number.isNaN(t[0]), Number.isNaN(t[1]), Number.isNaN(t[2]), t[3] === 0, t[4] === 0]).toEqual([true, true, true, true, true]);
    const ev = await flat(e);
    expect([Number.isNaN(ev[0]), ev[1], ev[2], ev[3]]).toEqual([true, Number.POSITIVE_INFINITY, 0, 1]);
    disposeAll(x, plus, times, e);
  });
  badInput(kit, 'non-finite/reductions-and-matmul-propagate', async () => {
    const x = tensor([Number.NaN, 1, 2]);
    const inf = tensor([Number.POSITIVE_INFINITY, 1, 2]);
    const [s, m, mm, si] = tidy(() => [x.sum(), x.mean(), x.matmul(inf), inf.sum()]) as Tensor[] as [Tensor, Tensor, Tensor, Tensor];
    expect([Number.isNaN((await flat(s))[0]), Number.isNaN((await flat(m))[0]), Number.isNaN((await flat(mm))[0])]).toEqual([
      true,
      true,
      true,
    ]);
    expect(await flat(si)).toEqual([Number.POSITIVE_INFINITY]);
    disposeAll(x, inf, s, m, mm, si);
  });
  badInput(kit, 'non-finite/negative-zero', async () => {
    const z = tensor([-0, 0]);
    const n = tidy(() => z.neg());
    const read = await flat(z);
    const negated = await flat(n);
    // toEqual treats -0 and 0 alike, so the sign is read as 1/v.
    expect([1 / (read[0] as number), 1 / (negated[1] as number)]).toEqual([Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY]);
    disposeAll(z, n);
  });
  badInput(kit, 'non-finite/gradients-propagate', async () => {
    const x = tensor([Number.NaN, Number.POSITIVE_INFINITY, 1], { requiresGrad: true });
    tidy(() => x.mul(x).sum().backward());
    const g = await flat(x.grad as Tensor);
    expect([Number.isNaN(g[0]), g[1], g[2]]).toEqual([true, Number.POSITIVE_INFINITY, 2]);
    disposeAll(x);
  });
}

function disposedTensors(kit: KitContext): void {
  badInput(kit, 'disposed/used-in-an-op', () => {
    const x = tensor([1, 2]);
    x.dispose();
    expect(() => x.add(1)).toThrow(/^add: tensor #\d+ \(shape \[2\]\) was disposed and can no longer be used$/);
  });
  badInput(kit, 'disposed/read', async () => {
    const x = tensor([1, 2]);
    x.dispose();
    let message = '';
    await x.data().catch((e: Error) => {
      message = e.message;
    });
    expect(/^data: tensor #\d+ \(shape \[2\]\) was disposed/.test(message)).toBe(true);
  });
  badInput(kit, 'disposed/as-second-operand', () => {
    const a = tensor([1, 2], { requiresGrad: true });
    const b = tensor([3, 4]);
    b.dispose();
    expect(() => tidy(() => a.mul(b))).toThrow(/was disposed and can no longer be used/);
    a.dispose();
  });
}

function twoBackends(kit: KitContext): void {
  const other = otherBackend(kit);
  if (other === undefined) return;
  badInput(kit, 'two-backends-in-one-op', async () => {
    const foreign = await onOther(kit, other, () => tensor([1, 2]));
    const local = tensor([3, 4]);
    const mixed = (op: string) =>
      `${op}: operand 1 [2] is on backend '${foreign.backend.name}' but operand 0 [2] is on '${local.backend.name}'; move one first`;
    // Each error names the op the user called and both backends.
    expect(() => local.add(foreign)).toThrow(mixed('add'));
    expect(() => local.gt(foreign)).toThrow(mixed('gt'));
    expect(() => tidy(() => local.gt(0).logicalAnd(foreign.gt(0)))).toThrow(mixed('logicalAnd'));
    expect(() => tidy(() => where(local.gt(3), local, foreign))).toThrow(mixed('where'));
    expect(() => local.matmul(foreign)).toThrow('MatMul');
    local.dispose();
    foreign.dispose();
  });
  badInput(kit, 'ops-run-where-their-inputs-live', async () => {
    // A tensor on a backend that is not the current one: scalars, constants and everything
    // backward creates must go to its backend, not to the current one.
    const before = await onOther(kit, other, () => memory());
    const x = await onOther(kit, other, () => tensor([[-1, 2, 3]], { requiresGrad: true }));
    const Zeroes = defineFunction({
      name: 'ZeroGradient',
      forward: (_c, t: Tensor) => t.mul(1),
      backward: (_c, dy: Tensor) => zeros(dy.shape),
    });
    const loss = tidy(() =>
      x
        .mul(2)
        .add(1)
        .relu()
        .sum()
        .add(Zeroes(x).sum())
        .add(nn.crossEntropy(x, [2])),
    );
    expect(loss.backend.name).toBe(other);
    loss.backward();
    const grad = x.grad as Tensor;
    expect(grad.backend.name).toBe(other);
    const g = Array.from(await grad.data());
    // d/dx of sum(relu(2x + 1)) is [0, 2, 2]; crossEntropy adds softmax(x) - onehot(2).
    const e = [Math.exp(-1), Math.exp(2), Math.exp(3)];
    const z = e[0] + e[1] + e[2];
    const want = [e[0] / z, 2 + e[1] / z, 2 + e[2] / z - 1];
    for (let i = 0; i < 3; i++) expect(g[i]).toBeCloseTo(want[i] as number, 5);
    const flags = x.gt(0);
    expect(flags.backend.name).toBe(other);
    expect(Array.from(await flags.data())).toEqual([0, 1, 1]);
    disposeAll(loss, flags, x);
    const after = await onOther(kit, other, () => memory());
    expect(after.numTensors).toBe(before.numTensors);
    expect(after.numBytes).toBe(before.numBytes);
  });
}

function customFunctionGradients(kit: KitContext): void {
  badInput(kit, 'function/wrong-number-of-gradients', () => {
    const Two = defineFunction({ name: 'TwoInputs', forward: (_c, a: Tensor, b: Tensor) => a.add(b), backward: (_c, dy) => [dy] });
    const a = tensor([1], { requiresGrad: true });
    expect(() => tidy(() => Two(a, a).sum().backward())).toThrow('TwoInputs: backward returned 1 gradients, expected 2');
    disposeAll(a);
  });
  badInput(kit, 'function/wrong-gradient-shape', () => {
    const Bad = defineFunction({ name: 'BadShape', forward: (_c, x: Tensor) => x.mul(2), backward: (_c, dy) => dy.sum(0) });
    const x = tensor(
      [
        [1, 2],
        [3, 4],
      ],
      { requiresGrad: true },
    );
    expect(() => tidy(() => Bad(x).sum().backward())).toThrow(
      "BadShape: the gradient of argument 0 has shape [2], which is not the input's shape [2, 2]",
    );
    disposeAll(x);
  });
  badInput(kit, 'function/wrong-gradient-dtype', () => {
    const Bad = defineFunction({ name: 'BadDtype', forward: (_c, x: Tensor) => x.mul(2), backward: (_c, dy) => dy.cast('int32') });
    const x = tensor([1, 2], { requiresGrad: true });
    expect(() => tidy(() => Bad(x).sum().backward())).toThrow(
      'BadDtype: the gradient of argument 0 has dtype int32; gradients must be floating point (input is float32)',
    );
    disposeAll(x);
  });
}

function autogradMisuse(kit: KitContext): void {
  badInput(kit, 'autograd/saved-tensor-modified-by-optimizer-step', () => {
    const w = tensor([1, 2, 3], { requiresGrad: true });
    const opt = new optim.SGD([w], { lr: 0.1 });
    tidy(() => {
      const loss = w.mul(w).sum();
      w.grad = tensor([1, 1, 1]);
      opt.step();
      expect(() => loss.backward()).toThrow(
        /^Mul: one of the tensors needed for gradient computation has been modified by an in-place operation/,
      );
    });
    disposeAll(w);
  });
  badInput(kit, 'autograd/backward-twice-without-retain-graph', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    tidy(() => {
      const y = x.exp().sum();
      y.backward();
      expect(() => y.backward()).toThrow(/^Exp: trying to backward through the graph a second time/);
    });
    disposeAll(x);
  });
  badInput(kit, 'autograd/non-scalar-backward-without-gradient', () => {
    const x = tensor([1, 2], { requiresGrad: true });
    expect(() => tidy(() => x.mul(2).backward())).toThrow(
      'backward: a gradient can be created implicitly only for a one-element output; output 0 has shape [2]',
    );
    disposeAll(x);
  });
  badInput(kit, 'autograd/backward-of-a-constant', () => {
    const x = tensor([1, 2]);
    expect(() => tidy(() => x.sum().backward())).toThrow('backward: output 0 (shape []) does not require grad and has no gradFn');
    x.dispose();
  });
}

function unknownNames(kit: KitContext): void {
  badInput(kit, 'registry/unknown-backend', async () => {
    let message = '';
    await setBackend('no-such-backend').catch((e: Error) => {
      message = e.message;
    });
    expect(message.startsWith("setBackend: no backend named 'no-such-backend'. Registered: ")).toBe(true);
  });
  badInput(kit, 'registry/unknown-kernel', () => {
    const x = tensor([1]);
    expect(() => runKernel('NoSuchKernel' as KernelName, [x])).toThrow(
      `Kernel 'NoSuchKernel' is not registered for backend '${kit.backend}'`,
    );
    x.dispose();
  });
  badInput(kit, 'registry/activation-kinds-by-name-and-object', () => {
    const x = tensor([1, -2]);
    expect(() => runKernel('Activation', [x], { kind: 'no-such-kind', params: {} })).toThrow(
      /^Activation: unknown forward kind 'no-such-kind'; known kinds: relu, /,
    );
    expect(() => runKernel('Activation', [x], { kind: 'relu', params: {}, forwardKind: forwardKind('elu') })).toThrow(
      "Activation: attrs name kind 'relu' but carry kind 'elu'",
    );
    expect(() => runKernel('Activation', [x], { kind: 'relu', params: {}, mask: 'silu' })).toThrow(
      "Activation: derivative kind 'silu' reads 'x', not a mask",
    );
    expect(() => runKernel('ActivationGrad', [x, x], { kind: 'silu', params: {}, derivativeKind: derivativeKind('gelu') })).toThrow(
      "ActivationGrad: attrs name kind 'silu' but carry kind 'gelu'",
    );
    x.dispose();
  });
}

export function badInputSuite(kit: KitContext): void {
  describe('bad input', () => {
    incompatibleShapes(kit);
    wrongDtypes(kit);
    malformedData(kit);
    labelsOutOfRange(kit);
    nonFinite(kit);
    disposedTensors(kit);
    twoBackends(kit);
    customFunctionGradients(kit);
    autogradMisuse(kit);
    unknownNames(kit);
  });
}
