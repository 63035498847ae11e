/**
 * The plain-language answer at the top of the report, written from the tests' outcomes: a
 * difference is called significant only when its Holm-adjusted p is below 0.05.
 */
import type { ArmSummary, Comparison } from '../compare/aggregate.js';
import type { StudyRuns } from '../compare/run-studies.js';

export interface StudySummary {
  runs: StudyRuns;
  arms: ArmSummary[];
  comparisons: Comparison[];
}

const pts = (v: number) => `${v >= 0 ? '+' : '−'}${Math.abs(v * 100).toFixed(2)} points`;
const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
export const pFormat = (p: number): string => (Number.isNaN(p) ? 'n/a' : p < 0.001 ? '< 0.001' : p.toFixed(3));

/** "Δ +0.31 points, 95% CI [−0.10, +0.72], Holm p 0.412". */
export function describeDifference(c: Comparison): string {
  const [lo, hi] = c.test.ci95;
  const ci = Number.isNaN(lo) ? '' : `, 95% CI [${pts(lo).replace(' points', '')}, ${pts(hi).replace(' points', '')}]`;
  return `${pts(c.test.difference)}${ci}, Holm p ${pFormat(c.holmP)}`;
}

const isThreadActivation = (label: string) => label.startsWith('reluWithLeakyGrad');

/** Bullets per study: which accuracy and dead-unit differences hold up, in words. */
export function studyAnswer(s: StudySummary, title: string): string {
  const acc = s.comparisons.filter((c) => c.outcome === 'test accuracy');
  const dead = s.comparisons.filter((c) => c.outcome === 'dead units');
  const baseline = acc[0]?.baseline ?? s.arms[0]?.activation ?? '';
  const better = acc.filter((c) => c.significant && c.test.difference > 0).map((c) => `${c.activation} (${describeDifference(c)})`);
  const worse = acc.filter((c) => c.significant && c.test.difference < 0).map((c) => `${c.activation} (${describeDifference(c)})`);
  const parts: string[] = [];
  if (acc.length === 0) parts.push(`only ${baseline} ran, nothing to compare`);
  else if (!better.length && !worse.length) {
    const spread = acc.map((c) => Math.abs(c.test.difference));
    parts.push(
      `no activation's test accuracy differs significantly from ${baseline}'s (largest mean difference ${(Math.max(...spread) * 100).toFixed(2)} points)`,
    );
  } else {
    if (better.length) parts.push(`significantly more accurate than ${baseline}: ${better.join('; ')}`);
    if (worse.length) parts.push(`significantly less accurate than ${baseline}: ${worse.join('; ')}`);
  }
  const fewerDead = dead.filter((c) => c.significant && c.test.difference < 0).map((c) => `${c.activation} (${describeDifference(c)})`);
  const moreDead = dead.filter((c) => c.significant && c.test.difference > 0).map((c) => `${c.activation} (${describeDifference(c)})`);
  if (fewerDead.length) parts.push(`significantly fewer dead units: ${fewerDead.join('; ')}`);
  if (moreDead.length) parts.push(`significantly more dead units: ${moreDead.join('; ')}`);
  const diverged = s.arms.filter((a) => a.diverged).map((a) => `${a.activation} in ${a.diverged} of ${a.seeds} seeds`);
  if (diverged.length) parts.push(`diverged: ${diverged.join(', ')}`);
  return `- **${title}:** ${parts.join('; ')}.`;
}

/**
 * The thread's own question, where reluWithLeakyGrad and relu both ran: how much of ReLU's sparsity
 * it keeps, and how its late first-layer gradient compares (the "non-saturating" part).
 */
export function threadAnswer(summaries: readonly StudySummary[], titleOf: (s: StudySummary) => string): string[] {
  const lines: string[] = [];
  for (const s of summaries) {
    const relu = s.arms.find((a) => a.activation === 'relu');
    if (!relu) continue;
    for (const m of s.arms.filter((a) => isThreadActivation(a.activation))) {
      const dead = s.comparisons.find((c) => c.activation === m.activation && c.outcome === 'dead units');
      const acc = s.comparisons.find((c) => c.activation === m.activation && c.outcome === 'test accuracy');
      const keep = relu.sparsity.mean > 0 ? m.sparsity.mean / relu.sparsity.mean : Number.NaN;
      const grad = m.gradNormLate.mean / relu.gradNormLate.mean;
      lines.push(
        `- ${titleOf(s)}, ${m.activation}: sparsity ${pct(m.sparsity.mean)} against relu's ${pct(relu.sparsity.mean)} ` +
          `(${Number.isNaN(keep) ? 'n/a' : `${(keep * 100).toFixed(0)}%`} of it); dead units ${pct(m.deadUnits.mean)} against ${pct(relu.deadUnits.mean)}` +
          `${dead ? ` (${dead.significant ? 'significant' : 'not significant'}: ${describeDifference(dead)})` : ''}; ` +
          `late first-layer gradient norm ${grad.toPrecision(3)}× relu's; accuracy ${acc ? `${describeDifference(acc)}${acc.significant ? ', significant' : ', not significant'}` : 'n/a'}` +
          `${m.diverged ? `; diverged in ${m.diverged} of ${m.seeds} seeds` : ''}.`,
      );
    }
  }
  return lines;
}

/** SUGAR's claim (B-SiLU beats ReLU and revives dead units on a VGG without BatchNorm), tested where bSiLU and relu ran on the VGG. */
export function sugarVerdict(s: StudySummary): string {
  const acc = s.comparisons.find((c) => c.activation.startsWith('bSiLU') && c.outcome === 'test accuracy');
  const dead = s.comparisons.find((c) => c.activation.startsWith('bSiLU') && c.outcome === 'dead units');
  if (!acc || !dead) return 'bSiLU and relu did not both run, so SUGAR’s direction was not tested.';
  const accDir = acc.test.difference > 0;
  const deadDir = dead.test.difference < 0;
  const word = (c: Comparison) => (c.significant ? 'significantly' : 'not significantly');
  const direction =
    accDir && deadDir
      ? 'The direction reproduces'
      : accDir || deadDir
        ? 'The direction reproduces in part'
        : 'The direction does not reproduce';
  return (
    `${direction}: bSiLU's test accuracy is ${accDir ? 'higher' : 'lower'} than relu's (${word(acc)}: ${describeDifference(acc)}) and it has ` +
    `${deadDir ? 'fewer' : 'more'} dead units (${word(dead)}: ${describeDifference(dead)}).`
  );
}
