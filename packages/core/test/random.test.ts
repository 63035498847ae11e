import { describe, expect, it } from 'vitest';
import { Generator } from '../src/random.js';

describe('seeded generator', () => {
  it('gives the same stream for the same seed and different ones otherwise', () => {
    const a = new Generator(42);
    const b = new Generator(42);
    const c = new Generator(43);
    const sa = Array.from({ length: 8 }, () => a.uniform());
    expect(Array.from({ length: 8 }, () => b.uniform())).toEqual(sa);
    expect(Array.from({ length: 8 }, () => c.uniform())).not.toEqual(sa);
  });

  it('draws uniforms in [0, 1) and standard normals with the right moments', () => {
    const g = new Generator(1);
    let sum = 0;
    let sq = 0;
    let lo = 1;
    let hi = 0;
    const n = 200_000;
    for (let i = 0; i < n; i++) {
      const u = g.uniform();
      lo = Math.min(lo, u);
      hi = Math.max(hi, u);
      const z = g.normal();
      sum += z;
      sq += z * z;
    }
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(hi).toBeLessThan(1);
    expect(Math.abs(sum / n)).toBeLessThan(0.01);
    expect(Math.abs(sq / n - 1)).toBeLessThan(0.02);
  });

  it('rejects a non-finite seed', () => {
    expect(() => new Generator(Number.NaN)).toThrow('seed must be a finite number');
  });
});
