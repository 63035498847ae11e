/**
 * Timing with performance.now(): warm-up calls, then timed runs. Contenders that are compared are
 * timed in interleaved rounds (A B C, A B C, …), so load from other processes on a shared machine
 * falls on all of them alike and their ratios stay meaningful even when absolute times drift.
 */
import { type Stats, summarize } from './stats.js';

export interface Contender {
  id: string;
  /** Untimed set-up before each timed call, e.g. switching the active backend. */
  prepare?: () => void | Promise<void>;
  /** The timed work; it must finish everything it starts (GPU work included) before resolving. */
  run: () => void | Promise<void>;
}

export interface Repetitions {
  warmup: number;
  runs: number;
  /**
   * Time one contender may take in timed runs: a slow one gets fewer runs (never below
   * MIN_RUNS), so a contender at seconds per call cannot stretch the bench to an hour.
   */
  budgetMs?: number;
}

export const MIN_RUNS = 5;

export interface Outcome {
  stats?: Stats;
  /** Why the contender has no timing: the message of what it threw. */
  error?: string;
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err)).split('\n')[0] as string;

/** Times each contender `runs` times in interleaved rounds after `warmup` calls each; one that throws is dropped with its error. */
export async function timeInterleaved(contenders: readonly Contender[], reps: Repetitions): Promise<Map<string, Outcome>> {
  const samples = new Map<string, number[]>();
  const outcomes = new Map<string, Outcome>();
  let live = [...contenders];
  const runsOf = new Map<string, number>();
  const isSlow = (id: string) => reps.budgetMs !== undefined && (runsOf.get(id) ?? reps.runs) <= MIN_RUNS;
  const attempt = async (c: Contender, record: boolean): Promise<void> => {
    try {
      await c.prepare?.();
      const t0 = performance.now();
      await c.run();
      const ms = performance.now() - t0;
      if (record) samples.get(c.id)?.push(ms);
      else if (reps.budgetMs !== undefined) runsOf.set(c.id, Math.min(reps.runs, Math.max(MIN_RUNS, Math.floor(reps.budgetMs / ms))));
    } catch (err) {
      outcomes.set(c.id, { error: message(err) });
      live = live.filter((x) => x !== c);
    }
  };
  for (const c of contenders) {
    samples.set(c.id, []);
    for (let i = 0; i < reps.warmup && live.includes(c); i++) {
      await attempt(c, false);
      // One warm-up call suffices for a call that takes seconds: compilation is long done after it.
      if (isSlow(c.id)) break;
    }
  }
  for (let r = 0; r < reps.runs; r++) {
    for (const c of [...live]) if (r < (runsOf.get(c.id) ?? reps.runs)) await attempt(c, true);
  }
  for (const c of live) outcomes.set(c.id, { stats: summarize(samples.get(c.id) as number[]) });
  return outcomes;
}

/** Times one piece of work on its own. */
export async function timeOne(run: () => void | Promise<void>, reps: Repetitions): Promise<Outcome> {
  const out = await timeInterleaved([{ id: 'only', run }], reps);
  return out.get('only') as Outcome;
}

export { message as errorMessage };
