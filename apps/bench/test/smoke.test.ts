/**
 * CI's check that the bench keeps working: the built CLI in smoke mode (tiny sizes, 1–2 runs)
 * must finish and write results with every section and sane fields. No timing is asserted.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Stats } from '../src/measure/stats.js';
import type { BenchResults } from '../src/results.js';

const run = promisify(execFile);
const cli = new URL('../dist/cli.js', import.meta.url).pathname;

let results: BenchResults;
let stdout: string;
let docs: string;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'surrograd-bench-'));
  const out = await run(process.execPath, [cli, '--smoke', '--out', join(dir, 'smoke.json'), '--docs', join(dir, 'benchmarks.md')], {
    maxBuffer: 16 << 20,
  });
  stdout = out.stdout;
  results = JSON.parse(readFileSync(join(dir, 'smoke.json'), 'utf8')) as BenchResults;
  docs = readFileSync(join(dir, 'benchmarks.md'), 'utf8');
}, 300_000);

function expectSaneStats(s: Stats | null, runs: number): void {
  expect(s).not.toBeNull();
  const t = s as Stats;
  expect(t.runs).toBe(runs);
  for (const v of [t.minMs, t.q1Ms, t.medianMs, t.q3Ms, t.maxMs]) expect(Number.isFinite(v) && v >= 0).toBe(true);
  expect(t.minMs <= t.q1Ms && t.q1Ms <= t.medianMs && t.medianMs <= t.q3Ms && t.q3Ms <= t.maxMs).toBe(true);
}

describe('bench smoke run', () => {
  it('describes the machine and the run', () => {
    expect(results.mode).toBe('smoke');
    expect(results.machine.cores).toBeGreaterThan(0);
    expect(results.machine.cpu.length).toBeGreaterThan(0);
    expect(results.machine.node).toBe(process.version);
    expect(Date.parse(results.date)).not.toBeNaN();
  });

  it('starts the cpu backend and the pinned peers, and says why anything else did not start', () => {
    expect(results.backends.find((b) => b.label === 'cpu')?.status).toBe('ok');
    for (const b of results.backends) if (b.status !== 'ok') expect(b.reason?.length).toBeGreaterThan(0);
    const peers = Object.fromEntries(results.peers.map((p) => [p.label, p]));
    expect(peers['tfjs-cpu']).toMatchObject({ version: '4.22.0', status: 'ok' });
    expect(peers['tfjs-wasm']).toMatchObject({ version: '4.22.0', status: 'ok' });
    expect(peers['jax-js-wasm']).toMatchObject({ version: '0.1.25', status: 'ok' });
  });

  it('times each featured activation pass on every started backend, with the copy limit beside it', () => {
    const s = results.sections.activations!;
    expectSaneStats(s.copy.stats, results.config.activationReps.runs);
    const started = results.backends.filter((b) => b.status === 'ok').map((b) => b.label);
    for (const backend of started) {
      for (const activation of ['reluWithLeakyGrad', 'bSiLU', 'heaviside (fastSigmoid)']) {
        for (const pass of ['forward', 'backward']) {
          const row = s.rows.find((r) => r.backend === backend && r.activation === activation && r.pass === pass);
          expect(row, `${backend} ${activation} ${pass}`).toBeDefined();
        }
      }
    }
    for (const row of s.rows.filter((r) => r.backend === 'cpu')) {
      expect(row.error).toBeUndefined();
      expectSaneStats(row.stats, results.config.activationReps.runs);
      expect(row.bytes).toBeGreaterThanOrEqual(8 * s.elements);
    }
  });

  it("measures a started GPU backend's rows against a copy on its own GPU", () => {
    const s = results.sections.activations!;
    const gpu = results.backends.find((b) => b.label === 'webgpu' && b.status === 'ok');
    if (!gpu) {
      expect(s.gpuCopies).toBeUndefined();
      return;
    }
    const copy = s.gpuCopies?.find((g) => g.backend === 'webgpu');
    expect(copy?.error).toBeUndefined();
    expectSaneStats(copy!.stats, results.config.activationReps.runs);
    expect(copy!.bytes).toBe(8 * s.elements);
    const row = s.rows.find((r) => r.backend === 'webgpu' && r.gbPerS !== null)!;
    expect(row.ofCopy).toBeCloseTo(row.gbPerS! / copy!.gbPerS!, 6);
    expect(docs).toContain('a buffer-to-buffer copy on its device');
  });

  it('runs the activation four ways, with temporary memory for ours, tfjs and jax-js', () => {
    const rows = results.sections.fourWays!.rows;
    for (const way of ['fused', 'straightThrough', 'detach']) {
      const row = rows.find((r) => r.runsOn === 'cpu' && r.way === way)!;
      expectSaneStats(row.stats, results.config.activationReps.runs);
      // y and dx are held at the end of the call at least.
      expect(row.tempBytes).toBeGreaterThanOrEqual(8 * results.sections.fourWays!.elements);
    }
    expect(rows.find((r) => r.runsOn === 'cpu' && r.way === 'fused')?.vsFused).toBe(1);
    const tfjs = rows.find((r) => r.runsOn === 'tfjs-cpu' && r.way === 'tfjs customGrad')!;
    expect(tfjs.group).toBe('cpu');
    expect(tfjs.tempBytes).toBeGreaterThan(0);
    const jax = rows.find((r) => r.runsOn === 'jax-js-wasm jit' && r.way === 'jax-js stopGradient')!;
    expectSaneStats(jax.stats, results.config.activationReps.runs);
  });

  it('trains the same MLP step everywhere: every contender starts from the same loss', () => {
    const s = results.sections.mlp!;
    expect(s.dims).toEqual(results.config.mlp.dims);
    const names = s.rows.map((r) => r.contender);
    expect(names).toEqual(expect.arrayContaining(['cpu', 'tfjs-cpu', 'tfjs-wasm', 'jax-js-wasm jit', 'jax-js-wasm']));
    const cpu = s.rows.find((r) => r.contender === 'cpu')!;
    for (const r of s.rows.filter((x) => !x.error)) {
      expectSaneStats(r.stats, results.config.mlpReps.runs);
      expect(r.firstLoss).toBeCloseTo(cpu.firstLoss!, 4);
    }
    expect(s.rows.find((r) => r.contender === 'tfjs-cpu')?.vsTfjsCpu).toBe(1);
  });

  it('measures matmul on the MLP shapes (transposed operands included) and on squares', () => {
    const rows = results.sections.matmul!.rows.filter((r) => r.contender === 'cpu');
    expect(rows.some((r) => r.transposeA)).toBe(true);
    expect(rows.some((r) => r.transposeB)).toBe(true);
    expect(rows.filter((r) => r.role === 'square').map((r) => r.m)).toEqual(results.config.squareSizes);
    for (const r of rows) expect(r.gflops).toBeGreaterThan(0);
  });

  it('measures per-op overhead against tfjs', () => {
    const rows = results.sections.dispatch!.rows;
    for (const op of ['add', 'relu', 'matmul 2×2', 'grad of sum(a·b)']) {
      expect(rows.find((r) => r.op === op && r.contender === 'cpu')?.usPerOp).toBeGreaterThan(0);
      expect(rows.find((r) => r.op === op && r.contender === 'tfjs-cpu')?.usPerOp).toBeGreaterThan(0);
    }
  });

  it('measures the bytes kept for backward: a bit per element for mask derivatives, the input for x derivatives', () => {
    const rows = Object.fromEntries(results.sections.savedBytes!.rows.map((r) => [r.activation, r]));
    expect(rows.reluWithLeakyGrad?.ours).toBe(0.125);
    expect(rows.bSiLU?.ours).toBe(4);
    expect(rows.sigmoid?.ours).toBe(0);
    expect(rows.reluWithLeakyGrad?.pytorch?.bytes).toBe(4);
    expect(rows.relu?.tfjs?.bytes).toBe(4);
  });

  it('trains LeNet-5 with every contender from the same weights, and times conv2d against its GEMM', () => {
    const s = results.sections.cnn!;
    const losses = s.steps.filter((r) => r.firstLoss !== null).map((r) => r.firstLoss as number);
    expect(s.steps.find((r) => r.contender === 'wasm')?.stats).not.toBeNull();
    expect(s.steps.find((r) => r.contender === 'jax-js-wasm jit')?.stats).not.toBeNull();
    // Everyone computes the same first step (tfjs-wasm cannot train it: no Conv2DBackpropFilter).
    for (const l of losses) expect(Math.abs(l - (losses[0] as number))).toBeLessThan(1e-4);
    expect(s.steps.find((r) => r.contender === 'tfjs-wasm')?.error).toMatch(/Conv2DBackpropFilter/);
    for (const pass of ['forward', 'forward+backward']) {
      const row = s.conv.find((r) => r.contender === 'wasm' && r.pass === pass);
      expectSaneStats(row?.stats ?? null, results.config.cnnReps.runs);
      expect(row?.ofGemm).toBeGreaterThan(0);
    }
  });

  it('runs a Leaky layer over time both ways on each backend, with peak temporary memory', () => {
    const s = results.sections.snn!;
    for (const path of ['sequence', 'stepwise'] as const) {
      const row = s.rows.find((r) => r.contender === 'wasm' && r.path === path);
      expectSaneStats(row?.stats ?? null, results.config.snnReps.runs);
      expect(row?.peakTemporaryBytes).toBeGreaterThanOrEqual(0);
    }
  });

  it('runs wasm on 1 and 2 threads (and all the cores) in the same rounds, with jax-js beside the MLP step', () => {
    const s = results.sections.threads!;
    expect(s.counts.slice(0, 2)).toEqual([1, 2]);
    for (const task of [
      'matmul',
      'MLP layer 1',
      'bSiLU forward + backward',
      'sum of',
      'conv2d forward + backward',
      'softmax cross-entropy',
      'MLP step',
    ]) {
      for (const n of s.counts) {
        const row = s.rows.find((r) => r.task.startsWith(task) && r.threads === n);
        expectSaneStats(row?.stats ?? null, results.config.threadsReps.runs);
      }
    }
    expect(s.rows.some((r) => r.contender === 'jax-js-wasm jit' && r.stats !== null)).toBe(true);
    expect(stdout).toContain('### 9. Threads');
    // What the backend's dynamicThreads did is counted and said, whatever this machine's load was.
    expect(Number.isInteger(s.callsOnFewerThreads)).toBe(true);
    expect(s.callsOnFewerThreads).toBeGreaterThanOrEqual(0);
    expect(stdout).toMatch(
      s.callsOnFewerThreads === 0
        ? /Every parallel call ran on the threads asked for\./
        : /\d+ parallel calls? ran on fewer threads than asked/,
    );
  });

  it('reports the cpu and wasm goals without asserting them', () => {
    expect(results.goals.map((g) => `${g.backend} ${g.direction} ${g.target}`)).toEqual([
      'cpu atMost 0.5',
      'cpu atMost 0.1',
      'wasm atMost 0.8',
      'wasm atMost 3',
      'wasm atMost 0.5',
      'wasm atMost 0.1',
      'wasm atLeast 40',
      'wasm atMost 0.15',
      'wasm atMost 0.02',
      'wasm atLeast 0.7',
      'wasm atMost 0.2',
      'wasm atMost 0.25',
      'cpu atMost 1.5',
      'wasm atMost 1.5',
      'wasm atMost 6',
      'wasm atLeast 1.8',
      'wasm atLeast 1.8',
      'wasm atLeast 1.6',
      'wasm atMost 0.4',
    ]);
    for (const g of results.goals) {
      expect(g.measured, g.name).toBeGreaterThan(0);
      expect(g.met, g.name).toBe(g.direction === 'atMost' ? (g.measured as number) <= g.target : (g.measured as number) >= g.target);
    }
    expect(stdout).toContain('### Goals for the wasm backend');
  });

  it('prints every section as markdown and writes the docs page', () => {
    for (const heading of ['### 1.', '### 2.', '### 3.', '### 4.', '### 5.', '### 6.', '### 7.', '### 8.', '### Goals'])
      expect(stdout).toContain(heading);
    expect(docs).toContain('## Reproduce');
    expect(docs).toContain('npx -y pnpm@12.4.2 bench');
    expect(docs).toMatch(/GPU speed is unmeasured|measured on/);
    expect(docs).toContain(results.machine.node);
  });
});
