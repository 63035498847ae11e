#!/usr/bin/env node
// The consumer test from the command line (CI runs the same steps as test/consumer.test.ts):
//
//   node scripts/consumer-test/run.mjs           # packages must be built (pnpm build)
//   node scripts/consumer-test/run.mjs --keep    # keep the temp project to look at
//
// Packs the published packages, installs the tarballs with npm (offline) into a fresh project in
// the system temp dir, type-checks a TypeScript consumer and trains a tiny model on each backend.
import {
  cleanup,
  coreCopies,
  emit,
  installTarballs,
  makeProject,
  packAll,
  train,
  typecheck,
  writeEntries,
  writeReadmeExamples,
} from './consumer-test.mjs';

const keep = process.argv.includes('--keep');
const started = performance.now();
const step = (what) => console.log(`[${((performance.now() - started) / 1000).toFixed(1)}s] ${what}`);

const { root, project, packs } = makeProject();
try {
  step(`packing into ${packs}`);
  const tarballs = packAll(packs);
  step(`installing ${Object.keys(tarballs).join(', ')} with npm --offline into ${project}`);
  const deps = installTarballs(project, tarballs);
  const cores = coreCopies(project);
  if (cores.length !== 1) throw new Error(`expected one copy of @surrograd/core, found ${cores.length}: ${cores.join(', ')}`);
  step(
    `installed ${Object.entries(deps)
      .map(([n, v]) => `${n}@${v}`)
      .join(', ')}`,
  );
  const backends = writeEntries(project);
  const examples = writeReadmeExamples(project);
  step(`tsc --noEmit (strict, skipLibCheck off) of the consumer and ${examples.length} README examples`);
  typecheck(project);
  emit(project);
  for (const backend of backends) {
    step(`training on ${backend}`);
    process.stdout.write(train(project, backend));
  }
  step('consumer test passed');
} catch (err) {
  console.error(err.message);
  process.exitCode = 1;
} finally {
  if (keep) console.log(`kept ${root}`);
  else cleanup(root);
}
