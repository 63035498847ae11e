/**
 * Section 9: the wasm backend on one thread and on several, in the same rounds: matmul 512³, the
 * MLP's layer-1 product, the memory-bound kernels threads share (an activation's forward and
 * backward, a long sum, softmax cross-entropy), a conv layer's forward and backward, and the MLP's
 * SGD step, with jax-js's jitted wasm
 * step beside it. The other sections run wasm on one thread, so their goals stay "one core".
 */
import { availableParallelism } from 'node:os';
import { bSiLU, conv2d, findBackend, matmul, nn, type Tensor, tensor, tidy } from '@surrograd/core';
import type { OurBackend } from '../contenders/ours.js';
import type { BenchContext } from '../context.js';
import { uniformArray } from '../data.js';
import { scaleStats } from '../measure/stats.js';
import { type Contender, timeInterleaved } from '../measure/timer.js';
import type { ThreadsRow, ThreadsSection } from '../results.js';
import { jaxTrainer, ourMlp } from './mlp.js';
import { makeMlpData } from './mlp-setup.js';
import { ourTrainer } from './step-trainers.js';

/** The wasm backend's thread control, as @surrograd/backend-wasm's WasmBackend has it. */
interface Threaded {
  threads: number;
  setThreads(n: number): Promise<number>;
  readonly callsOnFewerThreads?: number;
}

/** The wasm backend's default cap (MAX_DEFAULT_THREADS in @surrograd/backend-wasm). */
const MAX_THREADS = 8;

/** The thread counts compared: 1, 2 (the goals'), and all the cores where there are more. */
export function threadCounts(cores: number, max: number): number[] {
  return [...new Set([1, 2, Math.min(cores, max)])].filter((n) => n <= Math.max(2, Math.min(cores, max))).sort((a, b) => a - b);
}

/** The contender `b` pinned to `n` threads: each timed call first sets them (untimed; the workers are awake when it resolves). */
function onThreads(b: OurBackend, threaded: Threaded, n: number, c: Contender): Contender {
  return warmed({
    id: `${b.label}, ${n} thread${n === 1 ? '' : 's'}`,
    async prepare() {
      await b.use();
      await threaded.setThreads(n);
      await c.prepare?.();
    },
    run: c.run,
  });
}

/**
 * `c` with an untimed call of its own before each timed one. The rounds interleave thread counts,
 * and a call right after another contender's finds its workers' caches holding that one's data
 * (and the weights it updated on one core): the timed call then runs as it would in a loop of its
 * own, which is how a program runs, on the thread count it chose.
 */
function warmed(c: Contender): Contender {
  return {
    id: c.id,
    async prepare() {
      await c.prepare?.();
      await c.run();
    },
    run: c.run,
  };
}

export async function runThreads(ctx: BenchContext): Promise<ThreadsSection | undefined> {
  const wasm = ctx.ours.find((b) => b.name === 'wasm');
  const threaded = findBackend('wasm') as unknown as Threaded | undefined;
  if (!wasm || !threaded?.setThreads) return undefined;
  const cores = availableParallelism();
  const fewerBefore = threaded.callsOnFewerThreads ?? 0;
  const counts = threadCounts(cores, MAX_THREADS);
  const rows: ThreadsRow[] = [];
  const { squareSize: s, mlp } = { squareSize: ctx.config.threadsSquare, mlp: ctx.config.mlp };
  const products: [string, number, number, number][] = [
    [`matmul ${s}×${s}·${s}×${s}`, s, s, s],
    [
      `MLP layer 1 forward, ${mlp.batch}×${mlp.dims[0]}·${mlp.dims[0]}×${mlp.dims[1]}`,
      mlp.batch,
      mlp.dims[0] as number,
      mlp.dims[1] as number,
    ],
  ];
  for (const [task, m, k, n] of products) {
    ctx.log(`threads: ${task}`);
    const av = uniformArray(m * k, 21);
    const bv = uniformArray(k * n, 22);
    const held: { operands: [Tensor, Tensor] | null } = { operands: null };
    const product: Contender = {
      id: task,
      prepare() {
        held.operands ??= [tensor(av, { shape: [m, k] }), tensor(bv, { shape: [k, n] })];
      },
      run() {
        const [a, b] = held.operands as [Tensor, Tensor];
        matmul(a, b).dispose();
      },
    };
    const contenders = counts.map((c) => onThreads(wasm, threaded, c, product));
    const outcomes = await timeInterleaved(contenders, ctx.config.threadsReps);
    for (const t of held.operands ?? []) t.dispose();
    for (const [i, c] of contenders.entries()) {
      const o = outcomes.get(c.id);
      rows.push({
        task,
        contender: c.id,
        threads: counts[i] as number,
        stats: o?.stats ?? null,
        error: o?.error,
        gflops: o?.stats ? (2 * m * k * n) / o.stats.medianMs / 1e6 : null,
      });
    }
  }
  for (const k of kernelTasks(ctx)) {
    ctx.log(`threads: ${k.task}`);
    const held: { inputs: Tensor[] | null } = { inputs: null };
    const kernel: Contender = {
      id: k.task,
      prepare() {
        held.inputs ??= k.inputs();
      },
      run() {
        k.run(held.inputs as Tensor[]);
      },
    };
    const contenders = counts.map((c) => onThreads(wasm, threaded, c, kernel));
    const outcomes = await timeInterleaved(contenders, ctx.config.threadsReps);
    for (const t of held.inputs ?? []) t.dispose();
    for (const [i, c] of contenders.entries()) {
      const o = outcomes.get(c.id);
      rows.push({ task: k.task, contender: c.id, threads: counts[i] as number, stats: o?.stats ?? null, error: o?.error, gflops: null });
    }
  }
  const task = `MLP step ${mlp.dims.join('-')}, batch ${mlp.batch}`;
  ctx.log(`threads: ${task}`);
  const data = makeMlpData(mlp);
  const trainers = counts.map((c) => ({ c, t: ourTrainer(wasm, () => ourMlp(data)) }));
  const jaxStep = ctx.jax ? jaxTrainer(data, true) : null;
  // Each timed run is a few consecutive steps, reported per step: a training loop's pace, which
  // one step between other contenders' (its weights last updated, its workers last woken, by
  // another core's turn) would understate on a busy machine.
  const steps = ctx.config.threadsStepsPerRun;
  const contenders = [
    ...trainers.map(({ c, t }) => onThreads(wasm, threaded, c, consecutive(t.run, steps))),
    ...(jaxStep ? [warmed(consecutive(jaxStep.run, steps))] : []),
  ];
  const outcomes = await timeInterleaved(contenders, ctx.config.threadsReps);
  for (const { t } of trainers) t.dispose();
  jaxStep?.dispose();
  for (const [i, c] of contenders.entries()) {
    const o = outcomes.get(c.id);
    rows.push({
      task,
      contender: c.id,
      threads: i < counts.length ? (counts[i] as number) : null,
      stats: o?.stats ? scaleStats(o.stats, 1 / steps) : null,
      error: o?.error,
      gflops: null,
    });
  }
  await threaded.setThreads(1);
  return { cores, counts, rows, callsOnFewerThreads: (threaded.callsOnFewerThreads ?? 0) - fewerBefore };
}

/** `c` run `k` times in a row per call. */
function consecutive(c: Contender, k: number): Contender {
  return {
    id: c.id,
    prepare: c.prepare,
    async run() {
      for (let i = 0; i < k; i++) await c.run();
    },
  };
}

/** A kernel timed on each thread count: its inputs, made once, and one call. */
interface KernelTask {
  task: string;
  inputs(): Tensor[];
  run(inputs: Tensor[]): void;
}

/** The memory-bound kernels the pool shares, at the activation section's size. */
function kernelTasks(ctx: BenchContext): KernelTask[] {
  const n = ctx.config.activationElements;
  const rows = Math.max(1, n >> 9);
  const label = (count: number) => (count >= 1 << 20 ? `${count / (1 << 20)}M` : `${count}`);
  return [
    {
      task: `bSiLU forward + backward, ${label(n)} floats`,
      inputs: () => [tensor(uniformArray(n, 31), { requiresGrad: true }), tensor(uniformArray(n, 32))],
      run([x, dy]) {
        tidy(() => bSiLU(x as Tensor).backward(dy as Tensor));
        (x as Tensor).grad = null;
      },
    },
    {
      task: `sum of ${label(n)} floats`,
      inputs: () => [tensor(uniformArray(n, 33))],
      run: ([x]) => (x as Tensor).sum().dispose(),
    },
    ...convTask(ctx),
    {
      task: `softmax cross-entropy forward + backward, ${rows}×512`,
      inputs: () => [
        tensor(uniformArray(rows * 512, 34), { shape: [rows, 512], requiresGrad: true }),
        tensor(
          Int32Array.from({ length: rows }, (_, i) => (i * 37) % 512),
          { dtype: 'int32' },
        ),
      ],
      run([logits, labels]) {
        tidy(() => nn.crossEntropy(logits as Tensor, labels as Tensor).backward());
        (logits as Tensor).grad = null;
      },
    },
  ];
}

/** The largest conv layer of section 7, forward and backward: its GEMMs and its im2col/col2im on threads. */
function convTask(ctx: BenchContext): KernelTask[] {
  const layer = ctx.config.convLayers[ctx.config.convLayers.length - 1];
  if (!layer) return [];
  const { batch, inChannels: c, outChannels: o, size, kernel: k, padding } = layer;
  return [
    {
      task: `conv2d forward + backward, ${layer.name}`,
      inputs: () => [
        tensor(uniformArray(batch * c * size * size, 35), { shape: [batch, c, size, size], requiresGrad: true }),
        tensor(uniformArray(o * c * k * k, 36), { shape: [o, c, k, k], requiresGrad: true }),
      ],
      run([x, w]) {
        tidy(() =>
          conv2d(x as Tensor, w as Tensor, undefined, { padding })
            .sum()
            .backward(),
        );
        (x as Tensor).grad = null;
        (w as Tensor).grad = null;
      },
    },
  ];
}
