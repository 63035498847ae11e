/**
 * Section 1: each featured activation's forward and backward pass on each backend, as time and
 * GB/s, next to a Float32Array.prototype.set of the same elements timed in the same rounds: the
 * memory-bandwidth limit a one-read-one-write pass can reach. A GPU backend's rows are measured
 * against its device's own limit instead: a buffer-to-buffer copy of the same bytes on that GPU.
 */
import { findBackend, type Tensor, tensor } from '@surrograd/core';
import type { OurBackend } from '../contenders/ours.js';
import type { BenchContext } from '../context.js';
import { uniformArray } from '../data.js';
import { summarize } from '../measure/stats.js';
import { type Contender, timeInterleaved } from '../measure/timer.js';
import type { ActivationRow, ActivationSection } from '../results.js';
import { FEATURED, type FeaturedActivation, passBytes, savedFrom } from './featured.js';
import { checkAgainstCpu } from './reference.js';

const gbPerS = (bytes: number, ms: number) => bytes / (ms * 1e6);

interface PassTimes {
  forward: number[];
  backward: number[];
}

/** A contender whose one call times forward and backward separately (it records both itself). */
function activationContender(
  b: OurBackend,
  act: FeaturedActivation,
  xs: Float32Array,
  dys: Float32Array,
  times: PassTimes,
  created: Tensor[],
): Contender {
  let x: Tensor | null = null;
  let dy: Tensor | null = null;
  return {
    id: `${b.label}|${act.label}`,
    async prepare() {
      await b.use();
      if (!x) {
        const problem = await checkAgainstCpu(b, act.fn);
        if (problem) throw new Error(`wrong result: ${problem}`);
        x = tensor(xs, { requiresGrad: true });
        dy = tensor(dys);
        created.push(x, dy);
      }
    },
    async run() {
      const xt = x as Tensor;
      const t0 = performance.now();
      const y = act.fn(xt);
      await b.sync();
      const t1 = performance.now();
      y.backward(dy as Tensor);
      await b.sync();
      const t2 = performance.now();
      times.forward.push(t1 - t0);
      times.backward.push(t2 - t1);
      y.dispose();
      xt.grad = null;
    },
  };
}

/** What the copy on the GPU needs of a WebGPU device (the webgpu package's or a browser's). */
interface CopyDevice {
  createBuffer(d: { size: number; usage: number }): { destroy(): void };
  createCommandEncoder(): { copyBufferToBuffer(a: unknown, ao: number, b: unknown, bo: number, size: number): void; finish(): unknown };
  queue: { submit(buffers: unknown[]): void; onSubmittedWorkDone(): Promise<void> };
}

// GPUBufferUsage.COPY_SRC | COPY_DST (the constants are not globals in Node).
const COPY_SRC_DST = 0x0004 | 0x0008;

/**
 * A copy of `bytes` bytes between two buffers of the GPU backend `b`'s device, waited for as the
 * backend's passes are (submit, then the queue drained): the bandwidth limit of a pass that reads
 * and writes each element once on that GPU. Null where the backend has no WebGPU device.
 */
function gpuCopyContender(b: OurBackend, bytes: number, made: { destroy(): void }[]): Contender | null {
  const device = (findBackend(b.name) as { device?: CopyDevice } | undefined)?.device;
  if (!device?.createCommandEncoder) return null;
  const half = bytes / 2;
  let buffers: [unknown, unknown] | null = null;
  return {
    id: `${b.label}|copy`,
    prepare() {
      if (buffers) return;
      const src = device.createBuffer({ size: half, usage: COPY_SRC_DST });
      const dst = device.createBuffer({ size: half, usage: COPY_SRC_DST });
      made.push(src, dst);
      buffers = [src, dst];
    },
    async run() {
      const [src, dst] = buffers as [unknown, unknown];
      const encoder = device.createCommandEncoder();
      encoder.copyBufferToBuffer(src, 0, dst, 0, half);
      device.queue.submit([encoder.finish()]);
      await device.queue.onSubmittedWorkDone();
    },
  };
}

export async function runActivations(ctx: BenchContext): Promise<ActivationSection> {
  const n = ctx.config.activationElements;
  const reps = ctx.config.activationReps;
  const xs = uniformArray(n, 1);
  const dys = uniformArray(n, 2, 0.5, 1.5);
  const copyTarget = new Float32Array(n);
  const copyBytes = 8 * n;
  const contenders: Contender[] = [{ id: 'copy', run: () => copyTarget.set(xs) }];
  const times = new Map<string, PassTimes>();
  const created: Tensor[] = [];
  const gpuBuffers: { destroy(): void }[] = [];
  const gpuCopies = new Map<string, Contender>();
  for (const b of ctx.ours) {
    const c = gpuCopyContender(b, copyBytes, gpuBuffers);
    if (c) gpuCopies.set(b.label, c);
  }
  contenders.push(...gpuCopies.values());
  for (const b of ctx.ours) {
    for (const act of FEATURED) {
      const t: PassTimes = { forward: [], backward: [] };
      const c = activationContender(b, act, xs, dys, t, created);
      times.set(c.id, t);
      contenders.push(c);
    }
  }
  ctx.log(`activations: ${n} elements, ${contenders.length} contenders`);
  const outcomes = await timeInterleaved(contenders, reps);
  for (const t of created) t.dispose();
  for (const buffer of gpuBuffers) buffer.destroy();
  const copy = outcomes.get('copy');
  const copyGb = copy?.stats ? gbPerS(copyBytes, copy.stats.medianMs) : null;
  const gpuCopy: NonNullable<ActivationSection['gpuCopies']> = [];
  for (const [backend, c] of gpuCopies) {
    const o = outcomes.get(c.id);
    const software = ctx.ours.find((b) => b.label === backend)?.software || undefined;
    gpuCopy.push({
      backend,
      stats: o?.stats ?? null,
      error: o?.error,
      bytes: copyBytes,
      gbPerS: o?.stats ? gbPerS(copyBytes, o.stats.medianMs) : null,
      software,
    });
  }
  const rows: ActivationRow[] = [];
  for (const b of ctx.ours) {
    const own = gpuCopy.find((g) => g.backend === b.label);
    const limitGb = own ? own.gbPerS : copyGb;
    for (const act of FEATURED) {
      const id = `${b.label}|${act.label}`;
      const outcome = outcomes.get(id);
      const t = times.get(id) as PassTimes;
      const bytes = passBytes(savedFrom(act.entry), n);
      for (const pass of ['forward', 'backward'] as const) {
        const samples = t[pass].slice(reps.warmup);
        const stats = outcome?.stats && samples.length ? summarize(samples) : null;
        const gb = stats ? gbPerS(bytes[pass], stats.medianMs) : null;
        rows.push({
          backend: b.label,
          activation: act.label,
          pass,
          stats,
          error: outcome?.error,
          bytes: bytes[pass],
          gbPerS: gb,
          ofCopy: gb !== null && limitGb ? gb / limitGb : null,
          software: b.software || undefined,
        });
      }
    }
  }
  return {
    elements: n,
    copy: { stats: copy?.stats ?? null, error: copy?.error, bytes: copyBytes, gbPerS: copyGb },
    ...(gpuCopy.length ? { gpuCopies: gpuCopy } : {}),
    rows,
  };
}
