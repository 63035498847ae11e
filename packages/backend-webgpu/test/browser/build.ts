/** Bundles the browser page with vite and serves it on 127.0.0.1 (WebGPU needs a secure context). */
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { build } from 'vite';

const here = new URL('.', import.meta.url).pathname;
const src = (path: string) => new URL(path, import.meta.url).pathname;

export async function buildPage(outDir: string): Promise<void> {
  await build({
    configFile: false,
    root: here,
    logLevel: 'warn',
    resolve: {
      alias: {
        '@surrograd/core': src('../../../core/src/index.ts'),
        '@surrograd/conformance': src('../../../conformance/src/index.ts'),
        vitest: src('./vitest-shim.ts'),
        'node:fs': src('./fs-shim.ts'),
      },
    },
    // Never inline assets as data: URLs: the fs shim finds golden files by name, however small.
    build: { outDir, emptyOutDir: true, target: 'es2022', minify: false, reportCompressedSize: false, assetsInlineLimit: 0 },
  });
}

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json' };

/** Serves `dir` on an ephemeral port of 127.0.0.1. */
export async function serve(dir: string): Promise<{ server: Server; url: string }> {
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    const file = join(dir, path === '/' ? 'index.html' : path);
    if (!file.startsWith(dir)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('serve: no port');
  return { server, url: `http://127.0.0.1:${address.port}/` };
}
