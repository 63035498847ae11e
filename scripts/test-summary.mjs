// Sums vitest's per-package "Tests  N failed | N passed (N)" lines from a turbo log into one
// plain line "N passed, N failed" (CI reads that line). Exits 1 if any failed or none ran.
import { readFileSync } from 'node:fs';

const log = readFileSync(process.argv[2] ?? 0, 'utf8').replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g'), '');
let passed = 0;
let failed = 0;
let skipped = 0;
let files = 0;
for (const line of log.split('\n')) {
  const m = line.match(/\bTests\s+(.*)\(\d+\)\s*$/);
  if (!m) continue;
  files++;
  for (const part of m[1].split('|')) {
    const n = part.trim().match(/^(\d+)\s+(passed|failed|skipped|todo)/);
    if (!n) continue;
    const count = Number(n[1]);
    if (n[2] === 'passed') passed += count;
    else if (n[2] === 'failed') failed += count;
    else skipped += count;
  }
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || files === 0 || passed === 0 ? 1 : 0);
