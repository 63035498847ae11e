/** Number formatting for the tables: few significant digits, since the noise is larger than the rest. */
import type { Stats } from '../measure/stats.js';

export function sig(v: number | null | undefined, digits = 3): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 10 ** digits) return Math.round(v).toString();
  return Number(v.toPrecision(digits)).toString();
}

export const ms = (s: Stats | null | undefined) => (s ? sig(s.medianMs) : '–');
export const iqr = (s: Stats | null | undefined) => (s ? `${sig(s.q1Ms)}–${sig(s.q3Ms)}` : '–');
export const ratio = (v: number | null | undefined) => (v === null || v === undefined ? '–' : `${sig(v)}×`);
export const mb = (bytes: number | null | undefined) => (bytes === null || bytes === undefined ? '–' : sig(bytes / 2 ** 20));

/** A markdown table; '|' inside a cell is escaped. */
export function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.map((c) => c.replaceAll('|', '\\|')).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** Footnotes for cells that failed: 'contender — what it threw'. */
export function errorNotes(errors: { who: string; error?: string }[]): string {
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const { who, error } of errors) {
    if (!error) continue;
    const line = `- ${who}: ${error.replaceAll('|', '\\|')}`;
    if (!seen.has(line)) lines.push(line);
    seen.add(line);
  }
  return lines.length ? `\nNo number where the contender failed:\n\n${lines.join('\n')}\n` : '';
}

/** The mark for numbers from a GPU backend on a software driver. */
export const SOFTWARE_MARK = ' †';
export const SOFTWARE_NOTE = '† webgpu on a software driver (SwiftShader, on the CPU): proves the path runs; not a GPU speed number.';
