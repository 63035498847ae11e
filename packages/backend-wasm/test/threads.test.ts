/**
 * The worker pool: the parallel kernels give the same bits on several threads as on one (rows of
 * a product and runs of elements split where one thread's instructions would be the same), the
 * thread count follows setThreads, and bad counts are clear errors.
 */
import '../src/index.js';
import '@surrograd/backend-cpu';
import {
  argmax,
  argmin,
  broadcastTo,
  bSiLU,
  cast,
  concat,
  conv2d,
  currentBackend,
  gather,
  heaviside,
  matmul,
  maxPool2d,
  memory,
  nn,
  pad,
  permute,
  randn,
  reluWithLeakyGrad,
  removeBackend,
  setBackend,
  type Tensor,
  tensor,
  tidy,
  where,
  zeros,
} from '@surrograd/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BINARY_OPS } from '../src/generated/elementwise-ops.js';
import { availableCores, MAX_DEFAULT_THREADS, registerWasmBackend, setThreads, type WasmBackend } from '../src/index.js';
import { thresholdsFor } from '../src/threads/calibrate.js';
import { type CoreWatch, STRIKES, WINDOW_MS } from '../src/threads/core-watch.js';

/** Every output and gradient of `f` on fresh inputs of `shapes`, read back. */
async function outputsOf(f: (...xs: Tensor[]) => Tensor, shapes: number[][]): Promise<Float32Array[]> {
  // NaN bytes in every free block: an output a kernel leaves partly unwritten cannot pass for
  // right by reusing the buffer of the run before.
  (currentBackend() as WasmBackend).allocator.fillFree(0xff);
  const xs = shapes.map((s, i) => randn(s, { seed: 40 + i }).requiresGrad_(true));
  const results = tidy(() => {
    const y = f(...xs);
    y.backward(randn(y.shape, { seed: 99 }));
    return [y, ...xs.map((x) => x.grad as Tensor)];
  });
  const values = await Promise.all(results.map(async (t) => Float32Array.from(await t.data())));
  for (const t of [...results, ...xs]) t.dispose();
  return values;
}

const CASES: [string, (...xs: Tensor[]) => Tensor, number[][]][] = [
  [
    'matmul 260×300·300×270',
    (a, b) => matmul(a as Tensor, b as Tensor),
    [
      [260, 300],
      [300, 270],
    ],
  ],
  [
    'batched matmul with a transposed operand',
    (a, b) => matmul(a as Tensor, (b as Tensor).transpose(-1, -2)),
    [
      [3, 130, 200],
      [3, 150, 200],
    ],
  ],
  [
    'linear 260×300 to 270 (split by columns, each adding its part of the bias)',
    (x, w, b) => nn.linear(x as Tensor, w as Tensor, b as Tensor),
    [[260, 300], [270, 300], [270]],
  ],
  ['linear 600×128 to 60 (split by rows)', (x, w, b) => nn.linear(x as Tensor, w as Tensor, b as Tensor), [[600, 128], [60, 128], [60]]],
  [
    "conv2d 16×1×12×12 by 6×1×5×5, padding 2 (small images: runs of whole images, and the filter gradient by runs of one channel's taps)",
    (x, w) => conv2d(x as Tensor, w as Tensor, undefined, { padding: 2 }),
    [
      [16, 1, 12, 12],
      [6, 1, 5, 5],
    ],
  ],
  [
    'conv2d 10×6×8×8 by 16×6×3×3 (small images: the filter gradient by runs of channel × tap rows, cut inside a channel)',
    (x, w) => conv2d(x as Tensor, w as Tensor),
    [
      [10, 6, 8, 8],
      [16, 6, 3, 3],
    ],
  ],
  [
    'grouped conv2d 40×4×17×16 by 6×2×3×3, 2 groups, stride 2, dilation 2, padding 1 (runs of whole images)',
    (x, w) => conv2d(x as Tensor, w as Tensor, undefined, { groups: 2, stride: 2, dilation: 2, padding: 1 }),
    [
      [40, 4, 17, 16],
      [6, 2, 3, 3],
    ],
  ],
  [
    'conv2d 8×16×20×20 by 32×16×3×3',
    (x, w) => conv2d(x as Tensor, w as Tensor, undefined, { padding: 1 }),
    [
      [8, 16, 20, 20],
      [32, 16, 3, 3],
    ],
  ],
  ['bSiLU on 300,001 elements', (x) => bSiLU(x as Tensor), [[300_001]]],
  ['reluWithLeakyGrad (a bit mask) on 300,001 elements', (x) => reluWithLeakyGrad(x as Tensor, { slope: 0.1 }), [[300_001]]],
  ['heaviside (atan) on 300,001 elements', (x) => heaviside(x as Tensor, { surrogate: 'atan' }), [[300_001]]],
  [
    'a·b + a/2 − exp(b) on 200,003 elements (binary and unary runs)',
    (a, b) =>
      (a as Tensor)
        .mul(b as Tensor)
        .add((a as Tensor).div(2))
        .sub((b as Tensor).exp()),
    [[200_003], [200_003]],
  ],
  [
    'broadcast ops over rows: x·scale[c] + shift[c] on 16×33×30×31, and x − mean over the last axis',
    (x, scale, shift) =>
      (x as Tensor)
        .mul(scale as Tensor)
        .add(shift as Tensor)
        .sub((x as Tensor).mean(-1, true)),
    [
      [16, 33, 30, 31],
      [1, 33, 1, 1],
      [33, 1, 1],
    ],
  ],
  [
    'a + alpha·b on 300,001 elements (an SGD update, one fused pass)',
    (a, b) => (a as Tensor).add(b as Tensor, { alpha: -0.01 }),
    [[300_001], [300_001]],
  ],
  [
    'where(a < b, a, 2b) on 300,001 elements (one run recut into rows, and its tail)',
    (a, b) => where((a as Tensor).lt(b as Tensor), a as Tensor, (b as Tensor).mul(2)),
    [[300_001], [300_001]],
  ],
  [
    'where(x > row, x, row) broadcast over 600×501',
    (x, row) => where((x as Tensor).gt(row as Tensor), x as Tensor, row as Tensor),
    [
      [600, 501],
      [1, 501],
    ],
  ],
  [
    'softmax cross-entropy, 3,000 rows of 101 classes',
    (logits) =>
      nn.crossEntropy(
        logits as Tensor,
        Int32Array.from({ length: 3000 }, (_, i) => (i * 37) % 101),
      ),
    [[3000, 101]],
  ],
  ['sum of 300,001 elements (chunked partial sums)', (x) => (x as Tensor).sum(), [[300_001]]],
  ['sum over the first axis of 700×500', (x) => (x as Tensor).sum(0), [[700, 500]]],
  ['max over the last axis of 300×1,001', (x) => (x as Tensor).max(-1), [[300, 1001]]],
  ['mean over the middle axes of 7×30×40×53', (x) => (x as Tensor).mean([1, 2]), [[7, 30, 40, 53]]],
  ['min over the first two axes of 90×80×61', (x) => (x as Tensor).min([0, 1]), [[90, 80, 61]]],
  ['sum over the axes a batch norm reduces, [0, 2, 3] of 16×33×30×31', (x) => (x as Tensor).sum([0, 2, 3]), [[16, 33, 30, 31]]],
  ['max over axes [0, 2] of 40×9×700', (x) => (x as Tensor).max([0, 2]), [[40, 9, 700]]],
  // A million window taps each: shared at any measured threshold.
  ['max pool 2×2 of 16×64×32×32 (runs of planes)', (x) => maxPool2d(x as Tensor, 2), [[16, 64, 32, 32]]],
  [
    'gather with repeated indices (runs of indices), whose backward adds them back by runs of destinations',
    // More destinations and updates than any measured threshold (at most 2^20): shared whatever it is.
    (x) =>
      gather(
        x as Tensor,
        tensor(
          Int32Array.from({ length: 500_000 }, (_, i) => (i * 7919) % 600_001),
          { dtype: 'int32' },
        ),
      ),
    [[600_001]],
  ],
  // Layout copies, rows of the plan on threads (over 2^20 elements: shared at any threshold).
  ['permute of 40×30×31×29 to [0, 2, 3, 1]', (x) => permute(x as Tensor, [0, 2, 3, 1]), [[40, 30, 31, 29]]],
  // In 4×4 tiles: threads take runs of a batch's items, or of rows when there are fewer items than tasks.
  ['permute of 9×181×1,003 to [0, 2, 1] (a batch of transposes)', (x) => permute(x as Tensor, [0, 2, 1]), [[9, 181, 1003]]],
  ['permute of 1,027×1,031 to [1, 0] (one transpose)', (x) => permute(x as Tensor, [1, 0]), [[1027, 1031]]],
  // Short rows over the last axis, folded straight into the output, runs of rows on threads.
  [
    'sum over the last axis of 70,001×2 and of 9,001×37',
    (a, b) => (a as Tensor).sum(-1).add((b as Tensor).sum(-1).sum()),
    [
      [70001, 2],
      [9001, 37],
    ],
  ],
  ['max over the last axis of 9,001×37', (x) => (x as Tensor).max(-1), [[9001, 37]]],
  // Fused over the last axis, runs of rows on threads.
  ['softmax over the last axis of 2,049×517', (x) => (x as Tensor).softmax(), [[2049, 517]]],
  ['logSoftmax over the last axis of 2,049×517', (x) => (x as Tensor).logSoftmax(), [[2049, 517]]],
  [
    'concat along the middle of 3×200×1,801 and 3×150×1,801, then padded',
    (a, b) =>
      pad(concat([a as Tensor, b as Tensor], 1), [
        [0, 0],
        [3, 2],
        [1, 0],
      ]),
    [
      [3, 200, 1801],
      [3, 150, 1801],
    ],
  ],
  ['broadcastTo 1×1,100,003 → 2×1,100,003 (one contiguous run, recut)', (x) => broadcastTo(x as Tensor, [2, 1_100_003]), [[1, 1_100_003]]],
  ['max pool 3×3, stride 2, padding 1 of 16×32×33×33', (x) => maxPool2d(x as Tensor, 3, { stride: 2, padding: 1 }), [[16, 32, 33, 33]]],
  [
    'casts between float32, int32 and bool (runs of elements) and argmax over rows (runs of rows) of 300×1,001',
    (x) => {
      const X = x as Tensor;
      const mask = cast(X.gt(0), 'float32');
      const truncated = cast(cast(X.mul(100), 'int32'), 'float32');
      const arg = cast(argmax(X, -1, true), 'float32');
      return X.mul(mask).add(truncated).add(arg);
    },
    [[300, 1001]],
  ],
  [
    'gather along axis 1 of 50×6,000 (runs of outer rows)',
    (x) =>
      gather(
        x as Tensor,
        tensor(
          Int32Array.from({ length: 4000 }, (_, i) => (i * 131) % 6000),
          { dtype: 'int32' },
        ),
        1,
      ),
    [[50, 6000]],
  ],
  [
    'argmin over the middle axis of 60×50×300 (runs of outer rows, 300 outputs each)',
    (x) => (x as Tensor).add(cast(argmin(x as Tensor, 1, true), 'float32')),
    [[60, 50, 300]],
  ],
];

describe('the wasm worker pool', () => {
  let backend: WasmBackend;
  beforeAll(async () => {
    await setBackend('wasm');
    backend = currentBackend() as WasmBackend;
    // The test runner keeps this machine's cores busy: the cases below must really run shared.
    backend.dynamicThreads = false;
  });
  afterAll(async () => {
    await setThreads(Math.min(await availableCores(), MAX_DEFAULT_THREADS));
  });

  it('starts with the available cores (capped), on shared memory', async () => {
    expect(backend.shared).not.toBeNull();
    expect(backend.kernels.memory.buffer instanceof SharedArrayBuffer).toBe(true);
    expect(backend.threads).toBe(Math.min(await availableCores(), MAX_DEFAULT_THREADS));
  });

  for (const [name, f, shapes] of CASES) {
    it(`gives the same bits on 1, 2 and 3 threads: ${name}`, async () => {
      const before = memory().numTensors;
      expect(await setThreads(1)).toBe(1);
      const one = await outputsOf(f, shapes);
      for (const n of [2, 3]) {
        expect(await setThreads(n)).toBe(n);
        expect(backend.threads).toBe(n);
        // Low thresholds, whatever this machine measured: every case's kernels are shared.
        backend.thresholds = { elements: 1 << 14, macs: 1 << 16 };
        const many = await outputsOf(f, shapes);
        expect(many.length).toBe(one.length);
        many.forEach((values, k) => {
          const want = one[k] as Float32Array;
          for (let i = 0; i < want.length; i++) {
            if (!Object.is(values[i], want[i]))
              throw new Error(`${name}, output ${k}[${i}]: ${values[i]} on ${n} threads, ${want[i]} on one`);
          }
        });
      }
      expect(memory().numTensors).toBe(before);
    });
  }

  it('runs every task exactly once when a call has more tasks than threads, parked workers taking none', async () => {
    // In-place increments: a task run twice, or skipped, leaves its slice at 2 or 0.
    const tasks = 8;
    const each = 1024;
    const n = tasks * each;
    for (const [threads, active] of [
      [3, 3],
      [3, 2],
      [3, 1],
    ] as const) {
      await setThreads(threads);
      await setThreads(active);
      backend.withTemp(n * 8, 'test', (base) => {
        const [x, one] = [base, base + n * 4];
        backend.f32.fill(0, x >> 2, (x >> 2) + n);
        backend.f32.fill(1, one >> 2, (one >> 2) + n);
        for (let round = 0; round < 50; round++) {
          backend.parallel(
            'binaryRunF32',
            Array.from({ length: tasks }, (_, t) => [BINARY_OPS.add as number, x + t * each * 4, x + t * each * 4, 1, one, 0, each]),
          );
        }
        const values = backend.f32.subarray(x >> 2, (x >> 2) + n);
        const wrong = values.findIndex((v) => v !== 50);
        expect(wrong === -1 ? 'every element 50' : `element ${wrong} is ${values[wrong]} on ${active} of ${threads} threads`).toBe(
          'every element 50',
        );
      });
    }
  });

  it('runs calls on as many threads as a busy machine gives, every task once, then on all of them again', async () => {
    const tasks = 12;
    const each = 1024;
    const n = tasks * each;
    await setThreads(3);
    backend.dynamicThreads = true;
    const { watch } = (backend as unknown as { pool: { watch: CoreWatch } }).pool;
    // Told what a busy machine looks like, the pool runs the next call on the cores its calls got:
    // 2 of 3 (one worker parks until it may take tasks again) or this thread alone. All threads
    // come back when the pause is over (its verdict forgotten, as the pool's next call finds it),
    // or at once when a thread count is chosen again. The verdicts are dated a minute ahead, so a
    // slow machine cannot end a pause before the test looks.
    const cases = [
      { cores: 1.6, back: 'setThreads' },
      { cores: 1.6, back: 'pause over' },
      { cores: 0.7, back: 'pause over' },
    ] as const;
    try {
      for (const { cores, back } of cases) {
        const before = backend.callsOnFewerThreads;
        for (let i = 0; i < STRIKES; i++) watch.add(cores * WINDOW_MS, WINDOW_MS, 3, performance.now() + 60_000);
        // A block held across the await below (withTemp's lives for a synchronous body).
        const block = backend.allocator.alloc(n * 8, 'test');
        try {
          const [x, one] = [block.ptr, block.ptr + n * 4];
          backend.f32.fill(0, x >> 2, (x >> 2) + n);
          backend.f32.fill(1, one >> 2, (one >> 2) + n);
          const call = () =>
            backend.parallel(
              'binaryRunF32',
              Array.from({ length: tasks }, (_, t) => [BINARY_OPS.add as number, x + t * each * 4, x + t * each * 4, 1, one, 0, each]),
            );
          call();
          expect(backend.callsOnFewerThreads).toBe(before + 1);
          if (back === 'setThreads') {
            // A worker parked a moment ago comes back with the others.
            expect(await setThreads(3)).toBe(3);
          } else {
            watch.reset();
          }
          for (let round = 1; round < 50; round++) call();
          const values = backend.f32.subarray(x >> 2, (x >> 2) + n);
          const wrong = values.findIndex((v) => v !== 50);
          expect(wrong === -1 ? 'every element 50' : `element ${wrong} is ${values[wrong]} after ${cores} cores, back by ${back}`).toBe(
            'every element 50',
          );
        } finally {
          backend.allocator.release(block);
        }
      }
    } finally {
      backend.dynamicThreads = false;
    }
  });

  it('keeps a fixed thread count when registered with dynamicThreads: false, and stops its workers when removed', async () => {
    registerWasmBackend({ name: 'wasm-fixed-threads', threads: 2, dynamicThreads: false });
    await setBackend('wasm-fixed-threads');
    const fixed = currentBackend() as WasmBackend;
    try {
      expect(fixed.threads).toBe(2);
      expect(fixed.dynamicThreads).toBe(false);
      expect((fixed as unknown as { pool: { watching: boolean } }).pool.watching).toBe(false);
      fixed.dynamicThreads = true;
      expect((fixed as unknown as { pool: { watching: boolean } }).pool.watching).toBe(true);
      expect(backend.dynamicThreads).toBe(false);
    } finally {
      await setBackend('wasm');
      removeBackend('wasm-fixed-threads');
    }
    // Removed, the backend stops its workers.
    expect((fixed as unknown as { pool: unknown }).pool).toBeNull();
    expect(fixed.threads).toBe(1);
  });

  it('measures its costs again, keeping the lower of each, the thresholds following; by itself some time after a pool starts', async () => {
    type Costs = { callUs: number; elementUs: number; macUs: number };
    const costsOf = (b: WasmBackend) => b as unknown as { costs: Costs };
    await setThreads(2);
    // As if the pool had started on a busy machine: every cost far above what this one measures.
    const busy = { callUs: 1e6, elementUs: 1, macUs: 1 };
    costsOf(backend).costs = { ...busy };
    backend.remeasureCosts();
    const after = costsOf(backend).costs;
    expect(after.callUs).toBeLessThan(busy.callUs);
    expect(after.elementUs).toBeLessThan(busy.elementUs);
    expect(after.macUs).toBeLessThan(busy.macUs);
    expect(backend.thresholds).toEqual(thresholdsFor(after, 2));
    // Costs below anything measurable stay: a second measurement only ever lowers them.
    const quiet = { callUs: 1e-6, elementUs: 1e-9, macUs: 1e-9 };
    costsOf(backend).costs = { ...quiet };
    backend.remeasureCosts();
    expect(costsOf(backend).costs).toEqual(quiet);
    // On one thread nothing is shared, so there is nothing to measure.
    await setThreads(1);
    costsOf(backend).costs = { ...busy };
    backend.remeasureCosts();
    expect(costsOf(backend).costs).toEqual(busy);
    await setThreads(2);

    // A new pool measures again on its own, REMEASURE_MS after it starts.
    registerWasmBackend({ name: 'wasm-remeasured', threads: 2 });
    await setBackend('wasm-remeasured');
    const fresh = currentBackend() as WasmBackend;
    try {
      costsOf(fresh).costs = { ...busy };
      for (let waited = 0; costsOf(fresh).costs.callUs === busy.callUs && waited < 60_000; waited += 100) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(costsOf(fresh).costs.callUs).toBeLessThan(busy.callUs);
      expect(fresh.thresholds).toEqual(thresholdsFor(costsOf(fresh).costs, 2));
    } finally {
      await setBackend('wasm');
      removeBackend('wasm-remeasured');
    }
  });

  it('keeps its first measurement when the memory has no room for the second, and goes on working', async () => {
    const MiB = 1 << 20;
    registerWasmBackend({ name: 'wasm-full', threads: 2, maxMemoryBytes: 32 * MiB });
    await setBackend('wasm-full');
    const full = currentBackend() as WasmBackend;
    const state = full as unknown as { costs: object; remeasureTimer: unknown };
    const first = { ...state.costs };
    const held: Tensor[] = [];
    try {
      // The program's tensors fill the memory: 1 MiB blocks, then 16 KiB ones, until none fits.
      for (const size of [MiB / 4, 4096]) {
        try {
          for (;;) held.push(zeros([size]));
        } catch (e) {
          expect(String(e)).toMatch(/memory/i);
        }
      }
      // Asked for, it says why it cannot; from the timer, it lets the first measurement stand.
      expect(() => full.remeasureCosts()).toThrow(/^remeasureCosts: out of wasm memory/);
      expect(state.costs).toEqual(first);
      for (let waited = 0; state.remeasureTimer !== null && waited < 60_000; waited += 100) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(state.remeasureTimer).toBeNull();
      expect(state.costs).toEqual(first);
    } finally {
      for (const t of held) t.dispose();
    }
    // Room again: the backend works, on threads.
    const x = randn([300, 300], { seed: 1 });
    const y = matmul(x, x);
    expect(y.shape).toEqual([300, 300]);
    for (const t of [x, y]) t.dispose();
    await setBackend('wasm');
    removeBackend('wasm-full');
  });

  it('measures the sizes from which sharing pays, within bounds, for the running thread count', async () => {
    await setThreads(2);
    const two = { ...backend.thresholds };
    expect(two.elements).toBeGreaterThanOrEqual(1 << 12);
    expect(two.elements).toBeLessThanOrEqual(1 << 20);
    expect(two.elements % 1024).toBe(0);
    expect(two.macs).toBeGreaterThanOrEqual(1 << 14);
    expect(two.macs).toBeLessThanOrEqual(1 << 22);
    await setThreads(3);
    // More threads share more of the work, so sharing pays from smaller sizes (or the same, at a bound).
    expect(backend.thresholds.elements).toBeLessThanOrEqual(two.elements * 1.5);
  });

  it('refuses a thread count that is not a positive integer', async () => {
    await expect(setThreads(0)).rejects.toThrow('setThreads: expected a positive integer, got 0');
    await expect(setThreads(1.5)).rejects.toThrow('setThreads: expected a positive integer, got 1.5');
    await expect(setThreads(2, 'cpu')).rejects.toThrow("setThreads: backend 'cpu' is not a wasm backend");
  });
});
