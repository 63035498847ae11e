import type { PackageImporter } from '../train/backends.js';

/** Node resolves backend packages from the demo's own dependencies. */
export const nodeImporter: PackageImporter = (packageName) => import(packageName);
