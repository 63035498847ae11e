import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fashionMnistDir } from '../src/cli/load-data.js';
import { writeTinyCifar } from './cifar-files.js';
import { lastJson, runCli } from './cli-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'surrograd-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// The committed report's command on its tiny preset: the structure is checked, not the numbers.
describe('report --preset tiny', () => {
  it('writes the answer first, the setup, every test, and a section with charts per study', async () => {
    const cifar = writeTinyCifar(join(dir, 'cifar'));
    const out = join(dir, 'results');
    const runs = join(dir, 'runs.json.gz');
    const run = await runCli(['report', '--preset', 'tiny', '--data-dir', cifar, '--out', out, '--save-runs', runs, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const report = readFileSync(join(out, 'report.md'), 'utf8');
    const h2 = [...report.matchAll(/^## (.*)$/gm)].map((m) => m[1] as string);
    expect(h2[0]).toBe('The answer');
    expect(h2).toEqual(expect.arrayContaining(['How this was made', 'Every test']));
    expect(report).toMatch(
      /- Command: `surrograd-demo report --preset tiny --data-dir \S+ --out \S+ --json` \(3 seeds per activation, batch 64\)\./,
    );
    expect(report).toMatch(/- Machine: .*, \d+ cores, \d+ GiB/);
    expect(report).toMatch(/- Backend: `wasm` with \d+ thread\(s\); packages @surrograd\/core \d+\.\d+\.\d+/);
    expect(report).toMatch(/took \d+\.\d minutes in all/);
    expect(report).toMatch(/SUGAR’s direction/);

    const fashion = existsSync(fashionMnistDir());
    const expected = [
      'default-mnist',
      'deep-mnist',
      ...(fashion ? ['lenet-fashion-mnist', 'vgg-fashion-mnist', 'vgg-bn-fashion-mnist', 'resnet-fashion-mnist'] : []),
      'vgg-cifar10',
      'snn-mnist',
    ];
    if (!fashion) expect(report).toContain('Fashion-MNIST was not there');
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'));
    expect(summary.studies.map((s: { id: string }) => s.id)).toEqual(expected);
    expect(summary.setup.environment.cores).toBeGreaterThan(0);
    for (const study of summary.studies as { id: string; arms: { seeds: number }[]; comparisons: { holmP: number }[] }[]) {
      expect(study.arms.length).toBe(2);
      expect(study.arms.every((a) => a.seeds === 3)).toBe(true);
      // Each study: one activation against its baseline, on accuracy and on dead units.
      expect(study.comparisons.length).toBe(2);
      for (const chart of ['accuracy', 'dead-units', 'grad-norm', 'loss']) {
        expect(readFileSync(join(out, `${study.id}-${chart}.svg`), 'utf8')).toMatch(/^<svg/);
        expect(report).toContain(`](${study.id}-${chart}.svg)`);
      }
    }
    // The committed report keeps SVGs only.
    expect(readdirSync(out).filter((f) => f.endsWith('.png'))).toEqual([]);
    expect(report).toMatch(/## VGG-style CNN without BatchNorm .* on CIFAR-10/);
    expect(report).toMatch(/\| vgg-cifar10 \| bSiLU\(alpha=1\.67\) vs relu \| test accuracy \|/);
    // The saved runs write the same report again without training.
    const again = join(dir, 'again');
    const rerun = await runCli(['report', '--from-runs', runs, '--out', again]);
    expect(rerun.code, rerun.stderr).toBe(0);
    expect(readFileSync(join(again, 'report.md'), 'utf8')).toBe(report);
    expect(readFileSync(join(again, 'vgg-cifar10-accuracy.svg'), 'utf8')).toBe(readFileSync(join(out, 'vgg-cifar10-accuracy.svg'), 'utf8'));
    const json = lastJson(run);
    expect(json.notRun).toEqual(fashion ? [] : expect.arrayContaining([expect.stringContaining('Fashion-MNIST was not there')]));
  });

  it('says when CIFAR-10 was not there, and runs the rest', async () => {
    delete process.env.CIFAR10_DIR;
    const out = join(dir, 'no-cifar');
    const run = await runCli(
      [
        'compare',
        '--nets',
        'vgg',
        '--datasets',
        'cifar10,mnist',
        '--activations',
        'relu',
        '--limit',
        '32',
        '--test-limit',
        '16',
        '--seeds',
        '1',
        '--out',
        out,
      ],
      undefined,
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/not run: VGG-style CNN without BatchNorm .* on CIFAR-10: CIFAR-10 was not there \(pass --data-dir/);
    const report = readFileSync(join(out, 'report.md'), 'utf8');
    expect(report).toContain('CIFAR-10 was not there');
    expect(report).toMatch(/## VGG-style CNN without BatchNorm .* on MNIST/);
  });

  it('refuses an unknown preset', async () => {
    const run = await runCli(['report', '--preset', 'huge']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("--preset: unknown preset 'huge'; known: full, tiny");
  });
});
