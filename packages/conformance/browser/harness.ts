/**
 * Running the conformance kit in a browser page, for the backends' browser tests: bundle a page
 * (the backend's own page.ts, with vitest and node:fs replaced by the shims here), serve it on
 * 127.0.0.1 with the headers the test asks for, and collect every test's result from the page.
 * vite and playwright stay the calling package's dependencies: it passes vite's `build` and a page.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize } from 'node:path';
import type { TestResult } from './vitest-shim.js';

const here = (path: string) => new URL(path, import.meta.url).pathname;

/** vite's `build`, taken from the calling package (its parameter type is vite's, unknown here). */
export type ViteBuild = (config: never) => Promise<unknown>;

/** Bundles the page whose index.html is in `root` into `outDir`, with the kit's shims and core and the kit from source. */
export async function buildKitPage(build: ViteBuild, root: string, outDir: string): Promise<void> {
  const config = {
    configFile: false,
    root,
    logLevel: 'warn',
    resolve: {
      alias: {
        '@surrograd/core': here('../../core/src/index.ts'),
        '@surrograd/conformance': here('../src/index.ts'),
        vitest: here('./vitest-shim.ts'),
        'node:fs': here('./fs-shim.ts'),
      },
    },
    // Never inline assets as data: URLs: the fs shim finds golden files by name, however small.
    build: { outDir, emptyOutDir: true, target: 'es2022', minify: false, reportCompressedSize: false, assetsInlineLimit: 0 },
  };
  await build(config as never);
}

const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json' };

/** Headers that make a page cross-origin isolated, so it has SharedArrayBuffer (and wasm threads). */
export const CROSS_ORIGIN_ISOLATION: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/** Serves `dir` on an ephemeral port of 127.0.0.1 (a secure context), every response with `headers`. */
export async function serveDir(dir: string, headers: Readonly<Record<string, string>> = {}): Promise<{ server: Server; url: string }> {
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
    const file = join(dir, path === '/' ? 'index.html' : path);
    if (!file.startsWith(dir)) {
      res.writeHead(403, headers).end();
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, { ...headers, 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(body);
    } catch {
      res.writeHead(404, headers).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('serve: no port');
  return { server, url: `http://127.0.0.1:${address.port}/` };
}

/** What a kit page leaves on window.__conformance: every result, and what the page reports about itself. */
export interface KitPageState {
  done: boolean;
  results: TestResult[];
  /** The page's own description of where it ran (an adapter, a thread count, …). */
  info?: string;
  error?: string;
}

/** The part of a playwright Page used here. */
export interface KitPage {
  on(event: 'console', handler: (msg: { text(): string }) => void): unknown;
  on(event: 'pageerror', handler: (err: Error) => void): unknown;
  goto(url: string): Promise<unknown>;
  waitForFunction(fn: () => boolean, arg: undefined, options: { timeout: number; polling: number }): Promise<unknown>;
  evaluate<T>(fn: () => T): Promise<T>;
}

/** Opens `url` in `page`, waits for the kit to finish, and returns its state and the failures it logged. */
export async function runKitPage(page: KitPage, url: string, timeoutMs: number): Promise<{ state: KitPageState; failures: string[] }> {
  const failures: string[] = [];
  page.on('console', (msg) => {
    const text = msg.text();
    if (text.startsWith('[conformance] failed')) failures.push(text);
  });
  page.on('pageerror', (err) => failures.push(`page error: ${err.message}`));
  await page.goto(url);
  await page.waitForFunction(() => (window as unknown as { __conformance?: KitPageState }).__conformance?.done === true, undefined, {
    timeout: timeoutMs,
    polling: 1000,
  });
  const state = await page.evaluate(() => (window as unknown as { __conformance: KitPageState }).__conformance);
  return { state, failures };
}

/** How many results have `status`. */
export function countResults(state: KitPageState, status: TestResult['status']): number {
  return state.results.filter((r) => r.status === status).length;
}
