import { describe, expect, it } from 'vitest';
import { lowerCosts, MARGIN, PRODUCT_MARGIN, thresholdsFor } from '../src/threads/calibrate.js';

describe('thresholds from measured costs', () => {
  const costs = { callUs: 9, elementUs: 0.00024, macUs: 0.000052 };

  it('shares from where the saving is MARGIN times what sharing costs (PRODUCT_MARGIN for products), in whole 1024-element blocks', () => {
    const { elements, macs } = thresholdsFor(costs, 2);
    // Half the work moves to the other thread: n · u / 2 = MARGIN · callUs.
    const want = (MARGIN * 9) / (0.00024 / 2);
    expect(elements).toBe(Math.ceil(want / 1024) * 1024);
    expect(macs).toBe(Math.ceil((PRODUCT_MARGIN * 9) / (0.000052 / 2)));
    expect(PRODUCT_MARGIN).toBeGreaterThan(MARGIN);
  });

  it('shares from smaller sizes on more threads, where each keeps less of the work', () => {
    expect(thresholdsFor(costs, 8).elements).toBeLessThan(thresholdsFor(costs, 2).elements);
  });

  it('keeps a wild measurement within bounds', () => {
    expect(thresholdsFor({ callUs: 1e6, elementUs: 1e-9, macUs: 1e-9 }, 2)).toEqual({ elements: 1 << 20, macs: 1 << 22 });
    expect(thresholdsFor({ callUs: 1e-6, elementUs: 1, macUs: 1 }, 2)).toEqual({ elements: 1 << 12, macs: 1 << 14 });
    // A unit timed at 0 (a coarse clock) means sharing never pays: the upper bound, not Infinity.
    expect(thresholdsFor({ callUs: 9, elementUs: 0, macUs: 0 }, 2)).toEqual({ elements: 1 << 20, macs: 1 << 22 });
  });

  it('keeps the lower of each cost from two measurements: other load only adds time', () => {
    const busyStart = { callUs: 63, elementUs: 0.0003, macUs: 0.00004 };
    const later = { callUs: 4, elementUs: 0.0004, macUs: 0.00003 };
    expect(lowerCosts(busyStart, later)).toEqual({ callUs: 4, elementUs: 0.0003, macUs: 0.00003 });
    expect(lowerCosts(later, busyStart)).toEqual(lowerCosts(busyStart, later));
  });
});
