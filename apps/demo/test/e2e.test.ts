/**
 * The page in real headless Chromium (Debian's, driven by playwright-core): trains a few hundred
 * steps on every backend the page can import, checks that accuracy rises, the charts are drawn,
 * and a drawn digit gets a prediction. Screenshots go to test-results/.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { createServer, type ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkedBackends } from '../web/backend-packages.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const DEMO = fileURLToPath(new URL('..', import.meta.url));
const SHOTS = join(DEMO, 'test-results');
// TOOLCHAIN.md's flags: WebGPU on SwiftShader, and no network chatter on a closed machine.
const FLAGS = [
  '--no-sandbox',
  '--enable-unsafe-webgpu',
  '--use-webgpu-adapter=swiftshader',
  '--enable-unsafe-swiftshader',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

interface DemoState {
  status: string;
  threads: number;
  error: string;
  step: number;
  model: string;
  activation: string;
  evals: { step: number; accuracy: number; sparsity: number[] }[];
  spikes: { steps: number; hiddenSpikes: number; outputSpikes: number; membraneSeries: number } | null;
  prediction: { label: number; probabilities: number[] } | null;
  backends: string[];
  chartPoints(): Record<string, number>;
}
declare const window: { surrogradDemo: DemoState };

let server: ViteDevServer;
let browser: Browser;
let url: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y --no-install-recommends chromium (or set CHROMIUM_PATH)`);
  }
  mkdirSync(SHOTS, { recursive: true });
  server = await createServer({ configFile: join(DEMO, 'web/vite.config.ts'), server: { port: 0 }, logLevel: 'warn' });
  await server.listen();
  url = server.resolvedUrls?.local[0] ?? '';
  expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  // launch() gives Chromium a fresh temporary profile of its own.
  browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Pixels of a chart canvas that are saturated colour: the data lines, not the grey axes and text. */
function colouredPixels(page: Page, id: string): Promise<number> {
  return page.evaluate((canvasId) => {
    const canvas = document.getElementById(canvasId) as HTMLCanvasElement;
    const data = (canvas.getContext('2d') as CanvasRenderingContext2D).getImageData(0, 0, canvas.width, canvas.height).data;
    let n = 0;
    for (let i = 0; i < data.length; i += 4) {
      const [r, g, b, a] = [data[i] as number, data[i + 1] as number, data[i + 2] as number, data[i + 3] as number];
      if (a > 128 && Math.max(r, g, b) - Math.min(r, g, b) > 80) n++;
    }
    return n;
  }, id);
}

describe('demo page in headless Chromium', () => {
  const backends = linkedBackends().map((b) => b.name);

  it('offers the backends the demo depends on', () => {
    expect(backends).toContain('cpu');
  });

  for (const backend of backends) {
    it(`trains on ${backend}: accuracy rises, charts draw, a drawn 1 is read as 1`, async () => {
      const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      try {
        await page.goto(
          `${url}?backend=${backend}&hidden=64&steps=300&evalEvery=100&batch=64&lr=0.002&activation=reluWithLeakyGrad:slope=0.1`,
        );
        await page.waitForFunction(() => ['ready', 'error'].includes(window.surrogradDemo?.status), null, { timeout: 60_000 });
        expect(await page.evaluate(() => window.surrogradDemo.error)).toBe('');
        expect(await page.evaluate(() => window.surrogradDemo.backends)).toContain(backend);
        await page.click('#start');
        await page.waitForFunction(() => ['stopped', 'error'].includes(window.surrogradDemo.status), null, { timeout: 180_000 });
        const state = await page.evaluate(() => ({ ...window.surrogradDemo, points: window.surrogradDemo.chartPoints() }));
        expect(state.error).toBe('');
        expect(state.step).toBe(300);
        // The page is cross-origin isolated, so the wasm backend trains on every core the browser reports.
        expect(await page.evaluate(() => (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated)).toBe(true);
        const cores = await page.evaluate(() => navigator.hardwareConcurrency);
        expect(state.threads).toBe(backend === 'wasm' ? Math.min(cores, 8) : 1);

        // Accuracy on 1000 test images at steps 0, 100, 200, 300: from chance to well above it.
        const accuracies = state.evals.map((e) => e.accuracy);
        expect(state.evals.map((e) => e.step)).toEqual([0, 100, 200, 300]);
        expect(accuracies[0]).toBeLessThan(0.3);
        expect(accuracies.at(-1)).toBeGreaterThan(0.85);
        expect(accuracies.at(-1)).toBeGreaterThan((accuracies[1] as number) - 0.02);

        expect(state.points).toEqual({ loss: 300, accuracy: 4, sparsity: 4, dead: 4 });
        for (const id of ['chart-loss', 'chart-accuracy', 'chart-sparsity', 'chart-dead']) {
          expect(await colouredPixels(page, id), id).toBeGreaterThan(150);
        }
        expect(await page.locator('#grid .digit.right').count()).toBeGreaterThan(36);

        const pad = await page.locator('#pad').boundingBox();
        if (!pad) throw new Error('the drawing pad is not visible');
        await page.mouse.move(pad.x + pad.width / 2, pad.y + 40);
        await page.mouse.down();
        for (let y = 40; y <= pad.height - 40; y += 10) await page.mouse.move(pad.x + pad.width / 2 + 4, pad.y + y);
        await page.mouse.up();
        await page.waitForFunction(() => window.surrogradDemo.prediction !== null, null, { timeout: 20_000 });
        const prediction = await page.evaluate(() => window.surrogradDemo.prediction);
        expect(prediction?.label).toBe(1);
        expect(prediction?.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
        await expect(page.locator('#prediction').textContent()).resolves.toMatch(/prediction: 1 \(\d+%\)/);
        await page.screenshot({ path: join(SHOTS, `e2e-${backend}.png`), fullPage: true });
        expect(errors).toEqual([]);
      } finally {
        await page.close();
      }
    }, 600_000);
  }

  // The CNNs of the model picker, each trained briefly on the fastest CPU backend: steps, and the
  // activation layers whose sparsity the page plots.
  const CNNS = [
    { model: 'cnn', steps: 200, layers: 4 },
    { model: 'vgg', steps: 120, layers: 5 },
    { model: 'vgg-bn', steps: 120, layers: 5 },
  ] as const;
  for (const { model, steps, layers } of CNNS) {
    it(`trains the ${model} net on the fastest CPU backend: accuracy rises, one sparsity series per activation`, async () => {
      const backend = backends.includes('wasm') ? 'wasm' : 'cpu';
      const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      try {
        await page.goto(
          `${url}?backend=${backend}&model=${model}&steps=${steps}&evalEvery=${steps / 2}&batch=32&lr=0.002&evalExamples=500`,
        );
        await page.waitForFunction(() => ['ready', 'error'].includes(window.surrogradDemo?.status), null, { timeout: 60_000 });
        expect(await page.locator('#hidden').isDisabled()).toBe(true);
        await page.click('#start');
        await page.waitForFunction(() => ['stopped', 'error'].includes(window.surrogradDemo.status), null, { timeout: 300_000 });
        const state = await page.evaluate(() => ({ ...window.surrogradDemo }));
        expect(state.error).toBe('');
        expect([state.model, state.step]).toEqual([model, steps]);
        const accuracies = state.evals.map((e) => e.accuracy);
        expect(accuracies[0]).toBeLessThan(0.3);
        expect(accuracies.at(-1)).toBeGreaterThan(0.7);
        expect(state.evals.at(-1)?.sparsity.length).toBe(layers);
        expect(errors).toEqual([]);
      } finally {
        await page.close();
      }
    }, 600_000);
  }

  it('trains the spiking net and shows its spike raster and membranes, switching to a heaviside surrogate', async () => {
    const backend = backends.includes('wasm') ? 'wasm' : 'cpu';
    const page = await browser.newPage({ viewport: { width: 1280, height: 1200 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    try {
      await page.goto(`${url}?backend=${backend}&model=snn&steps=60&evalEvery=30&batch=32&lr=0.002&evalExamples=300`);
      await page.waitForFunction(() => ['ready', 'error'].includes(window.surrogradDemo?.status), null, { timeout: 60_000 });
      expect(await page.locator('#activation').inputValue()).toBe('heaviside/atan');
      await page.click('#start');
      await page.waitForFunction(() => ['stopped', 'error'].includes(window.surrogradDemo.status), null, { timeout: 300_000 });
      const state = await page.evaluate(() => ({ ...window.surrogradDemo }));
      expect(state.error).toBe('');
      expect([state.model, state.step, state.activation]).toEqual(['snn', 60, 'heaviside/atan(alpha=2)']);
      expect(state.evals.at(-1)?.accuracy).toBeGreaterThan(0.5);
      expect(state.spikes).toMatchObject({ steps: 25, membraneSeries: 10 });
      expect(state.spikes?.hiddenSpikes).toBeGreaterThan(0);
      expect(await page.locator('#spikes').isVisible()).toBe(true);
      await page.screenshot({ path: join(SHOTS, 'e2e-snn.png'), fullPage: true });
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 600_000);

  it('fits a 390 px phone screen, and refuses bad inputs on the page', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    try {
      await page.goto(`${url}?backend=cpu&steps=-5`);
      await page.waitForFunction(() => ['ready', 'error'].includes(window.surrogradDemo?.status), null, { timeout: 60_000 });
      const widths = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
      expect(widths[0]).toBeLessThanOrEqual(widths[1] as number);
      await page.screenshot({ path: join(SHOTS, 'e2e-390px.png'), fullPage: true });
      await page.click('#start');
      await page.waitForFunction(() => window.surrogradDemo.status === 'error', null, { timeout: 20_000 });
      expect(await page.evaluate(() => window.surrogradDemo.error)).toBe("steps must be a positive integer, got '-5'");
      expect(await page.evaluate(() => window.surrogradDemo.step)).toBe(0);
    } finally {
      await page.close();
    }
  }, 300_000);

  it('does not offer webgpu where the browser has no adapter', async () => {
    if (!backends.includes('webgpu')) return;
    // Without the WebGPU flags, headless Chromium has no adapter.
    const plain = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS.filter((f) => !/webgpu|swiftshader/.test(f)) });
    try {
      const page = await plain.newPage();
      await page.goto(`${url}?backend=webgpu`);
      await page.waitForFunction(() => ['ready', 'error'].includes(window.surrogradDemo?.status), null, { timeout: 60_000 });
      const option = await page.evaluate(() => {
        const o = document.querySelector<HTMLOptionElement>('#backend option[value="webgpu"]');
        return { disabled: o?.disabled, text: o?.text, selected: (document.getElementById('backend') as HTMLSelectElement).value };
      });
      expect(option).toEqual({
        disabled: true,
        text: 'webgpu (no WebGPU in this browser)',
        selected: backends.filter((b) => b !== 'webgpu')[0],
      });
      expect(await page.evaluate(() => window.surrogradDemo.backends)).not.toContain('webgpu');
    } finally {
      await plain.close();
    }
  }, 300_000);
});
