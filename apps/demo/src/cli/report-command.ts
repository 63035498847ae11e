import { fileURLToPath } from 'node:url';
import { plannedNets, planStudies, type Study } from '../compare/plan.js';
import { PRESETS } from '../compare/presets.js';
import type { StudySettings } from '../compare/run-studies.js';
import { reportFromSavedRuns, runComparison } from './compare-command.js';
import type { DataFlags } from './load-data.js';

/** Where `pnpm report` writes: the repository's docs/results. */
export const DEFAULT_RESULTS_DIR = fileURLToPath(new URL('../../../../docs/results', import.meta.url));

export interface ReportFlags extends DataFlags {
  backend: string;
  preset: string;
  seeds?: number;
  out: string;
  json?: boolean;
  saveRuns?: string;
  fromRuns?: string;
}

/** The preset's studies, with the nets' own activations unless the preset names some. */
export function presetStudies(name: string): { studies: Study[]; skipped: string[]; settings: StudySettings } {
  const preset = PRESETS[name];
  if (!preset) throw new Error(`--preset: unknown preset '${name}'; known: ${Object.keys(PRESETS).join(', ')}`);
  const studies: Study[] = [];
  const skipped: string[] = [];
  for (const p of preset.studies) {
    const planned = planStudies(plannedNets(p.net), [p.dataset], p.activations);
    for (const note of planned.skipped) if (!skipped.includes(note)) skipped.push(note);
    for (const study of planned.studies) {
      studies.push({
        ...study,
        ...(p.epochs !== undefined ? { epochs: p.epochs } : {}),
        ...(p.limit !== undefined ? { limit: p.limit } : {}),
        ...(p.testLimit !== undefined ? { testLimit: p.testLimit } : {}),
      });
    }
  }
  return { studies, skipped, settings: { ...preset.settings } };
}

/** `report`: the committed statistical report (docs/results), or its tiny smoke-test version. */
export async function reportCommand(flags: ReportFlags): Promise<string> {
  if (flags.fromRuns) return reportFromSavedRuns(flags.fromRuns, flags.out);
  const { studies, skipped, settings } = presetStudies(flags.preset);
  if (flags.seeds !== undefined) settings.seeds = flags.seeds;
  // The command the report names: what the user typed, less where the raw runs went.
  const args = process.argv
    .slice(3)
    .join(' ')
    .replace(/--save-runs \S+\s*/, '')
    .trim();
  const command = flags.preset === 'full' && args === '' ? 'npx -y pnpm@12.4.2 report' : `surrograd-demo report ${args}`.trim();
  const { path } = await runComparison(flags, {
    studies,
    settings,
    skipped,
    out: flags.out,
    png: false,
    command,
    ...(flags.saveRuns ? { saveRuns: flags.saveRuns } : {}),
  });
  return path;
}
