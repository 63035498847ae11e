/** The cpu backend's goals from the bench's issue, checked against a run's numbers (reported, never asserted). */
import type { BenchResults, Goal } from './results.js';

export function evaluateGoals(r: Pick<BenchResults, 'sections'>): Goal[] {
  const goals: Goal[] = [];
  const mlp = r.sections.mlp?.rows.find((row) => row.contender === 'cpu');
  goals.push(
    goal('MLP step: cpu ≤ 0.5× @tensorflow/tfjs-backend-cpu', 0.5, mlp?.vsTfjsCpu ?? null, 'median step time over tfjs-cpu’s, same rounds'),
  );
  const rows = r.sections.fourWays?.rows ?? [];
  const fused = rows.find((row) => row.runsOn === 'cpu' && row.way === 'fused')?.stats?.medianMs;
  const tfjs = rows.find((row) => row.runsOn === 'tfjs-cpu' && row.way === 'tfjs customGrad')?.stats?.medianMs;
  goals.push(
    goal(
      'reluWithLeakyGrad fwd+bwd: cpu fused ≤ 0.1× tfjs-cpu tf.customGrad',
      0.1,
      fused && tfjs ? fused / tfjs : null,
      `on ${r.sections.fourWays?.elements ?? '?'} floats`,
    ),
  );
  return goals;
}

function goal(name: string, target: number, measured: number | null, detail: string): Goal {
  return { name, target, measured, met: measured === null ? null : measured <= target, detail };
}
