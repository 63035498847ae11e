// The consumer test, as steps: pack the published packages, install the tarballs with plain npm
// into a fresh project outside the workspace, type-check a TypeScript consumer against the packed
// .d.ts files, and train a tiny model on every packed backend. Used by run.mjs (CLI) and by
// test/consumer.test.ts (CI).
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { here, PUBLISHED, pack, run, tscPath } from './lib.mjs';

/** A fresh folder in the system temp dir, far from the workspace and its node_modules. */
export function makeProject() {
  const root = mkdtempSync(join(tmpdir(), 'surrograd-consumer-'));
  mkdirSync(join(root, 'packs'));
  const project = join(root, 'project');
  cpSync(join(here, 'consumer'), project, { recursive: true });
  writeFileSync(
    join(project, 'package.json'),
    `${JSON.stringify({ name: 'surrograd-consumer', private: true, version: '0.0.0', type: 'module' }, null, 2)}\n`,
  );
  return { root, project, packs: join(root, 'packs') };
}

/** What a user of one backend installs: core and the backends (the kit is for backend authors). */
export const installed = () => PUBLISHED.filter((p) => p.name === '@surrograd/core' || p.backend || p.consumer);

/** Packs core and every backend; returns their tarball paths by package name. */
export function packAll(packs) {
  return Object.fromEntries(installed().map((p) => [p.name, pack(p.dir, packs)]));
}

/**
 * Installs the core and backend tarballs with npm, offline: nothing may come from a registry, so
 * each package's dependency on another (backends' peer dependency on core) must resolve from the
 * tarballs themselves.
 */
export function installTarballs(project, tarballs) {
  const wanted = installed().map((p) => tarballs[p.name]);
  run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error', ...wanted], { cwd: project });
  const manifest = JSON.parse(readFileSync(join(project, 'package.json'), 'utf8'));
  return manifest.dependencies;
}

/** Every installed copy of @surrograd/core, as paths: a backend that failed to share core as a peer adds a nested one. */
export function coreCopies(project) {
  const found = [];
  const walk = (nodeModules) => {
    if (!existsSync(nodeModules)) return;
    for (const entry of readdirSync(nodeModules)) {
      const dirs = entry.startsWith('@') ? readdirSync(join(nodeModules, entry)).map((n) => join(entry, n)) : [entry];
      for (const name of dirs) {
        if (name === '@surrograd/core') found.push(join(nodeModules, name));
        walk(join(nodeModules, name, 'node_modules'));
      }
    }
  };
  walk(join(project, 'node_modules'));
  return found;
}

/** One entry file per backend, importing it statically so its types are checked too. */
export function writeEntries(project) {
  const backends = PUBLISHED.filter((p) => p.backend);
  for (const p of backends) {
    writeFileSync(
      join(project, 'src', `train-${p.backend}.ts`),
      `import '${p.name}';\nimport { trainTiny } from './train.js';\n\nawait trainTiny('${p.backend}');\n`,
    );
  }
  return backends.map((p) => p.backend);
}

/**
 * The README examples of the installed packages (as published, from node_modules), one module
 * each, so `tsc` checks them against the packed types. A block fenced as ```ts no-check is skipped.
 */
export function writeReadmeExamples(project) {
  const written = [];
  for (const p of installed()) {
    const path = join(project, 'node_modules', p.name, 'README.md');
    if (!existsSync(path)) continue; // the release rules (packages.test.mjs) report a missing README
    const readme = readFileSync(path, 'utf8');
    const blocks = [...readme.matchAll(/^```(ts|typescript)([^\n]*)\n([\s\S]*?)^```/gm)].filter((m) => !/no-check/.test(m[2]));
    blocks.forEach((m, i) => {
      const file = `readme-${basename(p.dir)}-${i + 1}.ts`;
      writeFileSync(join(project, 'src', file), `// ${p.name} README.md, example ${i + 1}\n${m[3]}\nexport {};\n`);
      written.push(file);
    });
  }
  return written;
}

/** `tsc --noEmit` with skipLibCheck off: the packed .d.ts files must compile in a strict project. */
export function typecheck(project) {
  return run(process.execPath, [tscPath(), '--noEmit', '-p', project]);
}

/** Emits JavaScript without checking again (typecheck did). */
export function emit(project) {
  return run(process.execPath, [tscPath(), '--noCheck', '-p', project]);
}

/** Runs one backend's entry; its stdout ends with the loss it reached. */
export function train(project, backend) {
  return run(process.execPath, [join(project, 'dist', `train-${backend}.js`)], { cwd: project });
}

export function cleanup(root) {
  rmSync(root, { recursive: true, force: true });
}
