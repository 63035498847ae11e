/**
 * The conformance kit in headless Chromium (Debian's /usr/bin/chromium, WebGPU on SwiftShader),
 * driven by playwright-core: bundle the page, serve it on 127.0.0.1, collect every test's result.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { expect, it } from 'vitest';
import { buildKitPage, countResults, runKitPage, serveDir } from '../../conformance/browser/harness.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// WebGPU without a GPU: SwiftShader, which headless Chromium only offers with these (see /work/shared/TOOLCHAIN.md).
const FLAGS = [
  '--enable-unsafe-webgpu',
  '--no-sandbox',
  '--use-webgpu-adapter=swiftshader',
  '--enable-unsafe-swiftshader',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

it('passes the conformance kit in headless Chromium', { timeout: 900_000 }, async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y --no-install-recommends chromium (or set CHROMIUM_PATH)`);
  const outDir = mkdtempSync(join(tmpdir(), 'surrograd-webgpu-page-'));
  await buildKitPage(build, new URL('./browser/', import.meta.url).pathname, outDir);
  const { server, url } = await serveDir(outDir);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
  try {
    const { state, failures } = await runKitPage(await browser.newPage(), url, 850_000);
    expect(state.error).toBeUndefined();
    console.log(
      `browser conformance on '${state.info}': ${countResults(state, 'passed')} passed, ${countResults(state, 'failed')} failed, ${countResults(state, 'skipped')} skipped`,
    );
    expect(failures).toEqual([]);
    expect(countResults(state, 'failed')).toBe(0);
    expect(countResults(state, 'passed')).toBeGreaterThan(500);
    expect(countResults(state, 'skipped')).toBe(0);
  } finally {
    await browser.close();
    server.close();
    rmSync(outDir, { recursive: true, force: true });
  }
});
