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

/** A fraction's difference in signed points: +0.31. */
const signed = (v: number) => `${v >= 0 ? '+' : '−'}${Math.abs(v * 100).toFixed(2)}`;
const pts = (v: number) => `${signed(v)} points`;
const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
export const pFormat = (p: number): string => (Number.isNaN(p) ? 'n/a' : p < 0.001 ? '< 0.001' : p.toFixed(3));

/** "+0.31 points, 95% CI [−0.10, +0.72]". */
export function differenceWithInterval(c: Comparison): string {
  const [lo, hi] = c.test.ci95;
  return `${pts(c.test.difference)}${Number.isNaN(lo) ? '' : `, 95% CI [${signed(lo)}, ${signed(hi)}]`}`;
}

/** "+0.31 points, 95% CI [−0.10, +0.72], Holm p 0.412". */
export function describeDifference(c: Comparison): string {
  return `${differenceWithInterval(c)}, Holm p ${pFormat(c.holmP)}`;
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
    const largest = acc.reduce((a, c) => (Math.abs(c.test.difference) > Math.abs(a.test.difference) ? c : a));
    parts.push(
      `no activation's test accuracy differs significantly from ${baseline}'s (largest mean difference ${pts(largest.test.difference)}, ${largest.activation})`,
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

const range = (xs: readonly number[], f: (v: number) => string) =>
  xs.length === 0 ? 'n/a' : Math.min(...xs) === Math.max(...xs) ? f(xs[0] as number) : `${f(Math.min(...xs))}–${f(Math.max(...xs))}`;
const isSpiking = (s: StudySummary) => s.runs.study.net.model === 'snn';

/**
 * The answer in a few bold-led paragraphs, each computed from the studies: sparsity kept, dead
 * units, gradients, accuracy, the spiking net's surrogates, SUGAR's direction.
 */
export function headline(summaries: readonly StudySummary[], seeds: number): string[] {
  const out: string[] = [];
  const pairs = summaries.flatMap((s) => {
    const relu = s.arms.find((a) => a.activation === 'relu');
    return relu ? s.arms.filter((a) => isThreadActivation(a.activation)).map((m) => ({ s, m, relu })) : [];
  });
  if (pairs.length) {
    const keep = pairs.filter((p) => p.relu.sparsity.mean > 0).map((p) => p.m.sparsity.mean / p.relu.sparsity.mean);
    out.push(
      `**Sparsity: ${Math.min(...keep) >= 0.9 ? 'yes' : 'mostly'}.** ReLU forward with a leaky gradient (\`reluWithLeakyGrad\`) keeps ${range(keep, (v) => `${(v * 100).toFixed(0)}%`)} ` +
        `of ReLU's exact zeros (${pairs.length} comparisons, ${seeds} seeds each): its forward pass is ReLU's, and only what it learns differs.`,
    );
    const dead = pairs.map((p) => findComparison(p.s, p.m.activation, 'dead units')).filter((c): c is Comparison => c !== undefined);
    const fewer = dead.filter((c) => c.test.difference < 0);
    const sig = dead.filter((c) => c.significant && c.test.difference < 0);
    const verdict = sig.length ? 'yes, in some nets' : fewer.length > dead.length / 2 ? 'a tendency, not significant' : 'no';
    out.push(
      `**Fewer dead units: ${verdict}.** It has fewer dead units than ReLU in ${fewer.length} of ${dead.length} comparisons, ` +
        `significantly in ${sig.length}${sig.length ? ` (${sig.map((c) => `${c.study}, ${c.activation}: ${describeDifference(c)}`).join('; ')})` : ''}.`,
    );
    const calm = pairs.filter((p) => p.m.diverged === 0 && p.relu.diverged === 0);
    const ratios = calm.map((p) => p.m.gradNormLate.mean / p.relu.gradNormLate.mean);
    const blew = pairs
      .filter((p) => p.m.diverged > 0)
      .map((p) => `${p.m.activation} on ${p.s.runs.study.id} diverged in ${p.m.diverged} of ${p.m.seeds} seeds (relu: ${p.relu.diverged})`);
    out.push(
      `**Non-saturating gradients: ${ratios.length && Math.max(...ratios) <= 1.2 ? 'the gradient reaches the first layer as with ReLU, not more' : 'a larger first-layer gradient in some nets'}.** Where training converged, its first-layer ` +
        `gradient norm late in training is ${range(ratios, (v) => `${v.toFixed(2)}×`)} ReLU's.` +
        (blew.length ? ` The leak can also make training unstable: ${blew.join('; ')}.` : ''),
    );
  }
  const acc = summaries.filter((s) => !isSpiking(s)).flatMap((s) => s.comparisons.filter((c) => c.outcome === 'test accuracy'));
  if (acc.length) {
    const gains = acc.filter((c) => c.significant && c.test.difference > 0);
    const losses = acc.filter((c) => c.significant && c.test.difference < 0);
    const list = (cs: Comparison[]) => cs.map((c) => `${c.activation} on ${c.study}: ${describeDifference(c)}`).join('; ');
    const converged = acc.filter((c) => !anyDiverged(summaries, c));
    const largest = (converged.length ? converged : acc).reduce((a, c) =>
      Math.abs(c.test.difference) > Math.abs(a.test.difference) ? c : a,
    );
    out.push(
      (gains.length
        ? `**Significant gains in accuracy: ${gains.length} of ${acc.length} comparisons against ReLU.** ${list(gains)}.`
        : `**Significant gains in accuracy: none.** No activation beats ReLU's test accuracy significantly in any of the ${acc.length} ` +
          `comparisons after Holm's correction; among runs that did not diverge the largest mean difference is ${pts(largest.test.difference)} ` +
          `(${largest.activation} on ${largest.study}).`) + (losses.length ? ` Significantly worse than ReLU: ${list(losses)}.` : ''),
    );
  }
  for (const s of summaries.filter(isSpiking)) {
    const accs = s.comparisons.filter((c) => c.outcome === 'test accuracy');
    const sig = accs.filter((c) => c.significant);
    const best = [...s.arms].sort((a, b) => b.testAccuracy.mean - a.testAccuracy.mean)[0];
    out.push(
      `**${sig.length ? 'On the spiking net the surrogate matters' : 'On the spiking net no surrogate differs significantly in accuracy'}.** Against ${accs[0]?.baseline ?? 'the baseline'}: ` +
        `${sig.length ? sig.map((c) => `${c.activation} ${describeDifference(c)}`).join('; ') : 'no significant accuracy difference'}` +
        `${best ? `; the most accurate here is ${best.activation} (${(best.testAccuracy.mean * 100).toFixed(2)}%)` : ''}.`,
    );
  }
  for (const s of summaries.filter((x) => x.runs.study.net.name === 'vgg')) out.push(`**SUGAR on ${s.runs.study.id}:** ${sugarVerdict(s)}`);
  return out.flatMap((p) => [p, '']);
}

/** Whether the activation of a comparison diverged in any seed of its study. */
function anyDiverged(summaries: readonly StudySummary[], c: Comparison): boolean {
  const s = summaries.find((x) => x.runs.study.id === c.study);
  return (s?.arms.find((a) => a.activation === c.activation)?.diverged ?? 0) > 0;
}

function findComparison(s: StudySummary, activation: string, outcome: Comparison['outcome']): Comparison | undefined {
  return s.comparisons.find((c) => c.activation === activation && c.outcome === outcome);
}
