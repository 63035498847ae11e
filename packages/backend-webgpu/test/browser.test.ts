/**
 * The conformance kit in headless Chromium (Debian's /usr/bin/chromium, WebGPU on SwiftShader),
 * driven by playwright-core: bundle the page, serve it on 127.0.0.1, collect every test's result.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { expect, it } from 'vitest';
import { buildPage, serve } from './browser/build.js';
import type { TestResult } from './browser/vitest-shim.js';

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
  const { server, url } = await (async () => {
    await buildPage(outDir);
    return serve(outDir);
  })();
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
  try {
    const page = await browser.newPage();
    const failures: string[] = [];
    page.on('console', (msg) => {
      const text = msg.text();
      if (text.startsWith('[conformance] failed')) failures.push(text);
    });
    page.on('pageerror', (err) => failures.push(`page error: ${err.message}`));
    await page.goto(url);
    await page.waitForFunction(() => window.__conformance?.done === true, undefined, { timeout: 850_000, polling: 1000 });
    const state = (await page.evaluate(() => window.__conformance)) as { results: TestResult[]; adapter?: string; error?: string };
    expect(state.error).toBeUndefined();
    const count = (status: TestResult['status']) => state.results.filter((r) => r.status === status).length;
    console.log(
      `browser conformance on '${state.adapter}': ${count('passed')} passed, ${count('failed')} failed, ${count('skipped')} skipped`,
    );
    expect(failures).toEqual([]);
    expect(count('failed')).toBe(0);
    expect(count('passed')).toBeGreaterThan(500);
    expect(count('skipped')).toBe(0);
  } finally {
    await browser.close();
    server.close();
    rmSync(outDir, { recursive: true, force: true });
  }
});
