/**
 * inferenceMode, as PyTorch's torch.inference_mode: the same values as noGrad with no graph even
 * under enableGrad, inference tensors (no version; not saved for backward nor modified in place
 * outside it, with errors naming the op), ordinary tensors still versioned inside, and memory flat.
 */
import { enableGrad, grad, inferenceMode, isInferenceMode, memory, nn, noGrad, randn, type Tensor, tensor, tidy } from '@surrograd/core';
import { describe, expect } from 'vitest';
import { expectTensorClose } from '../compare.js';
import { test } from '../declare.js';
import type { KitContext } from '../options.js';

export function inferenceModeSuite(kit: KitContext): void {
  describe('inferenceMode', () => {
    test(kit, 'inference-mode/same values as noGrad, no graph even under enableGrad', async () => {
      const model = new nn.Sequential(new nn.Linear(4, 3, { seed: 3 }), new nn.ReLU(), new nn.Linear(3, 2, { seed: 4 }));
      const x = randn([5, 4], { seed: 9 });
      const want = noGrad(() => model.forward(x));
      const got = inferenceMode(() => enableGrad(() => model.forward(x)));
      expect(got.requiresGrad).toBe(false);
      expect(got.isInference).toBe(true);
      expect(want.isInference).toBe(false);
      expect(inferenceMode(() => isInferenceMode())).toBe(true);
      expect(isInferenceMode()).toBe(false);
      await expectTensorClose(
        'inferenceMode forward',
        got,
        { shape: want.shape, dtype: 'float32', values: await want.data() },
        kit.tolerance,
      );
      for (const t of [want, got, x]) t.dispose();
      for (const p of model.parameters()) p.dispose();
    });

    test(kit, 'inference-mode/inference tensors: not saved for backward, not modified in place outside it', async () => {
      const w = tensor([1, 2, 3]);
      w.requiresGrad = true;
      const y = inferenceMode(() => w.mul(2));
      const before = memory().numTensors;
      expect(() => w.mul(y)).toThrow("was made inside inferenceMode and can't be saved for backward");
      expect(() => y.add_(1)).toThrow('add_: tensor #');
      expect(memory().numTensors).toBe(before);
      // A clone made outside is an ordinary tensor, usable in training.
      const c = y.clone();
      const loss = w.mul(c).sum();
      loss.backward();
      expect(Array.from(await (w.grad as Tensor).data())).toEqual([2, 4, 6]);
      for (const t of [w, y, c, loss]) t.dispose();
    });

    test(kit, 'inference-mode/versions: ordinary tensors still bump inside, inference tensors carry none', async () => {
      const n = tensor([1, 2]);
      inferenceMode(() => n.mul_(2));
      expect(n.version).toBe(1);
      const t = inferenceMode(() => {
        const v = tensor([1, 2]);
        v.add_(1);
        return v;
      });
      expect(t.version).toBe(0);
      expect(Array.from(await t.data())).toEqual([2, 3]);
      expect(() => inferenceMode(() => grad((a: Tensor) => a.sum())(n))).toThrow('grad: inferenceMode records no graph');
      n.dispose();
      t.dispose();
    });

    test(kit, 'inference-mode/memory is flat over 1000 forward passes', async () => {
      const layer = new nn.Linear(8, 8, { seed: 1 });
      const x = randn([4, 8], { seed: 2 });
      const step = () =>
        tidy(() => {
          inferenceMode(() => layer.forward(x).relu().sum());
        });
      step();
      const before = memory().numTensors;
      for (let i = 0; i < 1000; i++) step();
      expect(memory().numTensors).toBe(before);
      x.dispose();
      for (const p of layer.parameters()) p.dispose();
    });
  });
}
