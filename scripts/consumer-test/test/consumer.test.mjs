// The consumer test: the packed packages, installed with plain npm into a fresh project outside
// the workspace, type-check in a strict TypeScript project and train on every packed backend.

import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  cleanup,
  coreCopies,
  emit,
  installed,
  installTarballs,
  makeProject,
  packAll,
  train,
  typecheck,
  writeEntries,
  writeReadmeExamples,
} from '../consumer-test.mjs';
import { PUBLISHED } from '../lib.mjs';

const { root, project, packs } = makeProject();
afterAll(() => cleanup(root));

// Steps share the project: each needs the one before, so they run in order and stop at the first failure.
describe.sequential('a fresh npm project', () => {
  let installDone = false;
  let checkDone = false;

  it('installs the packed core and backends offline, the backends finding core as a peer', () => {
    const deps = installTarballs(project, packAll(packs));
    const expected = installed().map((p) => p.name);
    expect(Object.keys(deps).sort()).toEqual(expected.sort());
    expect(coreCopies(project), 'one copy of core, shared by every backend').toEqual([join(project, 'node_modules', '@surrograd/core')]);
    installDone = true;
  }, 180_000);

  it("type-checks a strict TypeScript consumer and the READMEs' examples against the packed .d.ts files (tsc --noEmit, skipLibCheck off)", () => {
    expect(installDone, 'the install step passed').toBe(true);
    writeEntries(project);
    expect(writeReadmeExamples(project).length).toBeGreaterThan(0);
    typecheck(project);
    emit(project);
    checkDone = true;
  }, 180_000);

  for (const p of PUBLISHED.filter((x) => x.backend)) {
    it(`trains a tiny model on ${p.backend}: the loss halves, memory holds steady`, () => {
      expect(checkDone, 'the type-check step passed').toBe(true);
      expect(train(project, p.backend)).toMatch(new RegExp(`consumer ${p.backend}: loss`));
    }, 180_000);
  }
});
