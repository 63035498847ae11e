/**
 * The int32 policy (docs/errors.md, "Integers"): a value int32 can't hold is an error where it
 * enters (creation, fill, arange, a number operand), never a silent wrap; float → int32 casts
 * truncate and saturate (NaN → 0); `div` is true division (PyTorch's), so int32 / 0 is ±Infinity,
 * not 0; an int32 tensor to a negative number power is an error, as in PyTorch. Arithmetic between
 * int32 tensors (and int32 sums) wraps modulo 2³², as PyTorch's int32 tensors do — identically on
 * every backend.
 */
import { arange, full, type Tensor, tensor, tidy, zeros } from '@surrograd/core';
import { describe, expect } from 'vitest';
import { badInput, disposeAll, flat } from '../bad-input-case.js';
import type { KitContext } from '../options.js';

const MAX = 2147483647;
const MIN = -2147483648;

function creation(kit: KitContext): void {
  const overflow = /cannot be converted to int32 without overflow \(int32 holds -2147483648 to 2147483647\)/;
  badInput(kit, 'int32/tensor-out-of-range', () => {
    expect(() => tensor([3e9], { dtype: 'int32' })).toThrow(/^tensor: value 3000000000 at index 0 cannot be converted to int32/);
    expect(() => tensor([1, -3e9], { dtype: 'int32' })).toThrow('tensor: value -3000000000 at index 1');
    expect(() => tensor([Number.NaN], { dtype: 'int32' })).toThrow('tensor: value NaN at index 0');
    expect(() => tensor([Number.POSITIVE_INFINITY], { dtype: 'int32' })).toThrow('tensor: value Infinity at index 0');
    expect(() => tensor(new Float32Array([2 ** 31]), { dtype: 'int32' })).toThrow(overflow);
  });
  badInput(kit, 'int32/tensor-edges-and-fractions', async () => {
    // The ends of the range are fine; fractions truncate toward zero, as PyTorch's.
    const t = tensor([MIN, MAX, 1.7, -1.7], { dtype: 'int32' });
    expect(await flat(t)).toEqual([MIN, MAX, 1, -1]);
    t.dispose();
  });
  badInput(kit, 'int32/full-out-of-range', () => {
    expect(() => full([2], 2 ** 32 + 5, { dtype: 'int32' })).toThrow(/^full: value 4294967301 cannot be converted to int32/);
    expect(() => full([2], Number.NaN, { dtype: 'int32' })).toThrow(/^full: value NaN cannot be converted/);
  });
  badInput(kit, 'int32/arange-across-2^31', () => {
    expect(() => arange(MAX - 1, MAX + 3)).toThrow(/^arange: value 2147483649 cannot be converted to int32/);
    arange(0, 5, 1, { dtype: 'int32' }).dispose();
  });
  badInput(kit, 'int32/number-operand-out-of-range', () => {
    const x = tensor([1, 2], { dtype: 'int32' });
    expect(() => x.add(3e9)).toThrow(
      "add: the number 3000000000 does not fit the other operand's int32 (-2147483648 to 2147483647); cast the tensor to float32 first",
    );
    expect(() => x.mul(-(2 ** 40))).toThrow('mul: the number -1099511627776 does not fit');
    x.dispose();
  });
  badInput(kit, 'int32/negative-number-power', () => {
    const x = tensor([2, 3], { dtype: 'int32' });
    expect(() => x.pow(-1)).toThrow('pow: integers to negative integer powers are not allowed');
    x.dispose();
  });
}

function arithmetic(kit: KitContext): void {
  badInput(kit, 'int32/division-is-true-division', async () => {
    const a = tensor([7, 1, -1, 0, -7], { dtype: 'int32' });
    const b = tensor([2, 0, 0, 0, 2], { dtype: 'int32' });
    const [q, byNumber] = tidy(() => [a.div(b), a.div(2)]) as [Tensor, Tensor];
    expect(q.dtype).toBe('float32');
    const v = await flat(q);
    expect([v[0], v[1], v[2], Number.isNaN(v[3]), v[4]]).toEqual([3.5, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, true, -3.5]);
    expect(await flat(byNumber)).toEqual([3.5, 0.5, -0.5, 0, -3.5]);
    disposeAll(a, b, q, byNumber);
  });
  badInput(kit, 'int32/tensor-arithmetic-wraps-as-pytorch', async () => {
    // Between int32 tensors the policy is PyTorch's: two's-complement wrap, on every backend alike.
    const a = tensor([MAX, MIN, MAX], { dtype: 'int32' });
    const b = tensor([1, -1, 2], { dtype: 'int32' });
    const [sum, diff, prod, total] = tidy(() => [a.add(b), a.sub(b), a.mul(b), a.sum()]) as Tensor[] as [Tensor, Tensor, Tensor, Tensor];
    expect(await flat(sum)).toEqual([MIN, MAX, MIN + 1]);
    expect(await flat(diff)).toEqual([MAX - 1, MIN + 1, MAX - 2]);
    expect(await flat(prod)).toEqual([MAX, MIN, -2]);
    // MAX + MIN + MAX = 2³¹ - 2 fits; the sum's dtype stays int32.
    expect(total.dtype).toBe('int32');
    expect(await flat(total)).toEqual([MAX - 1]);
    disposeAll(a, b, sum, diff, prod, total);
  });
  badInput(kit, 'int32/sum-wraps-as-documented', async () => {
    const a = tensor([MAX, 1], { dtype: 'int32' });
    const s = a.sum();
    expect(await flat(s)).toEqual([MIN]);
    disposeAll(a, s);
  });
  badInput(kit, 'int32/tensor-power-negative-exponent', async () => {
    // As PyTorch: the truncated fraction, except for bases ±1.
    const base = tensor([2, 3, 1, -1, -1], { dtype: 'int32' });
    const exponent = tensor([-1, -2, -5, -1, -2], { dtype: 'int32' });
    const p = base.pow(exponent);
    expect(await flat(p)).toEqual([0, 0, 1, -1, 1]);
    disposeAll(base, exponent, p);
  });
}

function casts(kit: KitContext): void {
  badInput(kit, 'int32/cast-saturates', async () => {
    const x = tensor([
      Number.NaN,
      Number.POSITIVE_INFINITY,
      Number.NEGATIVE_INFINITY,
      3e9,
      -3e9,
      2 ** 31,
      -(2 ** 31),
      1.9,
      -1.9,
      -0,
      2147483520,
    ]);
    const i = x.cast('int32');
    expect(await flat(i)).toEqual([0, MAX, MIN, MAX, MIN, MAX, MIN, 1, -1, 0, 2147483520]);
    disposeAll(x, i);
  });
  badInput(kit, 'int32/cast-saturates-long', async () => {
    // Long enough for every vector path and tail.
    const n = 1031;
    const values = Float32Array.from({ length: n }, (_, k) => (k % 3 === 0 ? 3e9 * (k % 2 ? 1 : -1) : k % 3 === 1 ? Number.NaN : k - 0.5));
    const x = tensor(values);
    const i = x.cast('int32');
    const got = await flat(i);
    const want = Array.from(values, (v) => (Number.isNaN(v) ? 0 : v >= MAX ? MAX : v <= MIN ? MIN : Math.trunc(v)));
    expect(got).toEqual(want);
    disposeAll(x, i);
  });
  badInput(kit, 'int32/zeros-ok', () => {
    zeros([3], { dtype: 'int32' }).dispose();
  });
}

export function integerPolicySuite(kit: KitContext): void {
  describe('int32 policy', () => {
    creation(kit);
    arithmetic(kit);
    casts(kit);
  });
}
