/**
 * What the training-step sections (3: the MLP, 7: LeNet-5) share: a contender that times one SGD
 * step and reads its loss back, surrograd's step written as its users write it, and the rows the
 * timings become.
 */
import { nn, type optim, type Tensor, tidy } from '@surrograd/core';
import type { OurBackend } from '../contenders/ours.js';
import type { Repetitions } from '../measure/timer.js';
import { type Contender, timeInterleaved } from '../measure/timer.js';
import type { MlpRow } from '../results.js';

export interface Trainer {
  contender: string;
  kind: 'ours' | 'peer';
  software?: boolean;
  firstLoss: number | null;
  run: Contender;
  dispose(): void;
}

/** A model, its optimizer and one batch, as `build` makes them on the backend. */
export interface OurStep {
  model: nn.Module;
  opt: optim.SGD;
  x: Tensor;
  y: Tensor;
}

/** surrograd's step on backend b: zeroGrad, crossEntropy, backward, step, the loss read back. */
export function ourTrainer(b: OurBackend, build: () => OurStep): Trainer {
  let state: OurStep | null = null;
  const t: Trainer = {
    contender: b.label,
    kind: 'ours',
    software: b.software || undefined,
    firstLoss: null,
    run: {
      id: b.label,
      async prepare() {
        await b.use();
        state ??= build();
      },
      async run() {
        const { model, opt, x, y } = state as OurStep;
        const loss = tidy(() => {
          opt.zeroGrad();
          const l = nn.crossEntropy(model.forward(x), y);
          l.backward();
          opt.step();
          return l.detach();
        });
        const value = (await loss.data())[0] as number;
        loss.dispose();
        t.firstLoss ??= value;
      },
    },
    dispose() {
      if (!state) return;
      state.opt.zeroGrad();
      state.opt.dispose();
      state.model.dispose();
      state.x.dispose();
      state.y.dispose();
    },
  };
  return t;
}

/** Times every trainer in the same rounds, frees them, and gives their rows with time over tfjs-cpu's. */
export async function timeSteps(trainers: Trainer[], reps: Repetitions): Promise<MlpRow[]> {
  const outcomes = await timeInterleaved(
    trainers.map((t) => t.run),
    reps,
  );
  for (const t of trainers) t.dispose();
  const rows: MlpRow[] = trainers.map((t) => {
    const o = outcomes.get(t.run.id);
    return {
      contender: t.contender,
      kind: t.kind,
      stats: o?.stats ?? null,
      error: o?.error,
      firstLoss: t.firstLoss,
      vsTfjsCpu: null,
      software: t.software,
    };
  });
  const base = rows.find((r) => r.contender === 'tfjs-cpu')?.stats?.medianMs;
  for (const r of rows) if (r.stats && base) r.vsTfjsCpu = r.stats.medianMs / base;
  return rows;
}
