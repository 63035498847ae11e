// Checks each published package the way npm will see it: `pnpm pack`, then on the tarball
// publint (strict), @arethetypeswrong/cli (esm-only: the packages are ESM with no CommonJS build)
// and the release rules publint does not know (see manifestProblems).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { binOf, packageDir, run } from './lib.mjs';

export function publint(tarball) {
  return run(process.execPath, [binOf('publint', 'publint'), 'run', tarball, '--strict']);
}

// The esm-only profile: CommonJS resolutions are not checked, the packages have no CommonJS build.
const IGNORED_RESOLUTIONS = ['node10', 'node16-cjs'];

/** attw's problems with the tarball, as "kind at entrypoint (resolution)"; [] when clean. */
export function attw(tarball) {
  const args = [binOf('@arethetypeswrong/cli', 'attw'), tarball, '--profile', 'esm-only', '--format', 'json'];
  let out;
  try {
    out = run(process.execPath, args);
  } catch (err) {
    if (!err.stdout) throw err;
    out = err.stdout; // attw exits 1 when it finds problems; its JSON says which
  }
  const { analysis } = JSON.parse(out);
  if (!analysis.entrypoints?.['.']) throw new Error(`attw analysed no '.' entrypoint of ${tarball}`);
  return (analysis.problems ?? [])
    .filter((p) => !IGNORED_RESOLUTIONS.includes(p.resolutionKind))
    .map((p) => `${p.kind} at ${p.entrypoint ?? '?'} (${p.resolutionKind ?? 'any resolution'})`);
}

/** The files a tarball holds, relative to its package/ folder. */
export function tarballFiles(tarball) {
  return run('tar', ['-tzf', tarball])
    .split('\n')
    .filter(Boolean)
    .map((f) => f.replace(/^package\//, ''));
}

export function tarballManifest(tarball) {
  return JSON.parse(run('tar', ['-xzOf', tarball, 'package/package.json']));
}

const REQUIRED_FILES = ['package.json', 'README.md', 'LICENSE'];
const STRAY = [/\.tsbuildinfo$/, /(^|\/)test\//, /\.test\.[cm]?[jt]s$/, /(^|\/)node_modules\//, /(^|\/)\.turbo\//];

/**
 * What publint and attw don't check but a stranger's install needs: a README and LICENSE in the
 * tarball, no leftover workspace: ranges, no test files or build caches, a backend that declares
 * its side effect (registering itself on import) and shares core as a peer through a caret range
 * that admits the core published with it (an exact pin makes npm refuse a core patch release).
 */
export function manifestProblems(tarball, { backend }, coreVersion) {
  const problems = [];
  const files = tarballFiles(tarball);
  const m = tarballManifest(tarball);
  for (const f of REQUIRED_FILES) if (!files.includes(f)) problems.push(`${f} is missing from the tarball`);
  for (const f of files) if (STRAY.some((re) => re.test(f))) problems.push(`${f} should not be published`);
  for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
    for (const [name, range] of Object.entries(m[field] ?? {})) {
      if (String(range).startsWith('workspace:')) problems.push(`${field}.${name} is still '${range}' after pnpm pack`);
    }
  }
  if (!m.license) problems.push('no license field');
  if (m.type !== 'module') problems.push(`type is ${JSON.stringify(m.type)}, expected "module"`);
  if (!m.exports?.['.']?.types) problems.push("exports['.'] has no types condition");
  if (m.name !== '@surrograd/core') {
    const core = m.peerDependencies?.['@surrograd/core'];
    if (!core) problems.push('@surrograd/core must be a peerDependency (one copy of core, shared with the app and its backends)');
    else if (!core.startsWith('^') || !rangeAdmits(core, coreVersion))
      problems.push(`peerDependencies['@surrograd/core'] is '${core}': expected a caret range admitting core ${coreVersion} (workspace:^)`);
    if (m.dependencies?.['@surrograd/core'])
      problems.push('@surrograd/core must not also be a dependency (npm would install a second copy)');
  }
  if (backend && m.sideEffects === false) problems.push('a backend registers itself on import: sideEffects must not be false');
  return problems;
}

/** Enough of semver for the ranges pnpm writes from workspace: protocols (exact, ^x.y.z, ~x.y.z). */
export function rangeAdmits(range, version) {
  const parse = (v) => v.split('.').map(Number);
  const [major, minor, patch] = parse(version);
  const m = /^([\^~]?)(\d+)\.(\d+)\.(\d+)$/.exec(range.trim());
  if (!m) return false;
  const [, op, a, b, c] = m;
  const [ma, mi, pa] = [Number(a), Number(b), Number(c)];
  const atLeast = major > ma || (major === ma && (minor > mi || (minor === mi && patch >= pa)));
  if (op === '') return major === ma && minor === mi && patch === pa;
  if (op === '~') return atLeast && major === ma && minor === mi;
  return atLeast && (ma > 0 ? major === ma : mi > 0 ? major === 0 && minor === mi : major === 0 && minor === 0 && patch === pa);
}

export const coreVersion = () => JSON.parse(readFileSync(join(packageDir('packages/core'), 'package.json'), 'utf8')).version;
