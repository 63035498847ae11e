// publint, attw and the release rules on the tarball of every published package.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attw, coreVersion, manifestProblems, publint, rangeAdmits } from '../check-packages.mjs';
import { EXAMPLE_PLUGIN, PUBLISHED, pack } from '../lib.mjs';

const dest = mkdtempSync(join(tmpdir(), 'surrograd-packs-'));
afterAll(() => rmSync(dest, { recursive: true, force: true }));

for (const p of [...PUBLISHED, EXAMPLE_PLUGIN]) {
  describe(p.name, () => {
    let tarball = '';
    beforeAll(() => {
      tarball = pack(p.dir, dest);
    }, 120_000);

    it('passes publint --strict', () => {
      expect(publint(tarball)).toMatch(/All good!/);
    }, 60_000);

    it('passes attw (esm-only profile)', () => {
      expect(attw(tarball)).toEqual([]);
    }, 60_000);

    it('follows the release rules', () => {
      expect(manifestProblems(tarball, p, coreVersion())).toEqual([]);
    });
  });
}

describe('rangeAdmits (the peer ranges pnpm writes)', () => {
  it('reads exact, caret and tilde ranges as npm does for 0.x and 1.x', () => {
    expect(rangeAdmits('0.1.0', '0.1.0')).toBe(true);
    expect(rangeAdmits('0.1.0', '0.1.1')).toBe(false);
    expect(rangeAdmits('^0.1.0', '0.1.7')).toBe(true);
    expect(rangeAdmits('^0.1.0', '0.2.0')).toBe(false);
    expect(rangeAdmits('^0.1.2', '0.1.1')).toBe(false);
    expect(rangeAdmits('^1.2.0', '1.9.0')).toBe(true);
    expect(rangeAdmits('^1.2.0', '2.0.0')).toBe(false);
    expect(rangeAdmits('~1.2.0', '1.2.5')).toBe(true);
    expect(rangeAdmits('~1.2.0', '1.3.0')).toBe(false);
    expect(rangeAdmits('>=1.0.0', '1.0.0')).toBe(false); // not a range pnpm writes: reported, not guessed
  });
});
