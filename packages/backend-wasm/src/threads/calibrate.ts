/**
 * The sizes from which sharing a kernel's work pays, measured on this machine when a pool starts.
 * A pool call costs a wake and a join, and moving the data between the cores' caches; sharing n
 * units of work between t threads saves about n·u·(1 − 1/t), u being one unit's time on one
 * thread. The threshold is where the saving is MARGIN times the call's cost, kept within bounds so
 * one noisy measurement cannot turn sharing off or on for everything. Which sizes are shared never changes a result: every split gives identical bits.
 */
import type { KernelExports } from '../kernel-exports.js';
import { alignedParts, type ParallelThresholds } from '../kernels/parts.js';

/** What a pool call and one unit of work cost here, in microseconds. */
export interface ThreadCosts {
  /**
   * What sharing a kernel costs beyond each thread's share of its work: the wake and the join, and
   * the data the calling thread just wrote crossing to the workers' caches and the results coming
   * back (measured on 64K elements; at least an empty pool call's cost).
   */
  callUs: number;
  /** One element of a cheap activation gradient on one thread (a conservative unit: most kernels cost more). */
  elementUs: number;
  /** One multiply-add of a small matrix product on one thread. */
  macUs: number;
}

/** Bounds of the measured thresholds. */
const ELEMENTS = { min: 1 << 12, max: 1 << 20, align: 1024 };
const MACS = { min: 1 << 14, max: 1 << 22 };

/**
 * The saving, as a multiple of the measured cost, from which a kernel is shared. Below 1 because
 * the cost is measured in isolation, where every byte crosses between caches; inside a training
 * step the workers' caches already hold much of what they touch next (their columns of the
 * weights, the rows they wrote). Tuned on the bench's MLP step on 2 threads (section 9): it ran
 * 1.53× one thread (mean of 3 runs here) with sharing from 23K–60K elements (an earlier
 * calibration's), and 1.30× (mean of 9) from about 110K (a margin of 1.5). 0.5 lands near 36K.
 */
export const MARGIN = 0.5;

/**
 * The margin for matrix products, higher than MARGIN: sharing a product costs more than the call
 * and the data crossing that MARGIN is set against, since every task of a column split packs all
 * of a transposed A again (a row-major A it reads in place) and of a row split all of B, reading
 * operands another core just wrote. Measured on 2 threads here, paired rounds in one process
 * (before row-major A was read in place): from the ~100K–170K multiply-adds that MARGIN gave,
 * LeNet-5's step (per-image conv GEMMs of 117K–240K, products of 645K) ran slower than on one
 * thread, and the MLP step shared its 327K products of the 10-wide last layer at a loss; with 4
 * (about 1M) LeNet's step ran 5–22% faster and the MLP's 2.4% faster, neither slower than 1 thread.
 */
export const PRODUCT_MARGIN = 4;

/** The thresholds for `threads` threads from the measured costs. */
export function thresholdsFor(costs: ThreadCosts, threads: number): ParallelThresholds {
  const share = threads > 1 ? 1 - 1 / threads : 1;
  const elements = (MARGIN * costs.callUs) / (costs.elementUs * share);
  const macs = (PRODUCT_MARGIN * costs.callUs) / (costs.macUs * share);
  const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, Number.isFinite(v) ? v : hi));
  return {
    elements: Math.ceil(clamp(elements, ELEMENTS.min, ELEMENTS.max) / ELEMENTS.align) * ELEMENTS.align,
    macs: Math.ceil(clamp(macs, MACS.min, MACS.max)),
  };
}

/**
 * Each of `a` and `b`'s costs, the lower: other load only ever adds time, so the lower of two
 * measurements taken at different moments is the nearer to what the machine costs when quiet.
 */
export function lowerCosts(a: ThreadCosts, b: ThreadCosts): ThreadCosts {
  return { callUs: Math.min(a.callUs, b.callUs), elementUs: Math.min(a.elementUs, b.elementUs), macUs: Math.min(a.macUs, b.macUs) };
}

/**
 * Milliseconds after a pool starts at which its costs are measured again (WasmBackend's
 * remeasureCosts, on a timer: between the program's own work), the lower of each kept. A pool
 * starts while its program does (a page loading, a script importing its modules), the moment a
 * machine is most likely busy, and kept what it measured then for as long as it ran: here, about
 * one start in a dozen on a busy 2-core VM measured a call at 63 µs against the usual 3.5–9, and
 * shared nothing under 210K elements or 4M multiply-adds (the bound) for the process's life.
 */
export const REMEASURE_MS = 2000;

/** Milliseconds a measured call runs untimed before it is timed: V8 first runs wasm as baseline code and swaps in optimized code some milliseconds later, 2-4× as fast. */
export const WARM_MS = 5;

/** Untimed work around each timed call: what the calling thread does to the data between kernels. */
interface Around {
  before(): void;
  after(): void;
}

const NOTHING: Around = { before() {}, after() {} };

/**
 * The median time in microseconds of `runs` calls of `f` once it runs at its steady speed: after
 * `warmMs` of untimed calls, so a unit is not timed on V8's baseline code (which would make sharing
 * look worth it at sizes where the optimized kernels lose to a pool call's cost).
 */
function steadyUs(f: () => void, runs: number, around: Around = NOTHING, warmMs = WARM_MS): number {
  const until = performance.now() + warmMs;
  while (performance.now() < until) {
    around.before();
    f();
    around.after();
  }
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    around.before();
    const t0 = performance.now();
    f();
    times.push((performance.now() - t0) * 1000);
    around.after();
  }
  times.sort((a, b) => a - b);
  return times[runs >> 1] as number;
}

/** Rounds of the sharing cost's measurement: the least is kept, as other load only ever adds time. */
const COST_ROUNDS = 3;

/** What calibration needs of the backend: raw kernel calls on a scratch block, and pool calls. */
export interface Calibrated {
  readonly kernels: Pick<KernelExports, 'memory' | 'activationGradMask' | 'matmulF32' | 'matmulScratchBytes'>;
  parallel(kernel: 'activationGradMask', tasks: readonly (readonly number[])[]): void;
  withTemp<T>(bytes: number, op: string, body: (ptr: number) => T): T;
}

/** Measures this machine's costs with `threads` threads running (about 30 ms; the pool must be started); `op` names the call in errors. */
export function measureCosts(backend: Calibrated, threads: number, op = 'setThreads (calibration)'): ThreadCosts {
  const n = 1 << 16;
  const side = 64;
  const bytes = n * 4 * 2 + (n >> 3) + side * side * 4 * 3 + backend.kernels.matmulScratchBytes(side);
  return backend.withTemp(bytes, op, (base) => {
    const [dy, dx, mask] = [base, base + n * 4, base + n * 8];
    const [a, b, c] = [mask + (n >> 3), mask + (n >> 3) + side * side * 4, mask + (n >> 3) + 2 * side * side * 4];
    const work = c + side * side * 4;
    const memory = backend.kernels.memory.buffer;
    // Zeros: no NaN or denormal to slow the arithmetic down; only the time matters.
    new Uint8Array(memory, base, bytes).fill(0);
    const alone = () => backend.kernels.activationGradMask(dy, mask, dx, n, 0, 1);
    const elementUs = steadyUs(alone, 9) / n;
    const macUs = steadyUs(() => backend.kernels.matmulF32(a, b, c, side, side, side, side, 1, side, 1, work), 9) / (side * side * side);
    // As in a training step, this thread writes the input before each kernel and reads the output
    // after it, so a shared call also pays for those bytes crossing to the workers' caches and back.
    const input = new Float32Array(memory, dy, n);
    const output = new Float32Array(memory, dx, n);
    const chained: Around = {
      before: () => input.fill(0),
      after() {
        let any = 0;
        for (let i = 0; i < n; i += 16) any += output[i] as number;
        if (any !== 0) throw new Error(`${op}: a gradient of zeros came back non-zero`);
      },
    };
    const tasks = alignedParts(n, 1024, threads).map(([first, count]) => [dy + first * 4, mask + first / 8, dx + first * 4, count, 0, 1]);
    const shared = () => backend.parallel('activationGradMask', tasks);
    const empty = tasks.map(([x, m, y]) => [x as number, m as number, y as number, 0, 0, 1]);
    const idle = steadyUs(() => backend.parallel('activationGradMask', empty), 31);
    let sharingUs = Number.POSITIVE_INFINITY;
    for (let round = 0; round < COST_ROUNDS; round++) {
      const warmMs = round === 0 ? WARM_MS : 0;
      const cost = steadyUs(shared, 31, chained, warmMs) - steadyUs(alone, 31, chained, warmMs) / threads;
      sharingUs = Math.min(sharingUs, cost);
    }
    return { callUs: Math.max(idle, sharingUs), elementUs, macUs };
  });
}
