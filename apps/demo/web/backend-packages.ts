import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BACKENDS, type BackendInfo } from '../src/train/backends.js';

const DEMO_DIR = fileURLToPath(new URL('..', import.meta.url));

/**
 * The backends whose package is a dependency of the demo (linked in its node_modules): the ones
 * the page can import. Not require.resolve: pnpm's bin shims set NODE_PATH, which finds packages
 * that Vite cannot import.
 */
export function linkedBackends(): BackendInfo[] {
  return BACKENDS.filter((b) => installed(b.packageName));
}

function installed(packageName: string): boolean {
  return existsSync(join(DEMO_DIR, 'node_modules', packageName, 'package.json'));
}

/** Every package the page may import for the linked backends: each backend's own and what it needs. */
export function backendPackageNames(): string[] {
  return linkedBackends().flatMap((b) => [b.packageName, ...(b.needs ?? []).filter(installed)]);
}
