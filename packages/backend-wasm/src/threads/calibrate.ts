/**
 * The sizes from which sharing a kernel's work pays, measured on this machine when a pool starts.
 * A pool call costs a wake and a join; sharing n units of work between t threads saves about
 * n·u·(1 − 1/t), u being one unit's time on one thread. The threshold is where the saving is twice
 * the call's cost, kept within bounds so one noisy measurement cannot turn sharing off or on for
 * everything. Which sizes are shared never changes a result: every split gives identical bits.
 */
import type { KernelExports } from '../kernel-exports.js';
import type { ParallelThresholds } from '../kernels/parts.js';

/** What a pool call and one unit of work cost here, in microseconds. */
export interface ThreadCosts {
  /** A pool call with no work on every thread: the wake and the join. */
  callUs: number;
  /** One element of a cheap activation gradient on one thread (a conservative unit: most kernels cost more). */
  elementUs: number;
  /** One multiply-add of a small matrix product on one thread. */
  macUs: number;
}

/** Bounds of the measured thresholds. */
const ELEMENTS = { min: 1 << 12, max: 1 << 20, align: 1024 };
const MACS = { min: 1 << 14, max: 1 << 22 };

/** The thresholds for `threads` threads from the measured costs. */
export function thresholdsFor(costs: ThreadCosts, threads: number): ParallelThresholds {
  const share = threads > 1 ? 1 - 1 / threads : 1;
  const elements = (2 * costs.callUs) / (costs.elementUs * share);
  const macs = (2 * costs.callUs) / (costs.macUs * share);
  const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, Number.isFinite(v) ? v : hi));
  return {
    elements: Math.ceil(clamp(elements, ELEMENTS.min, ELEMENTS.max) / ELEMENTS.align) * ELEMENTS.align,
    macs: Math.ceil(clamp(macs, MACS.min, MACS.max)),
  };
}

/** The median time in microseconds of `runs` calls of `f`, after a few untimed ones. */
function medianUs(f: () => void, runs: number): number {
  for (let i = 0; i < 3; i++) f();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    f();
    times.push((performance.now() - t0) * 1000);
  }
  times.sort((a, b) => a - b);
  return times[runs >> 1] as number;
}

/** What calibration needs of the backend: raw kernel calls on a scratch block, and pool calls. */
export interface Calibrated {
  readonly kernels: Pick<KernelExports, 'memory' | 'activationGradMask' | 'matmulF32' | 'matmulScratchBytes'>;
  parallel(kernel: 'activationGradMask', tasks: readonly (readonly number[])[]): void;
  withTemp<T>(bytes: number, op: string, body: (ptr: number) => T): T;
}

/** Measures this machine's costs with `threads` threads running (about 20 ms; the pool must be started). */
export function measureCosts(backend: Calibrated, threads: number): ThreadCosts {
  const n = 1 << 16;
  const side = 64;
  const bytes = n * 4 * 2 + (n >> 3) + side * side * 4 * 3 + backend.kernels.matmulScratchBytes(side);
  return backend.withTemp(bytes, 'setThreads (calibration)', (base) => {
    const [dy, dx, mask] = [base, base + n * 4, base + n * 8];
    const [a, b, c] = [mask + (n >> 3), mask + (n >> 3) + side * side * 4, mask + (n >> 3) + 2 * side * side * 4];
    const work = c + side * side * 4;
    // Zeros: no NaN or denormal to slow the arithmetic down; only the time matters.
    new Uint8Array(backend.kernels.memory.buffer, base, bytes).fill(0);
    const empty = Array.from({ length: threads }, () => [dy, mask, dx, 0, 0, 1]);
    const callUs = medianUs(() => backend.parallel('activationGradMask', empty), 31);
    const elementUs = medianUs(() => backend.kernels.activationGradMask(dy, mask, dx, n, 0, 1), 9) / n;
    const macUs = medianUs(() => backend.kernels.matmulF32(a, b, c, side, side, side, side, 1, side, 1, work), 9) / (side * side * side);
    return { callUs, elementUs, macUs };
  });
}
