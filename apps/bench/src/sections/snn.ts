/**
 * Section 8: a spiking layer over time. One Leaky layer (β 0.9, atan surrogate) on currents
 * [T, batch, neurons], forward and backward through time, two ways on each of our backends:
 * `Leaky.sequence` (the LifScan and reverse LinearScan kernels) and T calls of `Leaky.forward`
 * (the graph of every step), in the same rounds; and the peak memory each holds.
 */
import { randn, stack, type Tensor, tidy } from '@surrograd/core';
import { Leaky } from '@surrograd/snn';
import type { BenchContext } from '../context.js';
import { type Contender, timeInterleaved } from '../measure/timer.js';
import type { SnnRow, SnnSection } from '../results.js';

type Path = SnnRow['path'];

/** One forward+backward: spikes and membranes [T, ...], loss = Σ spikes + mean membrane; the currents' gradient read back. */
function forwardBackward(lif: Leaky, cur: Tensor, path: Path): Tensor {
  cur.grad = null;
  tidy(() => {
    let spk: Tensor;
    let mem: Tensor;
    if (path === 'sequence') [spk, mem] = lif.sequence(cur);
    else {
      const spks: Tensor[] = [];
      const mems: Tensor[] = [];
      let state: Tensor | null = null;
      for (let t = 0; t < (cur.shape[0] as number); t++) {
        const [s, m] = lif.forward(cur.select(0, t), state);
        spks.push(s);
        mems.push(m);
        state = m;
      }
      spk = stack(spks);
      mem = stack(mems);
    }
    spk.sum().add(mem.mean()).backward();
  });
  return cur.grad as unknown as Tensor;
}

export async function runSnn(ctx: BenchContext): Promise<SnnSection> {
  const { steps, batch, neurons } = ctx.config.snn;
  const shape = [steps, batch, neurons];
  const rows: SnnRow[] = [];
  const contenders: Contender[] = [];
  const state = new Map<string, { lif: Leaky; cur: Tensor }>();
  for (const b of ctx.ours) {
    const prepare = async () => {
      await b.use();
      if (!state.has(b.label)) {
        const cur = tidy(() => randn(shape, { seed: 8 }).mul(0.5).add(0.3)).requiresGrad_(true);
        state.set(b.label, { lif: new Leaky({ beta: 0.9 }), cur });
      }
    };
    for (const path of ['sequence', 'stepwise'] as const) {
      contenders.push({
        id: `${b.label}\u0000${path}`,
        prepare,
        run: async () => {
          const s = state.get(b.label) as { lif: Leaky; cur: Tensor };
          await forwardBackward(s.lif, s.cur, path).data();
          await b.sync();
        },
      });
    }
  }
  ctx.log(`snn: Leaky over ${steps} steps of [${batch}, ${neurons}], ${contenders.length} timings`);
  const outcomes = await timeInterleaved(contenders, ctx.config.snnReps);
  // What both paths must hold whatever they do: the currents' gradient, spikes and membranes, and their gradients.
  const shared = 5 * 4 * steps * batch * neurons;
  for (const c of contenders) {
    const [who, path] = c.id.split('\u0000') as [string, Path];
    const b = ctx.ours.find((o) => o.label === who);
    const o = outcomes.get(c.id);
    let peakTemporaryBytes: number | null = null;
    if (b && !o?.error) {
      await c.prepare?.();
      const s = state.get(who) as { lif: Leaky; cur: Tensor };
      s.cur.grad = null;
      b.peak.begin();
      await forwardBackward(s.lif, s.cur, path).data();
      peakTemporaryBytes = Math.max(0, b.peak.end() - shared);
    }
    rows.push({ contender: who, path, stats: o?.stats ?? null, error: o?.error, peakTemporaryBytes });
  }
  for (const [label, s] of state) {
    await ctx.ours.find((o) => o.label === label)?.use();
    s.lif.dispose();
    s.cur.grad = null;
    s.cur.dispose();
  }
  return { steps, batch, neurons, rows };
}
