/**
 * Heaviside surrogates against the libraries they come from (surrogates.json, written by
 * scripts/goldens/make_surrogates.py from each source's forward and backward, with the file and
 * function cited): the same spikes — at 0 too, where the libraries' conventions differ — and the
 * same gradients.
 */
import {
  activationEntries,
  evalExpr,
  type HeavisideSurrogate,
  heaviside,
  learnableSurrogateKinds,
  surrogatePrimitive,
  tensor,
} from '@surrograd/core';
import { describe, expect } from 'vitest';
import { withBag } from '../bag.js';
import { expectTensorClose } from '../compare.js';
import { test } from '../declare.js';
import { expectedOf, goldenTensor } from '../decode.js';
import { loadLearnableSurrogateCases, loadSurrogateCases } from '../goldens.js';
import type { KitContext } from '../options.js';

export function surrogatesSuite(kit: KitContext): void {
  describe('surrogates as their sources compute them', () => {
    for (const c of loadSurrogateCases()) {
      const label = `${c.surrogate}(${Object.entries(c.options)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ')})`;
      test(kit, `surrogates/${label}`, async () => {
        await withBag(async (bag) => {
          const x = bag.add(goldenTensor(c.x, true));
          const y = bag.add(heaviside(x, { surrogate: c.surrogate as HeavisideSurrogate, ...c.options }));
          await expectTensorClose(`${label} spikes (${c.source})`, y, expectedOf(c.out), { rtol: 0, atol: 0 });
          y.backward(bag.add(goldenTensor(c.cotangent)));
          await expectTensorClose(`${label} gradient (${c.source})`, x.grad!, expectedOf(c.grad), kit.tolerance);
          x.grad?.dispose();
        });
      });
    }
  });

  describe("learnt surrogate parameters, as SpikingJelly's primitives differentiate them", () => {
    for (const c of loadLearnableSurrogateCases()) {
      const label = `${c.surrogate}(${c.option}: tensor [${c.param.shape.join(', ')}])`;
      test(kit, `surrogates/learnable/${label}`, async () => {
        await withBag(async (bag) => {
          const x = bag.add(goldenTensor(c.x, true));
          const param = bag.add(goldenTensor(c.param, true));
          const fixed = bag.add(heaviside(x, { surrogate: c.surrogate as HeavisideSurrogate }));
          const y = bag.add(heaviside(x, { surrogate: c.surrogate as HeavisideSurrogate, [c.option]: param }));
          // The spikes are the surrogate's own, whatever the parameter.
          expect(Array.from((await y.data()) as Float32Array)).toEqual(Array.from((await fixed.data()) as Float32Array));
          y.backward(bag.add(goldenTensor(c.cotangent)));
          await expectTensorClose(`${label} gradient to x (${c.source})`, x.grad!, expectedOf(c.gradX), kit.tolerance);
          await expectTensorClose(`${label} gradient to ${c.option} (${c.source})`, param.grad!, expectedOf(c.gradParam), {
            rtol: 1e-4,
            atol: 1e-4,
          });
          x.grad?.dispose();
          param.grad?.dispose();
        });
      });
    }

    // Every surrogate that can learn: the gradient to x is the fused kernel's, and the gradient to
    // each parameter is the central difference of Σ dy·σ(x; p) in float64.
    const GRID = Array.from({ length: 41 }, (_, i) => -2 + i * 0.1 + 0.0037);
    for (const entry of activationEntries()) {
      if (!entry.name.startsWith('heaviside/') || !learnableSurrogateKinds().includes(entry.derivative)) continue;
      const surrogate = entry.name.slice('heaviside/'.length) as HeavisideSurrogate;
      for (const option of Object.keys(entry.defaults)) {
        test(kit, `surrogates/learnable/${surrogate}/${option}-by-its-primitive`, async () => {
          await withBag(async (bag) => {
            const dy = GRID.map((_, i) => ((i * 7) % 11) / 5 - 1);
            const p0 = entry.defaults[option] as number;
            const x = bag.add(tensor(GRID, { requiresGrad: true }));
            const p = bag.add(tensor(p0, { requiresGrad: true }));
            const y = bag.add(heaviside(x, { surrogate, [option]: p }));
            y.backward(bag.add(tensor(dy)));
            const fused = bag.add(tensor(GRID, { requiresGrad: true }));
            const yf = bag.add(heaviside(fused, { surrogate }));
            yf.backward(bag.add(tensor(dy)));
            const fusedGrad = { shape: [GRID.length], dtype: 'float32', values: (await fused.grad!.data()) as Float32Array };
            await expectTensorClose(`${surrogate}: gradient to x vs the fused kernel`, x.grad!, fusedGrad, { rtol: 1e-4, atol: 1e-5 });
            const sigma = surrogatePrimitive(entry.derivative)!;
            const total = (pv: number) =>
              GRID.reduce(
                (acc, xv, i) => acc + (dy[i] as number) * evalExpr(sigma, { ...entry.defaults, [option]: pv, x: Math.fround(xv) }),
                0,
              );
            const h = 1e-5 * Math.max(1, Math.abs(p0));
            const want = (total(p0 + h) - total(p0 - h)) / (2 * h);
            const got = ((await p.grad!.data()) as Float32Array)[0] as number;
            if (!(Math.abs(got - want) <= 1e-3 * Math.max(1, Math.abs(want))))
              throw new Error(`${surrogate}: gradient to ${option} is ${got}, the primitive's central difference ${want}`);
            for (const t of [x, p, fused]) t.grad?.dispose();
          });
        });
      }
    }

    test(kit, 'surrogates/learnable/bad-input-is-a-clear-error', async () => {
      await withBag(async (bag) => {
        const x = bag.add(tensor([[0.5, -0.5]]));
        const wrongShape = bag.add(tensor([1, 2, 3], { requiresGrad: true }));
        expect(() => heaviside(x, { surrogate: 'atan', alpha: wrongShape })).toThrow(
          "heaviside (surrogate 'atan'): option 'alpha' has shape [3], which does not broadcast to the input's [1, 2]",
        );
        const a = bag.add(tensor(2, { requiresGrad: true }));
        expect(() => heaviside(x, { surrogate: 'piecewiseLeaky', width: a })).toThrow(
          "heaviside (surrogate 'piecewiseLeaky'): parameters passed as tensors are learnt, which this surrogate can't; surrogates that can: fastSigmoid, atan",
        );
        expect(() => heaviside(x, { surrogate: 'atan', slope: a })).toThrow(
          "heaviside (surrogate 'atan'): unknown option 'slope'; options are alpha",
        );
      });
    });
  });
}
