// Shared by the consumer test and the package checks: where the repo is, which packages are
// published, and how to run pnpm, npm and tsc the way a stranger's machine would.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = join(here, '..', '..');

/**
 * The packages published to npm, by folder. `backend` is the name the package registers: the
 * consumer test trains on each one. Adding a package to the consumer test and to the publint/attw
 * checks is one line here, plus a devDependency in this folder's package.json (so turbo builds it
 * before these tests run). `consumer: true` installs a package that registers no backend in the
 * consumer test too, so that its README examples are type-checked.
 */
export const PUBLISHED = [
  { dir: 'packages/core', name: '@surrograd/core' },
  { dir: 'packages/backend-cpu', name: '@surrograd/backend-cpu', backend: 'cpu' },
  { dir: 'packages/backend-wasm', name: '@surrograd/backend-wasm', backend: 'wasm' },
  { dir: 'packages/conformance', name: '@surrograd/conformance' },
  { dir: 'packages/snn', name: '@surrograd/snn', consumer: true },
];

/** Not published, but what plugin authors copy: held to the same publint/attw and release rules. */
export const EXAMPLE_PLUGIN = { dir: 'examples/surrogate-plugin', name: 'surrograd-plugin-gaussian-surrogate' };

export const packageDir = (dir) => join(repoRoot, dir);

/** Runs a command, returning stdout; on failure the error carries the command and its output. */
export function run(cmd, args, options = {}) {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20, ...options });
  } catch (err) {
    const output = `${err.stdout ?? ''}${err.stderr ?? ''}`.trim();
    const failure = new Error(
      `\`${[cmd, ...args].join(' ')}\` (in ${options.cwd ?? process.cwd()}) failed with exit ${err.status}:\n${output}`,
    );
    failure.stdout = err.stdout ?? '';
    throw failure;
  }
}

/** pnpm as the repo pins it: the running pnpm when we were started by one, else npx with the pinned version. */
export function pnpm(args, options) {
  const execPath = process.env.npm_execpath ?? '';
  // pnpm 10+ may be a native binary rather than a script for node.
  if (/pnpm/.test(execPath))
    return /\.[cm]?js$/.test(execPath) ? run(process.execPath, [execPath, ...args], options) : run(execPath, args, options);
  const pinned = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).packageManager;
  return run('npx', ['-y', pinned, ...args], options);
}

const requireHere = createRequire(import.meta.url);

/** The repo's own TypeScript compiler (a stranger has one of their own; the version is the one we support). */
export const tscPath = () => requireHere.resolve('typescript/bin/tsc');

/** Resolves a CLI's entry from this folder's node_modules (or the repo root's); works where exports hide package.json. */
export function binOf(pkg, bin) {
  const manifest = (requireHere.resolve.paths(pkg) ?? []).map((dir) => join(dir, pkg, 'package.json')).find((f) => existsSync(f));
  if (!manifest) throw new Error(`${pkg} is not installed (it is a devDependency of scripts/consumer-test: run pnpm install)`);
  const bins = JSON.parse(readFileSync(manifest, 'utf8')).bin;
  const rel = typeof bins === 'string' ? bins : bins[bin];
  if (!rel) throw new Error(`${pkg} has no bin named ${bin}`);
  return join(dirname(manifest), rel);
}

/** `pnpm pack`s a package (workspace: ranges become versions) into `dest`; returns the tarball's path. */
export function pack(dir, dest) {
  const out = pnpm(['pack', '--pack-destination', dest], { cwd: packageDir(dir) });
  const tarball = out
    .trim()
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.endsWith('.tgz'))
    .pop();
  if (!tarball) throw new Error(`pnpm pack in ${dir} printed no .tgz path:\n${out}`);
  return tarball.startsWith('/') ? tarball : join(dest, tarball);
}
