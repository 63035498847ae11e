/**
 * Section 1: each featured activation's forward and backward pass on each backend, as time and
 * GB/s, next to a Float32Array.prototype.set of the same elements timed in the same rounds: the
 * memory-bandwidth limit a one-read-one-write pass can reach.
 */
import { type Tensor, tensor } from '@surrograd/core';
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
  const copy = outcomes.get('copy');
  const copyGb = copy?.stats ? gbPerS(copyBytes, copy.stats.medianMs) : null;
  const rows: ActivationRow[] = [];
  for (const b of ctx.ours) {
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
          ofCopy: gb !== null && copyGb ? gb / copyGb : null,
          software: b.software || undefined,
        });
      }
    }
  }
  return { elements: n, copy: { stats: copy?.stats ?? null, error: copy?.error, bytes: copyBytes, gbPerS: copyGb }, rows };
}
