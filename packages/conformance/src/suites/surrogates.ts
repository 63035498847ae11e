/**
 * Heaviside surrogates against the libraries they come from (surrogates.json, written by
 * scripts/goldens/make_surrogates.py from each source's forward and backward, with the file and
 * function cited): the same spikes — at 0 too, where the libraries' conventions differ — and the
 * same gradients.
 */
import { type HeavisideSurrogate, heaviside } from '@surrograd/core';
import { describe } from 'vitest';
import { withBag } from '../bag.js';
import { expectTensorClose } from '../compare.js';
import { test } from '../declare.js';
import { expectedOf, goldenTensor } from '../decode.js';
import { loadSurrogateCases } from '../goldens.js';
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
}
