import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { lastJson, runCli, withoutTimes } from './cli-helpers.js';
import { writeTinyMnist } from './idx-files.js';

const dir = mkdtempSync(join(tmpdir(), 'surrograd-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Small runs: 2000 training images in batches of 32, 2000 test images, one hidden layer of 64.
const TINY = [
  '--limit',
  '2000',
  '--test-limit',
  '2000',
  '--epochs',
  '1',
  '--hidden',
  '64',
  '--batch',
  '32',
  '--lr',
  '0.003',
  '--backend',
  'cpu',
];

describe('train --json', () => {
  it('prints a JSON summary with accuracy, loss, timing, sparsity and dead units as the last stdout line', async () => {
    const run = await runCli(['train', ...TINY, '--activation', 'reluWithLeakyGrad:slope=0.1', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const s = lastJson(run);
    expect(s).toMatchObject({
      backend: 'cpu',
      activation: 'reluWithLeakyGrad(slope=0.1)',
      epochs: 1,
      steps: 63,
      trainExamples: 2000,
      testExamples: 2000,
    });
    expect(s.testAccuracy).toBeGreaterThan(0.8);
    expect(s.testAccuracy).toBeLessThanOrEqual(1);
    expect(s.testLoss).toBeGreaterThan(0);
    expect(s.testLoss).toBeLessThan(1);
    expect(s.msPerStep).toBeGreaterThan(0);
    for (const key of ['sparsity', 'deadUnits'] as const) {
      const v = s[key] as number[];
      expect(v).toHaveLength(1);
      expect(v[0]).toBeGreaterThanOrEqual(0);
      expect(v[0]).toBeLessThanOrEqual(1);
    }
    // ReLU's forward makes exact zeros.
    expect((s.sparsity as number[])[0]).toBeGreaterThan(0.2);
    // People's output goes to stderr, including the per-epoch table.
    expect(run.stderr).toMatch(/epoch +steps +train loss +test loss +test acc/);
    expect(run.stdout.trim().split('\n')).toHaveLength(1);
  });

  it('trains on the tfjs backend, on TensorFlow.js kernels', async () => {
    const run = await runCli(['train', ...TINY, '--backend', 'tfjs', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const s = lastJson(run);
    expect(s.backend).toBe('tfjs');
    expect(s.testAccuracy).toBeGreaterThan(0.8);
    expect(run.stderr).toMatch(/MNIST on 'tfjs' \(on tfjs-(wasm|cpu)\)/);
  });

  it('gives the same run for the same seed and a different one for another seed', async () => {
    const args = ['train', ...TINY, '--limit', '1000', '--json'];
    const [a, b, c] = await Promise.all([
      runCli([...args, '--seed', '3']),
      runCli([...args, '--seed', '3']),
      runCli([...args, '--seed', '4']),
    ]);
    const [sa, sb, sc] = [a, b, c].map(lastJson) as [Record<string, unknown>, Record<string, unknown>, Record<string, unknown>];
    expect(withoutTimes(sa)).toEqual(withoutTimes(sb));
    expect(sc.testLoss).not.toBe(sa.testLoss);
  });

  it('saves weights and loads them back to the same test result', async () => {
    const weights = join(dir, 'w.json');
    const trained = lastJson(await runCli(['train', ...TINY, '--activation', 'leakyRelu:slope=0.2', '--save', weights, '--json']));
    expect(existsSync(weights)).toBe(true);
    const loaded = await runCli(['train', '--backend', 'cpu', '--test-limit', '2000', '--load', weights, '--epochs', '0', '--json']);
    expect(loaded.code, loaded.stderr).toBe(0);
    const s = lastJson(loaded);
    expect(s).toMatchObject({ activation: 'leakyRelu(slope=0.2)', hidden: [64], steps: 0 });
    expect([s.testAccuracy, s.testLoss, s.sparsity, s.deadUnits]).toEqual([
      trained.testAccuracy,
      trained.testLoss,
      trained.sparsity,
      trained.deadUnits,
    ]);
    const truncated = join(dir, 'truncated.json');
    writeFileSync(truncated, readFileSync(weights, 'utf8').slice(0, 100));
    const cut = await runCli(['train', '--backend', 'cpu', '--load', truncated, '--epochs', '0']);
    expect(cut.code).toBe(1);
    expect(cut.stderr).toContain(`--load ${truncated}: neither a safetensors file nor valid JSON`);
    const clash = await runCli(['train', '--backend', 'cpu', '--load', weights, '--hidden', '32', '--epochs', '0']);
    expect(clash.code).toBe(1);
    expect(clash.stderr).toMatch(/the weights have hidden layers 64, --hidden asks for 32/);
  });

  it('trains the CNN, saves it as safetensors with PyTorch keys, and loads it back to the same result', async () => {
    const weights = join(dir, 'cnn.safetensors');
    const small = ['--limit', '512', '--test-limit', '256', '--epochs', '1', '--batch', '64', '--backend', 'cpu', '--json'];
    const trained = await runCli(['train', '--model', 'cnn', ...small, '--save', weights]);
    expect(trained.code, trained.stderr).toBe(0);
    const t = lastJson(trained);
    expect(t).toMatchObject({ model: 'cnn', steps: 8 });
    expect((t.sparsity as number[]).length).toBe(4);
    const bytes = readFileSync(weights);
    const header = JSON.parse(bytes.subarray(8, 8 + Number(bytes.readBigUInt64LE(0))).toString('utf8'));
    expect(Object.keys(header)).toContain('features.0.weight');
    expect(header.__metadata__.format).toBe('surrograd-demo-cnn');
    const loaded = await runCli(['train', '--backend', 'cpu', '--test-limit', '256', '--load', weights, '--epochs', '0', '--json']);
    expect(loaded.code, loaded.stderr).toBe(0);
    const l = lastJson(loaded);
    expect([l.model, l.testAccuracy, l.testLoss]).toEqual(['cnn', t.testAccuracy, t.testLoss]);
    const clash = await runCli(['train', '--backend', 'cpu', '--load', weights, '--model', 'mlp', '--epochs', '0']);
    expect(clash.code).toBe(1);
    expect(clash.stderr).toContain('the weights are of a cnn, --model asks for a mlp');
  });

  it('trains the VGG-style net with BatchNorm; its running statistics save and load with the weights', async () => {
    const weights = join(dir, 'vgg-bn.safetensors');
    const small = ['--limit', '128', '--test-limit', '64', '--epochs', '1', '--batch', '32', '--backend', 'cpu', '--json'];
    const trained = await runCli(['train', '--model', 'vgg-bn', ...small, '--save', weights]);
    expect(trained.code, trained.stderr).toBe(0);
    const t = lastJson(trained);
    expect(t).toMatchObject({ model: 'vgg-bn', steps: 4 });
    const bytes = readFileSync(weights);
    const header = JSON.parse(bytes.subarray(8, 8 + Number(bytes.readBigUInt64LE(0))).toString('utf8'));
    expect(header['features.1.num_batches_tracked']).toMatchObject({ dtype: 'I32', shape: [] });
    expect(Object.keys(header)).toContain('features.1.running_var');
    const loaded = await runCli(['train', '--backend', 'cpu', '--test-limit', '64', '--load', weights, '--epochs', '0', '--json']);
    expect(loaded.code, loaded.stderr).toBe(0);
    const l = lastJson(loaded);
    expect([l.model, l.testAccuracy, l.testLoss]).toEqual(['vgg-bn', t.testAccuracy, t.testLoss]);
  });

  it("trains the spiking net (snnTorch's tutorial 5), saves it with snnTorch's keys and loads it back to the same result", async () => {
    const weights = join(dir, 'snn.safetensors');
    const small = ['--limit', '128', '--test-limit', '64', '--batch', '32', '--backend', 'cpu', '--json'];
    const trained = await runCli(['train', '--model', 'snn', ...small, '--save', weights]);
    expect(trained.code, trained.stderr).toBe(0);
    const t = lastJson(trained);
    // The spiking net's own defaults: atan surrogate, one epoch.
    expect(t).toMatchObject({ model: 'snn', encoding: 'rate', activation: 'heaviside/atan(alpha=2)', epochs: 1, steps: 4 });
    expect((t.sparsity as number[]).length).toBe(1);
    const bytes = readFileSync(weights);
    const header = JSON.parse(bytes.subarray(8, 8 + Number(bytes.readBigUInt64LE(0))).toString('utf8'));
    expect(Object.keys(header)).toEqual(expect.arrayContaining(['fc1.weight', 'lif1.beta', 'lif1.threshold', 'lif2.graded_spikes_factor']));
    const loaded = await runCli(['train', '--backend', 'cpu', '--test-limit', '64', '--load', weights, '--epochs', '0', '--json']);
    expect(loaded.code, loaded.stderr).toBe(0);
    const l = lastJson(loaded);
    expect([l.model, l.testAccuracy, l.testLoss]).toEqual(['snn', t.testAccuracy, t.testLoss]);
    const direct = await runCli([
      'train',
      '--model',
      'snn',
      '--encoding',
      'direct',
      '--activation',
      'heaviside/fastSigmoid:slope=10',
      ...small,
    ]);
    expect(direct.code, direct.stderr).toBe(0);
    expect(lastJson(direct)).toMatchObject({ encoding: 'direct', activation: 'heaviside/fastSigmoid(slope=10)' });
    const relu = await runCli(['train', '--model', 'snn', '--activation', 'relu', ...small]);
    expect(relu.code).toBe(1);
    expect(relu.stderr).toContain(
      "--model snn spikes through heaviside: pick --activation heaviside/<surrogate> (e.g. heaviside/atan), got 'relu'",
    );
  });

  it('stops cleanly on Ctrl-C and prints the result so far', async () => {
    const run = await runCli(
      ['train', '--backend', 'cpu', '--hidden', '64', '--epochs', '5', '--test-limit', '1000', '--json'],
      (child) => {
        let sent = false;
        child.stderr?.on('data', (d: Buffer) => {
          if (!sent && d.toString().includes('MNIST on')) {
            sent = true;
            setTimeout(() => child.kill('SIGINT'), 1500);
          }
        });
      },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/stopping after this step/);
    expect(run.stderr).toMatch(/Stopped early — result so far: test accuracy/);
    const s = lastJson(run);
    expect(s.stopped).toBe(true);
    expect(s.steps).toBeGreaterThan(0);
    expect(s.steps).toBeLessThan(469 * 5);
    expect(s.testAccuracy).toBeGreaterThan(0.2);
  });

  it('explains bad input', async () => {
    const backend = await runCli(['train', '--backend', 'nope']);
    expect(backend.code).toBe(1);
    expect(backend.stderr).toMatch(/backend 'nope' is not one the demo knows; known: wasm, cpu, webgpu, tfjs, auto/);
    const data = await runCli(['train', '--backend', 'cpu', '--data', join(dir, 'missing')]);
    expect(data.code).toBe(1);
    expect(data.stderr).toMatch(/MNIST: cannot read .*missing\/train-images-idx3-ubyte \(ENOENT\)/);
    const activation = await runCli(['train', '--backend', 'cpu', '--activation', 'swish2']);
    expect(activation.code).toBe(1);
    expect(activation.stderr).toMatch(/activation 'swish2' is not in the installed @surrograd\/core; available: relu, leakyRelu/);
    const empty = join(dir, 'empty-test-split');
    mkdirSync(empty);
    writeTinyMnist(empty, 64, 0);
    const noTest = await runCli(['train', '--backend', 'cpu', '--data', empty]);
    expect(noTest.code).toBe(1);
    expect(noTest.stderr).toContain(`the test split in ${empty} has no images; nothing to evaluate on`);
    const epochs = await runCli(['train', '--backend', 'cpu', '--epochs', '']);
    expect(epochs.code).toBe(1);
    expect(epochs.stderr).toMatch(/--epochs must be a non-negative integer, got ''/);
  });
});

describe('datasets', () => {
  it('reads gzipped IDX files, and says how to get Fashion-MNIST when it is absent', async () => {
    const plain = join(dir, 'plain-idx');
    const zipped = join(dir, 'gzipped-idx');
    mkdirSync(plain);
    mkdirSync(zipped);
    writeTinyMnist(plain, 256, 128);
    for (const f of readdirSync(plain)) writeFileSync(join(zipped, `${f}.gz`), gzipSync(readFileSync(join(plain, f))));
    const args = ['train', '--backend', 'cpu', '--epochs', '1', '--hidden', '16', '--batch', '64', '--json'];
    const [a, b] = [await runCli([...args, '--data', plain]), await runCli([...args, '--data', zipped])];
    expect(b.code, b.stderr).toBe(0);
    expect(withoutTimes(lastJson(b))).toEqual(withoutTimes(lastJson(a)));
    const before = process.env.FASHION_MNIST_DIR;
    process.env.FASHION_MNIST_DIR = join(dir, 'no-fashion-here');
    try {
      const missing = await runCli(['train', '--backend', 'cpu', '--dataset', 'fashion-mnist']);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain("no-fashion-here does not exist; install it with 'apt-get install dataset-fashion-mnist'");
    } finally {
      if (before === undefined) delete process.env.FASHION_MNIST_DIR;
      else process.env.FASHION_MNIST_DIR = before;
    }
  });
});

describe('main and compare', () => {
  it('main prints the summary and where its report is', async () => {
    const out = join(dir, 'main-report');
    const run = await runCli(['main', '--limit', '1500', '--test-limit', '500', '--epochs', '1', '--hidden', '32', '--report', out]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/fastest CPU backend available/);
    expect(run.stdout).toMatch(/Result: test accuracy \d+\.\d+%/);
    expect(run.stdout).toContain(`Report: ${join(out, 'report.md')}`);
    const report = readFileSync(join(out, 'report.md'), 'utf8');
    expect(report).toMatch(/\*\*Test accuracy \d+\.\d+%\*\*/);
    for (const f of ['training-loss.svg', 'training-loss.png', 'first-layer-grad-norm.svg', 'summary.json'])
      expect(existsSync(join(out, f)), f).toBe(true);
  });

  it('compare pits heaviside surrogates against each other on the spiking net, skipping what does not spike', async () => {
    const out = join(dir, 'compare-snn');
    const run = await runCli([
      'compare',
      '--nets',
      'snn',
      '--activations',
      'heaviside/atan;heaviside/straightThrough;relu',
      '--backend',
      'cpu',
      '--limit',
      '64',
      '--test-limit',
      '32',
      '--batch',
      '32',
      '--seeds',
      '2',
      '--epochs',
      '1',
      '--out',
      out,
      '--json',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const s = lastJson(run);
    const studies = s.studies as { id: string; arms: { activation: string }[]; comparisons: { activation: string }[] }[];
    expect(studies.map((st) => st.id)).toEqual(['snn-mnist']);
    expect(studies[0]?.arms.map((a) => a.activation)).toEqual(['heaviside/atan(alpha=2)', 'heaviside/straightThrough']);
    // The spiking net's baseline is snnTorch's default surrogate.
    expect(studies[0]?.comparisons.map((c) => c.activation)).toEqual(['heaviside/straightThrough', 'heaviside/straightThrough']);
    expect(s.skipped).toContain('relu: the snn net spikes through heaviside surrogates, skipped for it');
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toMatch(/## Spiking net 784-1000-10/);
  });

  it('compare runs nets × datasets over seeds and writes the tested report with SVG and PNG charts', async () => {
    const out = join(dir, 'compare');
    const run = await runCli([
      'compare',
      '--backend',
      'cpu',
      '--nets',
      'default,deep',
      '--limit',
      '640',
      '--test-limit',
      '500',
      '--seeds',
      '2',
      '--epochs',
      '1',
      '--out',
      out,
      '--json',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const s = lastJson(run);
    const studies = s.studies as {
      id: string;
      arms: { activation: string; seeds: number; deadUnits: number[] }[];
      comparisons: { activation: string; outcome: string; holmP: number; significant: boolean }[];
    }[];
    expect(studies.map((st) => st.id)).toEqual(['default-mnist', 'deep-mnist']);
    const deep = studies[1];
    expect(deep?.arms.every((a) => a.seeds === 2 && a.deadUnits.length === 8)).toBe(true);
    expect(deep?.arms.map((a) => a.activation)).toEqual(
      expect.arrayContaining(['relu', 'leakyRelu(slope=0.01)', 'reluWithLeakyGrad(slope=0.01)', 'reluWithLeakyGrad(slope=0.1)']),
    );
    // Every non-baseline arm is tested on accuracy and dead units, with a Holm-adjusted p.
    expect(deep?.comparisons.length).toBe(2 * ((deep?.arms.length ?? 0) - 1));
    expect(deep?.comparisons.every((c) => typeof c.holmP === 'number' && c.significant === c.holmP < 0.05)).toBe(true);
    const report = readFileSync(join(out, 'report.md'), 'utf8');
    for (const heading of ['## The answer', '## How this was made', '### Method', '## Every test', '## Deep narrow MLP'])
      expect(report).toContain(heading);
    expect(report).toMatch(/reluWithLeakyGrad\(slope=0\.1\) vs relu \| test accuracy/);
    for (const study of ['default-mnist', 'deep-mnist']) {
      for (const chart of ['accuracy', 'dead-units', 'grad-norm', 'loss']) {
        const svg = readFileSync(join(out, `${study}-${chart}.svg`), 'utf8');
        expect(svg).toMatch(/^<svg/);
        const png = readFileSync(join(out, `${study}-${chart}.png`));
        expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
        expect(report).toContain(`${study}-${chart}.svg`);
      }
    }
  });

  it('compare refuses an unknown dataset or net, naming the known ones', async () => {
    const bad = await runCli(['compare', '--datasets', 'imagenet']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("--datasets: unknown dataset 'imagenet'; known: mnist, fashion-mnist, cifar10");
    const net = await runCli(['compare', '--nets', 'alexnet']);
    expect(net.stderr).toMatch(/--nets: unknown net 'alexnet'; known: default, deep, snn, lenet, vgg, vgg-bn, resnet/);
  });
});
