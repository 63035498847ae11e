/**
 * The conformance kit on the wasm backend in headless Chromium (Debian's /usr/bin/chromium),
 * driven by playwright-core, twice: served cross-origin isolated (COOP/COEP), where the kernels
 * run on shared memory and a pool of Workers, and served plainly, where they fall back to plain
 * memory and one thread.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildKitPage, CROSS_ORIGIN_ISOLATION, countResults, runKitPage, serveDir } from '../../conformance/browser/harness.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const FLAGS = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

describe('the wasm backend in headless Chromium', () => {
  let outDir = '';
  beforeAll(async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y --no-install-recommends chromium (or set CHROMIUM_PATH)`);
    outDir = mkdtempSync(join(tmpdir(), 'surrograd-wasm-page-'));
    await buildKitPage(build, new URL('./browser/', import.meta.url).pathname, outDir);
  }, 300_000);
  afterAll(() => {
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  const cases: [string, Record<string, string>, RegExp][] = [
    [
      'cross-origin isolated: shared memory and a pool of Workers',
      CROSS_ORIGIN_ISOLATION,
      /^crossOriginIsolated=true shared=true threads=([2-8]) variant=/,
    ],
    ['not isolated: plain memory, one thread', {}, /^crossOriginIsolated=false shared=false threads=1 variant=/],
  ];
  for (const [name, headers, where] of cases) {
    it(`passes the conformance kit ${name}`, { timeout: 900_000 }, async () => {
      const { server, url } = await serveDir(outDir, headers);
      const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
      try {
        const { state, failures } = await runKitPage(await browser.newPage(), url, 850_000);
        expect(state.error).toBeUndefined();
        console.log(
          `wasm in Chromium (${state.info}): ${countResults(state, 'passed')} passed, ${countResults(state, 'failed')} failed, ${countResults(state, 'skipped')} skipped`,
        );
        expect(state.info).toMatch(where);
        expect(failures).toEqual([]);
        expect(countResults(state, 'failed')).toBe(0);
        expect(countResults(state, 'passed')).toBeGreaterThan(1000);
        expect(countResults(state, 'skipped')).toBe(0);
      } finally {
        await browser.close();
        server.close();
      }
    });
  }
});
