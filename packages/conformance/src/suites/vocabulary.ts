/**
 * The PyTorch vocabulary's misuse (narrow, select, chunk, split, expand, repeat, roll, tril,
 * oneHot, remainder, var, norm, einsum, sort, topk): each error names the op, the values and shapes involved and what
 * was expected, and leaves the backend usable with memory where it was. Values and gradients are
 * in ops.json (ops/narrow/…, ops/var/…).
 */
import { chunk, einsum, norm, oneHot, split, tensor, tidy, variance } from '@surrograd/core';
import { describe, expect } from 'vitest';
import { badInput, disposeAll } from '../bad-input-case.js';
import type { KitContext } from '../options.js';

export function vocabularySuite(kit: KitContext): void {
  describe('vocabulary: bad input', () => {
    badInput(kit, 'vocabulary/views', () => {
      const x = tensor([
        [1, 2, 3],
        [4, 5, 6],
      ]);
      tidy(() => {
        expect(() => x.narrow(1, 2, 2)).toThrow('narrow: start 2 and length 2 are out of range for dim 1 of size 3 (shape [2, 3])');
        expect(() => x.select(0, 2)).toThrow('select: index 2 is out of range for dim 0 of size 2 (shape [2, 3])');
        expect(() => chunk(x, 0)).toThrow('chunk: chunks must be at least 1, got 0');
        expect(() => split(x, [1, 1], 1)).toThrow('split: sections [1, 1] sum to 2, but dim 1 of shape [2, 3] has size 3');
        expect(() => x.expand([-1, 2, 3])).toThrow('expand: -1 is not allowed for the new leading dim 0 (sizes [-1, 2, 3])');
        expect(() => x.repeat([2])).toThrow('repeat: repeats [2] must have at least as many entries as the rank 2 of shape [2, 3]');
        expect(() => x.roll([1, 2], 0)).toThrow('roll: shifts [1, 2] and dims [0] must have the same length');
        expect(() => x.flip([0, -2])).toThrow('flip: dims [0, -2] repeat a dim');
      });
      disposeAll(x);
    });
    badInput(kit, 'vocabulary/structure-and-math', () => {
      const v = tensor([1, 2, 3]);
      const i = tensor([0, 3], { dtype: 'int32' });
      tidy(() => {
        expect(() => v.tril()).toThrow('tril: expected a tensor of at least 2 dims, got shape [3]');
        expect(() => oneHot(i, 3)).toThrow(/^oneHot: indices must lie in \[0, 3\)/);
        expect(() => oneHot(v, 3)).toThrow('oneHot: indices must be int32, got float32');
        expect(() => i.remainder(2)).toThrow('remainder: int32 operands are not supported yet (got int32); cast to float32 first');
        expect(() => i.fmod(2)).toThrow('fmod: int32 operands are not supported yet (got int32); cast to float32 first');
        expect(() => variance(v, 0, { correction: Number.NaN })).toThrow('var: correction must be a finite number, got NaN');
        expect(() => norm(v, 'nuc' as unknown as number)).toThrow('norm: p must be a number or \'fro\', got "nuc"');
        expect(() => v.outer(tensor([[1]]))).toThrow('outer: expected two 1-D tensors, got shapes [3] and [1, 1]');
        expect(() => einsum('ij,jk->ik', v, v)).toThrow('einsum: operand 0 has shape [3] (rank 1) but "ij,jk->ik" gives it 2 subscripts');
        expect(() => einsum('i,j->ij', v)).toThrow('einsum: "i,j->ij" names 2 operands, but 1 were given');
        expect(() => einsum('i,i->', v, tensor([1, 2]))).toThrow(
          "einsum: subscript 'i' is 3 in one operand and 2 in operand 1 (shape [2])",
        );
        expect(() => v.topk(4)).toThrow('topk: k must be an integer in [0, 3] for dim -1 of shape [3], got 4');
        expect(() => v.gt(1).sort()).toThrow('sort: bool tensors are not sortable; cast to int32 first');
        expect(() => einsum('i->j', v)).toThrow('einsum: output subscript \'j\' of "i->j" appears in no operand');
      });
      disposeAll(v, i);
    });
  });
}
