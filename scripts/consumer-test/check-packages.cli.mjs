#!/usr/bin/env node
// publint, attw and the release rules on every published package, from the command line
// (packages must be built). CI runs the same checks as test/packages.test.ts.
//
//   node scripts/consumer-test/check-packages.cli.mjs
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { attw, coreVersion, manifestProblems, publint } from './check-packages.mjs';
import { EXAMPLE_PLUGIN, PUBLISHED, pack } from './lib.mjs';

const dest = mkdtempSync(join(tmpdir(), 'surrograd-packs-'));
let failed = 0;
try {
  for (const p of [...PUBLISHED, EXAMPLE_PLUGIN]) {
    const tarball = pack(p.dir, dest);
    for (const [tool, check] of [
      ['publint', () => publint(tarball)],
      [
        'attw',
        () => {
          const problems = attw(tarball);
          if (problems.length) throw new Error(problems.map((x) => `  - ${x}`).join('\n'));
        },
      ],
      [
        'release rules',
        () => {
          const problems = manifestProblems(tarball, p, coreVersion());
          if (problems.length) throw new Error(problems.map((x) => `  - ${x}`).join('\n'));
        },
      ],
    ]) {
      try {
        check();
        console.log(`ok   ${p.name}: ${tool}`);
      } catch (err) {
        failed++;
        console.log(`FAIL ${p.name}: ${tool}\n${err.message}`);
      }
    }
  }
} finally {
  rmSync(dest, { recursive: true, force: true });
}
process.exitCode = failed ? 1 : 0;
