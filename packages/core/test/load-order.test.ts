import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// Core's modules import each other in cycles (ops ↔ Tensor methods). Whichever module a bundler or
// a user loads first, nothing may run before what it needs is initialized: load each one first.
const dist = new URL('../dist/', import.meta.url).pathname;

function modules(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? modules(join(dir, e.name)) : e.name.endsWith('.js') ? [join(dir, e.name)] : [],
  );
}

describe('module load order', () => {
  it('every module of the built package can be the first one loaded', () => {
    const files = modules(dist);
    expect(files.length).toBeGreaterThan(30);
    const index = join(dist, 'index.js');
    const script = `
      const files = ${JSON.stringify(files)};
      const { spawn } = await import('node:child_process');
      const check = (f) => new Promise((resolve) => {
        const code = 'await import(' + JSON.stringify(f) + '); const m = await import(' + JSON.stringify(${JSON.stringify(index)}) + ');'
          + " if (typeof m.tensor !== 'function') throw new Error('index has no tensor');";
        const p = spawn(process.execPath, ['--input-type=module', '-e', code]);
        let err = '';
        p.stderr.on('data', (d) => (err += d));
        p.on('close', (status) => resolve(status === 0 ? null : f + ': ' + err.split('\\n').find((l) => /Error/.test(l))));
      });
      const bad = [];
      for (let i = 0; i < files.length; i += 4) bad.push(...(await Promise.all(files.slice(i, i + 4).map(check))).filter(Boolean));
      console.log(JSON.stringify(bad));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    const bad = JSON.parse(out.trim().split('\n').pop() as string) as string[];
    expect(bad.map((b) => relative(dist, b))).toEqual([]);
  }, 300_000);
});
